"""Time on every queue, in the browser with axe, on York's demo: the manager's My work (three counts
and the team's overdue work by worker) and the lists behind them, the referral queue with child
protection first and its decide page, the allocation choice with each worker's load, the auditor's
assigned audits, and a search that finds nobody."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_managers_queues_show_their_times(demo_in, page, axe):
    demo_in("york")
    sign_in(page, "team-manager@york.casework.test")
    counts = page.locator("#work-counts")
    assert "overdue" in counts.inner_text() and "due in the next 5 working days" in counts.inner_text()
    assert page.locator("#team-overdue").is_visible()
    assert_accessible(axe, page)
    counts.get_by_role("link", name="overdue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Overdue"
    assert_accessible(axe, page)
    page.get_by_role("link", name="Back to My work").click()
    page.locator("#work-counts").get_by_role("link", name="due in the next").click()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Team", exact=True).click()
    referrals = page.locator("#referrals")
    first_row = referrals.locator("tbody tr").first
    assert "Kacper Nowak" in first_row.inner_text() and "Child protection" in first_row.inner_text()
    assert "Decide by" in referrals.locator("thead").inner_text()
    assert_accessible(axe, page)
    first_row.get_by_role("link", name="Kacper Nowak").click()
    assert "Decide by" in page.locator(".govuk-summary-list").inner_text()
    assert page.get_by_role("link", name="See Kacper Nowak's record").is_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Team", exact=True).click()
    page.locator("#unallocated").get_by_role("link", name="Leo Carter").click()
    assert "open case" in page.locator(".govuk-radios__hint").first.inner_text()
    assert_accessible(axe, page)


def test_the_auditor_sees_their_audits_and_an_empty_search_gives_tips(demo_in, page, axe):
    demo_in("york")
    sign_in(page, "qa-auditor@york.casework.test")
    assert page.get_by_role("heading", name="Audits assigned to you").is_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Children").click()
    page.get_by_label("Name or case ID").fill("Nobody Byname")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="No children found").is_visible()
    assert "checking the spelling" in page.locator("#no-results").inner_text()
    assert_accessible(axe, page)
