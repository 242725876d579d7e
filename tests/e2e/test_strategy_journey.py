"""A manager decides a child-protection referral for a strategy discussion and finds the clock to
hold it on the child's Strategy tab, with the form to record it: axe on each page. York."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_strategy_decision_shows_its_clock_and_form(demo_in, page, axe):
    demo_in("york")
    sign_in(page, "team-manager@york.casework.test")
    page.get_by_role("link", name="Team", exact=True).click()
    page.get_by_role("link", name="Kacper Nowak").click()
    page.get_by_label("Strategy discussion").check()
    page.get_by_label("Reasons for the decision").fill("Domestic incident with the child present.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/allocate/")
    page.get_by_label("Sam Okafor").check()
    page.get_by_role("button", name="Allocate").click()
    page.wait_for_url("**/children/*/")
    page.get_by_role("link", name="Strategy and enquiries").click()
    assert "1 working day, counted from" in page.locator("main").inner_text()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Record a strategy discussion").click()
    assert_accessible(axe, page)
