"""On a phone-sized screen (375 pixels wide), a Leeds social worker records a child-protection
visit to Ruby Ahmed; the next visit's due date and its explanation appear on her record and on
Visits due. Every page is checked with axe."""

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, open_record_section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_records_a_child_protection_visit_on_a_phone(demo_in, page, axe):
    from cases.models import Deadline

    demo_in("leeds")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "social-worker@leeds.casework.test")
    page.locator("#caseload").get_by_role("link", name="Ruby Ahmed").click()
    open_record_section(page, "Visits")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Record a visit").click()
    page.get_by_label("Statutory child protection visit").check()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Time the visit started").fill("00:01")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("group", name="Where").get_by_label("The child's home").check()
    page.get_by_role("group", name="Was the visit announced?").get_by_label("No").check()
    page.get_by_role("group", name="Was the child seen?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was the child's bedroom seen?").get_by_label("Yes").check()
    page.get_by_label("The child's wishes and feelings, in their own words").fill("My arm doesn't hurt now.")
    page.get_by_label("Observations").fill("Ruby played happily; her mother was attentive.")
    page.get_by_label("Analysis").fill("The safety plan is holding.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save and record the visit").click()
    assert "Visit recorded" in page.locator(".govuk-notification-banner").inner_text()

    next_due = Deadline.objects.get(child__first_name="Ruby", authority__slug="leeds", key="cp_visit_interval",
                                    status="open")  # fmt: skip
    due_text = f"{timezone.localtime(next_due.due_at):%a} {timezone.localtime(next_due.due_at).day}"
    open_record_section(page, "Visits")
    assert due_text in page.locator("#next-visit").inner_text()
    page.locator("#next-visit").get_by_text("Why this date").click()
    assert "15 working days from" in page.locator("#next-visit").inner_text()
    assert_accessible(axe, page)

    page.goto("/visits/due/")
    assert "Ruby Ahmed" in page.locator("main").inner_text() and due_text in page.locator("main").inner_text()
    assert_accessible(axe, page)
