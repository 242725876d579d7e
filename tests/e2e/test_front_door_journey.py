"""Business support records a referral for a new child (through the duplicate check), the manager
decides on a single assessment and allocates, and the worker finds the child on My work with the
"seen after allocation" deadline and its explanation. York: 5 working days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_referral_to_my_work(demo_in, page, axe):
    demo_in("york")
    born = timezone.localdate().replace(day=20, month=1, year=timezone.localdate().year - 7)  # near demo Aisha

    sign_in(page, "business-support@york.casework.test")
    page.get_by_role("link", name="Children").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Add a new child").click()
    page.get_by_label("First name").fill("Aisha")
    page.get_by_label("Last name").fill("Rahman")
    page.fill("input[name=date_of_birth_0]", str(born.day))
    page.fill("input[name=date_of_birth_1]", str(born.month))
    page.fill("input[name=date_of_birth_2]", str(born.year))
    assert_accessible(axe, page)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Is this the same child?"
    assert_accessible(axe, page)
    page.get_by_role("button", name="No, none of these: create a new record").click()

    page.wait_for_url("**/referrals/new/")
    received = timezone.localtime() - timedelta(minutes=30)
    page.get_by_label("Team to decide").select_option(label="Assessment team")
    page.fill("input[name=received_date_0]", str(received.day))
    page.fill("input[name=received_date_1]", str(received.month))
    page.fill("input[name=received_date_2]", str(received.year))
    page.get_by_label("Time received").fill(received.strftime("%H:%M"))
    page.get_by_label("Referrer's name").fill("Jo Patel")
    page.get_by_label("Source").select_option(label="School")
    page.get_by_label("What the referrer is worried about").fill("Came to school with a burn on her hand.")
    page.get_by_label("Given", exact=True).check()
    page.get_by_label("Who gave or refused consent").fill("Mother")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Record the referral").click()
    page.wait_for_url("**/children/*/")
    assert "Referral recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "the law allows 1 working day, counted from the contact coming in" in page.locator("#deadlines").inner_text()
    assert_accessible(axe, page)

    sign_in(page, "team-manager@york.casework.test")
    page.get_by_role("link", name="Team", exact=True).click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Aisha Rahman").last.click()
    page.get_by_label("Single assessment").check()
    page.get_by_label("Reasons for the decision").fill("A burn needs assessing with the family.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/allocate/")
    assert "open case" in page.locator(".govuk-radios__hint").first.inner_text()  # each worker's load
    page.get_by_label("Sam Okafor").check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Allocate").click()
    page.wait_for_url("**/children/*/")

    sign_in(page, "social-worker@york.casework.test")
    caseload = page.locator("#caseload")
    row = caseload.locator("tr", has_text="Aisha Rahman").last
    assert "First assessment visit due by" in row.inner_text()
    assert "City of York Council allows 5 working days, counted from the allocation on" in row.inner_text()
    assert_accessible(axe, page)
