"""Audit pages for every role (404 for an audit, programme or action the user may not see, and
for another authority's), the audit run through the forms as without JavaScript (an overridden
system check, bad input saving nothing), moderation, the lock, the PDF and CSV, the template
pages and an admin's edit, and bounded queries on two data sizes."""

import re
from io import BytesIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from audits.models import Audit, AuditAction, AuditProgramme, TemplateItem, TemplateSection
from audits.services import (
    audit_action_add,
    audit_answer,
    audit_assign,
    audit_lock,
    audit_mark_rest_not_applicable,
    audit_submit,
    programme_create,
)
from cases.models import Authority, Deadline
from cases.roles import Role
from tests.audits.helpers import due_in, load_templates, moderated, second_auditor, started, submitted
from tests.factories import allocate_new_child, staff

pytestmark = pytest.mark.django_db

READERS = {Role.QA_AUDITOR, Role.SERVICE_MANAGER, Role.TEAM_MANAGER}


@pytest.fixture
def world(people, case, leeds):
    graded = submitted(people, case)
    action = audit_action_add(audit=graded, by=people[Role.QA_AUDITOR], what="Update the chronology",
                              owner=people[Role.SOCIAL_WORKER], due_on=due_in(7))  # fmt: skip
    running = started(people, allocate_new_child(people, leeds, first_name="Amir").cases.get())
    programme = programme_create(created_by=people[Role.QA_AUDITOR], month=due_in(0))
    section = TemplateSection.objects.get(version=graded.version, code="s12")
    return {"graded": graded, "action": action, "running": running, "programme": programme, "section": section,
            "item": section.items.first()}  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_every_audit_page_for_every_role(client, people, world, role):
    client.force_login(people[role])
    graded, running, code = world["graded"], world["running"], world["running"].section_codes[0]
    is_auditor = role == Role.QA_AUDITOR
    pages = 200 if role in READERS else 403
    reads_running = role in READERS
    expected = {
        "/audits/": pages,
        "/audits/programmes/new/": 200 if is_auditor else 403,
        f"/audits/programmes/{world['programme'].pk}/": 200 if is_auditor else 404,
        f"/audits/{graded.pk}/": 200 if role in READERS | {Role.SOCIAL_WORKER} else 404,
        f"/audits/{graded.pk}/report.pdf": 200 if role in READERS | {Role.SOCIAL_WORKER} else 404,
        f"/audits/{running.pk}/": 200 if reads_running else 404,  # not graded yet: not the worker's to read
        f"/audits/{running.pk}/sections/": 200 if is_auditor else 403 if reads_running else 404,
        f"/audits/{running.pk}/sections/{code}/": 200 if is_auditor else 403 if reads_running else 404,
        f"/audits/{running.pk}/grade/": 200 if is_auditor else 403 if reads_running else 404,
        f"/audits/{graded.pk}/actions/new/": 200 if is_auditor else 403 if role in READERS | {Role.SOCIAL_WORKER}
        else 404,
        # A second auditor moderates, never the one who graded.
        f"/audits/{graded.pk}/moderate/": 403 if role in READERS | {Role.SOCIAL_WORKER} else 404,
        f"/audits/actions/{world['action'].pk}/": 200 if role in READERS | {Role.SOCIAL_WORKER} else 404,
        "/audits/results/": pages,
        "/audits/results.csv": pages,
        "/audits/templates/": 200 if role in (Role.QA_AUDITOR, Role.AUTHORITY_ADMIN) else 403,
        f"/audits/templates/sections/{world['section'].pk}/": 200 if role in (Role.QA_AUDITOR,
                                                                              Role.AUTHORITY_ADMIN) else 403,
        f"/audits/templates/items/{world['item'].pk}/edit/": 200 if role == Role.AUTHORITY_ADMIN else 403,
    }  # fmt: skip
    assert {path: client.get(path).status_code for path in expected} == expected


