"""The bell and the performance view in real Chromium, with axe on every page: York's demo worker
reads and clears their alerts; the team manager finds the assessment awaiting sign-off and the
team's figures (all their teams first, then the team's months), and follows the overdue count to the items behind it."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def bell(page):
    return page.locator("header a.casework-bell")


def test_alerts_and_performance(demo_in, page, axe):
    demo_in("york")

    sign_in(page, "social-worker@york.casework.test")
    unread = int(re.search(r"(\d+) unread", bell(page).text_content()).group(1))
    assert unread >= 1
    bell(page).click()
    page.wait_for_url("**/notifications/")
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile(r"^Ethan Doyle: .* was due")).click()
    page.wait_for_url("**/children/*/")
    assert "Ethan Doyle" in page.locator("h1").inner_text()
    if unread > 1:
        assert f"{unread - 1} unread" in bell(page).text_content()
    else:
        assert "unread" not in bell(page).text_content()
    bell(page).click()
    page.get_by_role("button", name="Mark all as read").click()
    assert "marked as read" in page.locator(".govuk-notification-banner").inner_text()
    assert "unread" not in bell(page).text_content()
    assert_accessible(axe, page)

    sign_in(page, "team-manager@york.casework.test")
    bell(page).click()
    assert "assessment is awaiting your sign-off" in page.locator("#notifications").inner_text()
    page.get_by_role("link", name="Performance").click()
    page.wait_for_url("**/performance/")
    assert "All your teams" in page.locator("main").inner_text()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Assessment team", exact=True).click()
    page.wait_for_url("**/performance/?team=*")
    assert page.get_by_role("link", name="Download Assessment team's figures (CSV)").count() == 1
    assert_accessible(axe, page)
    page.locator("table.casework-performance td a").first.click()
    page.wait_for_url("**/performance/overdue/**")
    assert "overdue, oldest first" in page.locator("main").inner_text()
    assert_accessible(axe, page)

    sign_in(page, "service-manager@york.casework.test")
    page.get_by_role("link", name="Performance").click()
    page.get_by_label("Team").select_option(label="Family support and protection team")
    page.get_by_role("button", name="Show").click()
    assert "Family support and protection team" in page.locator("h2.govuk-heading-m").first.inner_text()
    assert_accessible(axe, page)
