"""The sign-off loop in the browser: the worker writes and submits, the manager returns it with a
comment, the worker revises and resubmits, the manager approves, the completion deadline shows as
met, and the PDF downloads with the analysis in it. York's demo child Maya Hughes."""

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANALYSIS = "Maya is safe at home with her mother's support; the bruising was accidental."
# Every section must be written before the assessment can be submitted.
SECTIONS = {
    "Child's developmental needs": "Healthy, reading well for her age.",
    "Parenting capacity": "Mother is warm and consistent.",
    "Family and environmental factors": "Settled housing; grandparents nearby.",
    "The child's views, in their own words": "I like my school. Mum helps me read.",
    "Parents' and carers' views": "Mother: I want help with bedtimes.",
    "Identity, culture and diversity": "British Pakistani; the family attends the local mosque.",
    "Risks": "Low: one bruise, explained and consistent with a fall.",
    "Protective factors": "A caring mother, a school that knows her well.",
}


def test_write_return_revise_approve_and_download(demo_in, page, axe):
    demo_in("york")

    sign_in(page, "social-worker@york.casework.test")
    page.locator("#caseload").get_by_role("link", name="Maya Hughes").click()
    page.get_by_role("link", name="Assessments", exact=True).click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Start an assessment").click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Start the assessment").click()
    for label, text in SECTIONS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Analysis").fill(ANALYSIS)
    page.get_by_label("Child in need plan").check()
    page.get_by_label("Mental health of a parent or carer").check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save draft").click()
    assert "Draft saved" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Save and submit for sign-off").click()
    assert "Submitted to your manager" in page.locator(".govuk-notification-banner").inner_text()

    sign_in(page, "team-manager@york.casework.test")
    page.get_by_role("link", name="Maya Hughes's assessment").click()
    assert_accessible(axe, page)
    page.get_by_label("What needs to change").fill("Add her father's view, please.")
    page.get_by_role("button", name="Return to the worker").click()
    assert "returned to the worker" in page.locator(".govuk-notification-banner").inner_text()

    sign_in(page, "social-worker@york.casework.test")
    page.get_by_role("link", name="Maya Hughes's assessment").click()
    assert "Add her father's view" in page.locator(".govuk-inset-text").inner_text()
    page.get_by_label("Parents' and carers' views").fill("Father: I want to see Maya every weekend.")
    page.get_by_role("button", name="Save and submit for sign-off").click()

    sign_in(page, "team-manager@york.casework.test")
    page.get_by_role("link", name="Sign-off", exact=True).click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Maya Hughes").click()
    page.get_by_label("Your view and the rationale for approving").fill("Agree: a child in need plan follows.")
    page.get_by_role("button", name="Approve").click()
    assert "Met" in page.locator("#completion-deadline").inner_text()
    assert "allows 45 working days, counted from the allocation" in page.locator("#completion-deadline").inner_text()
    assert_accessible(axe, page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert ANALYSIS[:40] in " ".join(text.split())


def test_text_typed_before_the_session_times_out_is_saved(demo_in, page, settings):
    from assessments.models.assessments import Assessment

    demo_in("york")
    sign_in(page, "social-worker@york.casework.test")
    draft = Assessment.objects.get(authority__slug="york", status="draft")
    settings.SESSION_COOKIE_AGE = 60
    settings.SESSION_WARNING_SECONDS = 57  # the warning comes 3 seconds after the page loads
    page.goto(f"/assessments/{draft.pk}/edit/")
    page.get_by_label("Analysis").fill("Typed just before the warning: Ruby's account fits the injury.")
    page.locator("#timeout-warning").wait_for(state="visible", timeout=10_000)
    page.get_by_text("Draft saved automatically").wait_for(timeout=10_000)
    draft.refresh_from_db()
    assert draft.analysis.startswith("Typed just before the warning")


def test_two_tabs_editing_one_draft_lose_no_text(demo_in, page, axe):
    from assessments.models.assessments import Assessment

    demo_in("york")
    sign_in(page, "social-worker@york.casework.test")
    draft = Assessment.objects.get(authority__slug="york", status="draft")
    second = page.context.new_page()
    for tab in (page, second):
        tab.goto(f"/assessments/{draft.pk}/edit/")

    page.get_by_label("Analysis").fill("First tab: Ruby's account fits the injury.")
    page.get_by_role("button", name="Save draft").click()
    assert "Draft saved" in page.locator(".govuk-notification-banner").inner_text()

    second.get_by_label("Analysis").fill("Second tab: the school saw no other marks.")
    second.get_by_role("button", name="Save draft").click()
    assert "changing: Analysis" in second.locator(".govuk-error-summary").inner_text()
    assert "First tab: Ruby's account" in second.locator("#their-changes").inner_text()
    assert second.get_by_label("Analysis").input_value() == "Second tab: the school saw no other marks."
    assert_accessible(axe, second)
    draft.refresh_from_db()
    assert draft.analysis.startswith("First tab")

    second.get_by_label("Analysis").fill("First tab: Ruby's account fits the injury. Second tab: no other marks.")
    second.get_by_role("button", name="Save draft").click()
    assert "Draft saved" in second.locator(".govuk-notification-banner").inner_text()
    draft.refresh_from_db()
    assert draft.analysis == "First tab: Ruby's account fits the injury. Second tab: no other marks."
