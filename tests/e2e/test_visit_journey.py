"""On a phone-sized screen (375 by 812 pixels), a Leeds social worker records a child-protection
visit to Ruby Ahmed on one page: the kind comes preset from her plan and the date and time are now;
a "why not" box opens only under a "No"; an action given to the worker reaches her My work. The
confirmation says when the next visit is due and why; the due date and its explanation appear on her
record and on Visits due, and Back after recording is no refusal. Every page is checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.clock import DEFAULT
from tests.e2e.conftest import assert_accessible, open_record_section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_records_a_child_protection_visit_on_a_phone(demo_in, page, axe):
    from cases.models import Deadline, User

    demo_in("leeds")
    worker = User.objects.get(email="social-worker@leeds.casework.test")
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, "social-worker@leeds.casework.test")
    page.locator("#caseload").get_by_role("link", name="Ruby Ahmed").click()
    open_record_section(page, "Visits")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Record a visit").click()
    assert page.get_by_label("Kind of visit").input_value() == "cp"
    visit_day = page.get_by_role("group", name="Date of the visit").get_by_label("Day")
    assert visit_day.input_value() == str(timezone.localdate(DEFAULT).day)
    assert page.get_by_label("Time the visit started").input_value() == f"{timezone.localtime(DEFAULT):%H:%M}"

    page.get_by_role("group", name="Where").get_by_label("The child's home").check()
    page.get_by_role("group", name="Was the visit announced?").get_by_label("No", exact=True).check()
    why_not_alone = page.get_by_label("If not, why was the child not seen alone?")
    assert not why_not_alone.is_visible()
    page.get_by_role("group", name="Was the child seen?").get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("No", exact=True).check()
    assert why_not_alone.is_visible()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes", exact=True).check()
    assert not why_not_alone.is_visible()
    page.get_by_role("group", name="Was the child's bedroom seen?").get_by_label("Yes", exact=True).check()
    page.get_by_label("The child's wishes and feelings, in their own words").fill("My arm doesn't hurt now.")
    page.get_by_label("Observations").fill("Ruby played happily; her mother was attentive.")
    page.get_by_label("Analysis").fill("The safety plan is holding.")
    page.get_by_label("Action 1: what is to be done").fill("Ask the school nurse to check Ruby's arm")
    page.get_by_label("Action 1: who will do it").select_option(label=worker.full_name)
    by_when = timezone.localdate(DEFAULT) + timedelta(days=7)
    action_date = page.get_by_role("group", name="Action 1: by when")
    action_date.get_by_label("Day").fill(str(by_when.day))
    action_date.get_by_label("Month").fill(str(by_when.month))
    action_date.get_by_label("Year").fill(str(by_when.year))
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save and record the visit").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Visit recorded" in banner and "The next visit is due by" in banner
    assert "counted from" in page.locator("#next-visit").inner_text()
    assert_accessible(axe, page)
    recorded_at = page.url
    page.go_back()
    page.wait_for_load_state()
    assert "Your role does not allow this" not in page.locator("main").inner_text()
    page.goto("/")
    assert "Ask the school nurse to check Ruby's arm" in page.locator("main").inner_text()  # Actions from visits

    next_due = Deadline.objects.get(child__first_name="Ruby", authority__slug="leeds", key="cp_visit_interval",
                                    status="open")  # fmt: skip
    due_text = f"{timezone.localtime(next_due.due_at):%a} {timezone.localtime(next_due.due_at).day}"
    page.goto(recorded_at)
    open_record_section(page, "Visits")
    assert due_text in page.locator("#next-visit").inner_text()
    assert "Leeds City Council visits every 15 working days" in page.locator("#next-visit").inner_text()
    page.locator("#next-visit").get_by_text("How this date was worked out").click()
    assert "15 working days from" in page.locator("#next-visit").inner_text()
    assert_accessible(axe, page)

    page.goto("/visits/due/")
    assert "Ruby Ahmed" in page.locator("main").inner_text() and due_text in page.locator("main").inner_text()
    assert_accessible(axe, page)