def test_another_authoritys_audits_are_not_found(client, people, world):
    york = Authority.objects.get(slug="york")
    load_templates("york")
    for role in (Role.QA_AUDITOR, Role.SERVICE_MANAGER, Role.AUTHORITY_ADMIN):
        client.force_login(staff(role, authority=york))
        reads_audits, reads_templates = role != Role.AUTHORITY_ADMIN, role != Role.SERVICE_MANAGER
        expected = {
            f"/audits/{world['graded'].pk}/": 404,
            f"/audits/{world['graded'].pk}/report.pdf": 404,
            f"/audits/programmes/{world['programme'].pk}/": 404,
            f"/audits/actions/{world['action'].pk}/": 404,
            f"/audits/templates/sections/{world['section'].pk}/": 404 if reads_templates else 403,
            f"/audits/templates/items/{world['item'].pk}/edit/": 404 if role == Role.AUTHORITY_ADMIN else 403,
        }
        assert {path: client.get(path).status_code for path in expected} == expected
        if reads_audits:
            assert "Update the chronology" not in client.get("/audits/results/").content.decode()


def test_running_an_audit_through_the_forms(client, people, case):
    load_templates("leeds")
    auditor, worker = people[Role.QA_AUDITOR], people[Role.SOCIAL_WORKER]
    client.force_login(auditor)
    response = client.post("/audits/programmes/new/", {"month_0": "1", "month_1": "12", "month_2": "2026"})
    programme = AuditProgramme.objects.get()
    assert response.status_code == 302 and programme.name == "Case audits, December 2026"
    refused = client.post(f"/audits/programmes/{programme.pk}/sample/", {"size": "0"})
    assert refused.status_code == 400 and "Choose at least one auditor" in refused.content.decode()
    client.post(f"/audits/programmes/{programme.pk}/sample/", {"size": "1", "auditors": [auditor.pk]})
    audit = Audit.objects.get()
    assert audit.case == case and audit.auditor == auditor
    client.post(f"/audits/{audit.pk}/start/")
    audit.refresh_from_db()
    assert audit.status == "in_progress"
    page = client.get(f"/audits/{audit.pk}/sections/s12/").content.decode()
    assert "System check: <strong>Met</strong>" in page and "Chronology updated in the month to Fri 20 Nov" in page
    chronology = audit.responses.get(item__code="leeds-fa.2")
    records = audit.responses.get(item__code="leeds-fa.3")
    form = {f"option_{chronology.item_id}": "not_met", f"option_{records.item_id}": "partly_met",
            f"evidence_{records.item_id}": "Two entries unsigned"}  # fmt: skip
    refused = client.post(f"/audits/{audit.pk}/sections/s12/", form)
    assert "Give the reason you differ from the system check for “Chronology is current.”" in refused.content.decode()
    records.refresh_from_db()
    assert records.answer == ""  # nothing half-saved
    form[f"override_{chronology.item_id}"] = "Entries are copied across, not analysed"
    response = client.post(f"/audits/{audit.pk}/sections/s12/", form | {"rest": "not_applicable"})
    assert response.status_code == 302
    chronology.refresh_from_db()
    assert chronology.overridden and chronology.override_reason.startswith("Entries are copied")
    for code in audit.section_codes:
        client.post(f"/audits/{audit.pk}/sections/{code}/", {"rest": "not_applicable"})
    refused = client.post(f"/audits/{audit.pk}/grade/", {"grade": "good", "strengths": ""})
    assert "Enter the strengths you found" in refused.content.decode()
    client.post(f"/audits/{audit.pk}/grade/", {"grade": "good", "strengths": "Warm relationship",
                                               "areas_for_development": "Chronology analysis",
                                               "child_voice": "Zoë's words recorded"})  # fmt: skip
    audit.refresh_from_db()
    assert audit.status == "submitted" and audit.grade == "good"
    due = due_in(10)
    client.post(f"/audits/{audit.pk}/actions/new/", {"what": "Analyse the chronology", "owner": worker.pk,
                                                     "due_on_0": due.day, "due_on_1": due.month,
                                                     "due_on_2": due.year})  # fmt: skip
    assert Deadline.objects.get(key="audit_action").assignee == worker
    client.force_login(worker)
    assert "Analyse the chronology" in client.get("/").content.decode()
    client.post(f"/audits/{audit.pk}/respond/", {"response": "Agreed; done by Friday"})
    client.force_login(second_auditor(people))
    refused = client.post(f"/audits/{audit.pk}/moderate/", {"decision": "change", "grade": "inadequate"})
    assert "Give the reason for changing the grade" in refused.content.decode()
    client.post(f"/audits/{audit.pk}/moderate/", {"decision": "change", "grade": "requires_improvement",
                                                  "reason": "The plan has no dates"})  # fmt: skip
    client.post(f"/audits/{audit.pk}/lock/")
    audit.refresh_from_db()
    assert audit.status == "complete" and audit.final_grade == "requires_improvement"
    assert audit.worker_response == "Agreed; done by Friday"
    page = client.get(f"/audits/{audit.pk}/").content.decode()
    assert "changed the grade to Requires improvement to be good" in page and "The plan has no dates" in page
    pdf = client.get(f"/audits/{audit.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(auditor)
    csv = client.get("/audits/results.csv").content.decode()
    assert "Requires improvement to be good" in csv and audit.child.reference in csv
    results = client.get("/audits/results/").content.decode()
    assert "leeds-fa.2" in results  # the item not met
    client.force_login(worker)
    action = AuditAction.objects.get()
    client.post(f"/audits/actions/{action.pk}/", {"done_note": "Analysis added"})
    assert Deadline.objects.get(key="audit_action").status == "met"


def test_an_admin_edits_an_item_as_a_new_version(client, people, world):
    client.force_login(people[Role.AUTHORITY_ADMIN])
    item = world["item"]
    refused = client.post(f"/audits/templates/items/{item.pk}/edit/", {"text": "", "change_note": ""})
    assert "Say what changed and why" in refused.content.decode()
    client.post(f"/audits/templates/items/{item.pk}/edit/", {"text": "Contact details are current.",
                                                             "change_note": "Plainer words"})  # fmt: skip
    assert TemplateItem.objects.filter(code=item.code).count() == 2
    assert "version 2" in client.get("/audits/templates/").content.decode().lower()


def test_pages_have_bounded_queries(client, people, world, leeds, django_assert_max_num_queries):
    graded, running = world["graded"], world["running"]
    paths = ["/audits/", f"/audits/{graded.pk}/", f"/audits/{running.pk}/", f"/audits/{running.pk}/sections/s12/",
             f"/audits/programmes/{world['programme'].pk}/", f"/audits/actions/{world['action'].pk}/",
             "/audits/results/", "/audits/results.csv", "/audits/templates/",
             f"/audits/templates/sections/{world['section'].pk}/", f"/audits/{running.pk}/sections/",
             f"/audits/{running.pk}/grade/", f"/audits/{graded.pk}/actions/new/",
             f"/audits/{graded.pk}/sections/s12/", "/audits/programmes/new/"]  # fmt: skip
    client.force_login(people[Role.QA_AUDITOR])

    def counts():
        result = {}
        for path in paths:
            with django_assert_max_num_queries(40) as captured:
                assert client.get(path).status_code == 200, path
            result[path] = len(captured)
        return result

    counts()  # warm the per-process caches (content types, policies)
    small = counts()
    for index in range(3):
        other = submitted(people, allocate_new_child(people, leeds, first_name=f"C{index}").cases.get())
        audit_action_add(audit=other, by=people[Role.QA_AUDITOR], what=f"Action {index}",
                         owner=people[Role.SOCIAL_WORKER], due_on=due_in(3))  # fmt: skip
    call_command("load_audit_templates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == small


@pytest.mark.parametrize("role", list(Role))
def test_the_audits_nav_item_is_for_qa_auditors_and_managers(client, people, role):
    client.force_login(people[role])
    assert ('href="/audits/"' in client.get("/").content.decode()) == (role in READERS)


def test_a_team_manager_reads_only_their_teams_results(client, people, world, leeds):
    from tests.factories import TeamFactory

    other = staff(Role.TEAM_MANAGER, authority=leeds, team=TeamFactory(authority=leeds))
    client.force_login(other)
    assert "0 graded audits" in client.get("/audits/results/").content.decode()
    assert client.get("/audits/results.csv").content.decode().count("\n") == 1  # the header only
    client.force_login(people[Role.TEAM_MANAGER])
    assert "1 graded audit " in client.get("/audits/results/").content.decode()
    assert world["graded"].child.reference in client.get("/audits/results.csv").content.decode()


def test_a_restricted_childs_audit_and_action_are_not_found(client, people, world):
    child = world["graded"].child
    Audit.objects.filter(pk=world["graded"].pk).update(programme=world["programme"])
    client.force_login(people[Role.QA_AUDITOR])
    assert child.full_name in client.get(f"/audits/programmes/{world['programme'].pk}/").content.decode()
    child.restricted = True
    child.save()
    child.restricted_to.add(people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.QA_AUDITOR])
    for path in (f"/audits/{world['graded'].pk}/", f"/audits/actions/{world['action'].pk}/"):
        assert client.get(path).status_code == 404
    assert child.full_name not in client.get(f"/audits/programmes/{world['programme'].pk}/").content.decode()
    assert child.full_name not in client.get("/audits/").content.decode()
    client.force_login(people[Role.SOCIAL_WORKER])  # named on the record, and the action's owner
    assert client.get(f"/audits/actions/{world['action'].pk}/").status_code == 200


def item_blocks(page: str) -> dict[str, str]:
    """Each item's markup on a section page (up to the next item), by its code."""
    parts = page.split('<div class="govuk-!-margin-bottom-8 audit-item" id="item-')[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def test_items_are_headed_and_named_by_their_question_with_the_code_a_caption(client, people, world):
    client.force_login(people[Role.QA_AUDITOR])
    running = world["running"]
    page = client.get(f"/audits/{running.pk}/sections/s12/").content.decode()
    chronology = TemplateItem.objects.get(version=running.version, code="leeds-fa.2")
    block = item_blocks(page)["leeds-fa.2"]
    caption, legend = block.index('<span class="govuk-caption-m govuk-!-font-size-16 casework-code">leeds-fa.2'
                                  '</span>'), \
        block.index('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s"><h2 class="govuk-fieldset__'
                    'heading">Chronology is current.</h2></legend>')
    assert caption < legend  # the code above, outside the legend: the group's name is the question alone
    assert f'name="option_{chronology.pk}"' in block.split("</fieldset>")[0]
    assert "Source: Leeds Practice Standards Manual, Team Manager case-file audit checklist" in block
    assert f'href="/children/{running.child_id}/chronology/"' in block  # the record the check read
    assert 'Evidence<span class="govuk-visually-hidden"> for: Chronology is current.</span>' in block


@pytest.mark.parametrize("path", ["/audits/{running}/sections/s12/", "/audits/{running}/sections/s2/",
                                  "/audits/templates/", "/audits/templates/sections/{section}/"])
def test_audit_pages_show_no_seed_file_line_number_or_key(client, people, world, path):
    client.force_login(people[Role.QA_AUDITOR])
    page = client.get(path.format(running=world["running"].pk, section=world["section"].pk)).content.decode()
    main = page[page.index("<main"):page.index("</main>")]
    assert not re.search(r"\bL\d{2,5}\b|\.txt\b|\bseed\b|_interval\b|\bleeds\b(?!-)", main), main


def test_a_graded_audits_pages_say_it_is_locked(client, people, world):
    graded = world["graded"]
    code = graded.section_codes[0]
    response = graded.responses.filter(item__section__code=code).select_related("item").first()
    for role in (Role.QA_AUDITOR, Role.TEAM_MANAGER, Role.SOCIAL_WORKER):
        client.force_login(people[role])
        page = client.get(f"/audits/{graded.pk}/sections/{code}/")
        body = page.content.decode()
        assert page.status_code == 200 and "This audit is locked" in body
        assert f"It was graded by {people[Role.QA_AUDITOR]} on Fri 20 Nov 2026" in body
        assert f'href="/audits/{graded.pk}/">Go back to the audit</a>' in body
        assert response.item.text in body and response.get_answer_display() in body  # the answers, read only
        assert f'name="option_{response.item_id}"' not in body
    client.force_login(people[Role.QA_AUDITOR])
    refused = client.post(f"/audits/{graded.pk}/sections/{code}/", {f"option_{response.item_id}": "met"})
    assert refused.status_code == 409 and "This audit is locked" in refused.content.decode()
    response.refresh_from_db()
    assert response.answer == "not_applicable"  # nothing saved
    for path in (f"/audits/{graded.pk}/grade/", f"/audits/{graded.pk}/sections/"):
        page = client.get(path)
        assert page.status_code == 200 and "This audit is locked" in page.content.decode()
    assert f'href="/audits/{graded.pk}/sections/{code}/"' in client.get(f"/audits/{graded.pk}/").content.decode()


def test_a_completed_audit_says_who_locked_it_and_when(client, people, case):
    audit = moderated(people, case)
    audit_lock(audit=audit, by=second_auditor(people))
    client.force_login(people[Role.QA_AUDITOR])
    body = client.get(f"/audits/{audit.pk}/sections/{audit.section_codes[0]}/").content.decode()
    assert f"It was completed and locked by {second_auditor(people)} on Fri 20 Nov 2026" in body


def test_an_audit_not_started_sends_its_section_pages_back_to_the_audit(client, people, world, leeds):
    assigned = audit_assign(assigned_by=people[Role.QA_AUDITOR], auditor=people[Role.QA_AUDITOR],
                            case=allocate_new_child(people, leeds, first_name="Isla").cases.get())  # fmt: skip
    client.force_login(people[Role.QA_AUDITOR])
    for path in (f"/audits/{assigned.pk}/sections/s12/", f"/audits/{assigned.pk}/grade/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == f"/audits/{assigned.pk}/"


def pdf_pages(response) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages]


def test_the_report_lists_answers_and_counts_the_not_applicable_ones(client, people, case):
    audit = started(people, case)
    auditor = people[Role.QA_AUDITOR]
    practice = audit.responses.get(item__code="leeds-fa.3")
    audit_answer(audit=audit, auditor=auditor, answers={practice.item_id: {"option": "partly_met",
                                                                           "evidence": "Two entries unsigned"}})
    for code in audit.section_codes:
        audit_mark_rest_not_applicable(audit=audit, auditor=auditor, section_code=code)
    audit_submit(audit=audit, auditor=auditor, grade="good", strengths="Warm", areas_for_development="Chronology")
    client.force_login(auditor)
    pages = pdf_pages(client.get(f"/audits/{audit.pk}/report.pdf"))
    text = " ".join(pages)
    assert ("Records are current and clearly written, and the practitioner owns each entry. leeds-fa.3 Partly met "
            "Two entries unsigned") in text
    not_applicable = audit.responses.filter(item__section__code="s12", answer="not_applicable").count()
    assert f"Not applicable: {not_applicable} items" in text
    assert "Child and family details on the contact summary screen" not in text  # not applicable: counted only
    assert "OFFICIAL-SENSITIVE" in pages[0] and "OFFICIAL-SENSITIVE" in pages[-1]
