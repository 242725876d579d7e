import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_reads_the_timescales_and_works_out_a_due_date(demo_in, page, axe):
    demo_in("york")
    sign_in(page, "social-worker@york.casework.test")

    page.get_by_role("link", name="Timescales").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Timescales"
    row = page.locator("tr#cp_visit_interval")
    assert "20 working days" in row.inner_text()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Deadline calculator").click()
    page.get_by_role("button", name="Work out the due date").click()
    assert "Select a timescale" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(axe, page)

    page.get_by_label("Timescale").select_option("cp_visit_interval")
    page.get_by_label("Day", exact=True).fill("16")
    page.get_by_label("Month", exact=True).fill("12")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Work out the due date").click()
    assert "Due by the end of Mon 18 Jan 2027" in page.locator(".govuk-panel").inner_text()
    assert "skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan" in page.locator("#explanation").inner_text()
    assert_accessible(axe, page)


def test_an_authority_admin_changes_a_timescale(demo_in, page, axe):
    demo_in("leeds")
    sign_in(page, "authority-admin@leeds.casework.test")
    page.goto("/timescales/cp_visit_interval/change/")
    assert_accessible(axe, page)
    page.get_by_label("New value").fill("10 working_days")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("1")
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_label("Why it is changing").fill("Agreed at the practice standards board")
    page.get_by_role("button", name="Save the new value").click()
    page.wait_for_url("**/timescales/")
    assert "changed to 10 working_days" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Recalculate open deadlines").click()
    page.wait_for_url("**/timescales/recalculate/")
    assert "open deadline" in page.locator("main").inner_text()
    assert_accessible(axe, page)
