import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_reads_the_timescales_and_works_out_a_due_date(demo_in, page, axe):
    demo_in("york")
    sign_in(page, "social-worker@york.casework.test")

    page.get_by_role("link", name="Timescales").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Timescales"
    row = page.locator("tr#cp_visit_interval")
    assert "Child protection visit" in row.inner_text() and "Every 20 working days" in row.inner_text()
    assert "cp_visit_interval" not in row.inner_text()
    row.get_by_text("How this is set").click()
    assert "Standard 4, CP visits" in row.inner_text() and "cp_visit_interval" in row.inner_text()
    assert_accessible(axe, page)

    page.get_by_label("Search timescales").fill("core group")
    page.get_by_role("button", name="Search").click()
    assert "match ‘core group’" in page.locator("#search-result").inner_text()
    assert page.locator("tr#first_core_group").count() == 1 and page.locator("tr#cp_visit_interval").count() == 0
    assert_accessible(axe, page)

    page.get_by_role("link", name="Deadline calculator").click()
    page.get_by_role("button", name="Work out the due date").click()
    assert "Select a timescale" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(axe, page)

    page.get_by_label("Timescale").select_option(label="Child protection visit")
    page.get_by_label("Day", exact=True).fill("16")
    page.get_by_label("Month", exact=True).fill("12")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Work out the due date").click()
    assert "Due by the end of Mon 18 Jan 2027" in page.locator(".govuk-panel").inner_text()
    explanation = page.locator("#explanation")
    assert "City of York Council visits every 20 working days, counted from the last visit on Wed 16 Dec" in (
        explanation.inner_text())
    explanation.get_by_text("How this date was worked out").click()
    assert "skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan" in explanation.inner_text()
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_timescales_page_is_a_few_screens_long_and_fits_a_phone(demo_in, browser, live_server, width):
    demo_in("york")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800},
                                  bypass_csp=True)  # fmt: skip
    page = context.new_page()
    try:
        sign_in(page, "social-worker@york.casework.test")
        page.goto("/timescales/")
        height, page_width = page.evaluate("[document.documentElement.scrollHeight,"
                                           " document.documentElement.scrollWidth]")
        assert page_width <= width
        if width == 1280:
            # York's 70 timescales with a value, grouped by stage: about seven laptop screens (was 19,000 px).
            assert height < 6_000, height
    finally:
        context.close()


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
