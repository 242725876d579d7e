"""A Leeds QA auditor starts a programme, samples a child-protection case, audits it section by
section (overriding one system check with a reason), grades it and sets an action; the social
worker sees the action on My work; a second auditor moderates, changing the grade with a reason;
the audit report downloads as a PDF marked OFFICIAL-SENSITIVE. Every page is checked with axe,
each item's answers are named by its question, and the graded audit's sections say it is locked."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_auditor_samples_audits_and_a_second_auditor_moderates(demo_in, page, axe):
    from audits.models import Audit, AuditResponse

    demo_in("leeds")
    sign_in(page, "qa-auditor@leeds.casework.test")
    page.get_by_role("link", name="Audits", exact=True).click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Start a programme").click()
    following = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    page.locator("#id_month_0").fill("1")
    page.locator("#id_month_1").fill(str(following.month))
    page.locator("#id_month_2").fill(str(following.year))
    assert_accessible(axe, page)
    page.get_by_role("button", name="Start the programme").click()
    page.get_by_label("The child's status").select_option(label="Child protection")
    page.get_by_label("How many cases").fill("1")
    page.get_by_label("Grace Mensah").check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Draw the sample").click()
    assert "1 case sampled and assigned" in page.locator(".govuk-notification-banner").inner_text()
    page.locator("#programme-audits").get_by_role("link", name="Ruby Ahmed audit").click()
    page.get_by_role("button", name="Start the audit").click()
    assert_accessible(axe, page)

    audit = Audit.objects.get(child__first_name="Ruby", child__authority__slug="leeds", status="in_progress")
    page.locator("#sections").get_by_role("link", name="Team Manager case-file audit checklist").click()
    chronology = AuditResponse.objects.get(audit=audit, item__code="leeds-fa.2")
    assert chronology.system_answer and chronology.system_evidence in page.locator("main").inner_text()
    # The answers are a group named by the item's question; its code is only a caption beside it.
    question = page.get_by_role("group", name="Chronology is current.", exact=True)
    assert question.get_by_role("radio").count() == 4  # met, partly met, not met, not applicable
    assert question.get_by_role("link", name="Ruby's chronology (opens in new tab)").count() == 1
    differ = "not_met" if chronology.system_answer != "not_met" else "met"
    page.locator(f"input[name='option_{chronology.item_id}'][value='{differ}']").check()
    page.get_by_label("Why you differ from the system check: Chronology is current.").fill(
        "Entries are listed but the impact on Ruby is never analysed."
    )
    page.get_by_label('Answer every item left unanswered "not applicable"').check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save and return to the audit").click()
    for code in audit.section_codes:
        if code == "s12":
            continue
        page.goto(f"/audits/{audit.pk}/sections/{code}/")
        if code == "s7":  # contact with children: the visit checks, their records linked
            visits = AuditResponse.objects.select_related("item").get(audit=audit, item__code="leeds-t2.5")
            assert page.get_by_role("group", name=visits.item.text, exact=True).is_visible()
            assert_accessible(axe, page)
        page.get_by_label('Answer every item left unanswered "not applicable"').check()
        page.get_by_role("button", name="Save and return to the audit").click()
    page.get_by_role("link", name="Grade the audit").click()
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Strengths").fill("Ruby's safety plan is clear and visits are purposeful.")
    page.get_by_label("Areas for development").fill("The chronology needs analysis.")
    page.get_by_label("The child's voice").fill("Ruby's words about home are in the last visit record.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Submit the grade").click()
    page.get_by_role("link", name="Set an action").click()
    page.get_by_label("What is to be done").fill("Add an analysis of Ruby's chronology")
    owner = page.get_by_label("Who owns it")
    assert owner.input_value() == str(audit.case.worker_id)  # the child's allocated worker, chosen already
    owner.select_option(label="Sam Okafor")
    due = timezone.localdate() + timedelta(days=14)
    block = page.get_by_role("group", name="Due by")
    block.get_by_label("Day").fill(str(due.day))
    block.get_by_label("Month").fill(str(due.month))
    block.get_by_label("Year").fill(str(due.year))
    assert_accessible(axe, page)
    page.get_by_role("button", name="Set the action").click()
    assert "Add an analysis of Ruby's chronology" in page.locator("#actions").inner_text()
    assert_accessible(axe, page)

    sign_in(page, "social-worker@leeds.casework.test")
    assert "Add an analysis of Ruby's chronology" in page.locator("main").inner_text()
    assert_accessible(axe, page)

    sign_in(page, "second-qa-auditor@leeds.casework.test")
    page.goto(f"/audits/{audit.pk}/")
    page.get_by_role("link", name="Moderate this audit").click()
    page.get_by_label("Change the grade").check()
    page.get_by_label("Requires improvement to be good").check()
    page.get_by_label("Your reason").fill("The overridden chronology check weighs more than the grade allows.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Record the moderation").click()
    moderation = page.locator("#moderation").inner_text()
    assert "changed the grade to Requires improvement to be good" in moderation
    assert_accessible(axe, page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the audit report (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]
    text = " ".join(pages)
    assert "Case audit report" in text and "Entries are listed but the impact on Ruby is never analysed." in text
    assert "Not applicable:" in text and "OFFICIAL-SENSITIVE" in pages[0] and "OFFICIAL-SENSITIVE" in pages[-1]

    # Graded, the audit's sections read back its answers and say it is locked.
    page.locator("#sections").get_by_role("link", name="Team Manager case-file audit checklist").click()
    assert "This audit is locked" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Go back to the audit").count() == 1
    assert_accessible(axe, page)
