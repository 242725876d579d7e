"""Running an audit through the services: the programme and its sample, answers with overrides,
the grade, actions on the ledger, responses, moderation by a second auditor and the lock.
Permissions by role, bad input with nothing half-saved, and a locked audit refusing every change."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audits.models import Audit, AuditAction, AuditResponse
from audits.selectors import audit_actions_for, audit_for, audits_visible_to
from audits.services import (
    action_owners,
    audit_action_add,
    audit_action_done,
    audit_answer,
    audit_assign,
    audit_lock,
    audit_mark_rest_not_applicable,
    audit_moderate,
    audit_reassign,
    audit_respond,
    audit_sections_set,
    audit_start,
    audit_submit,
    programme_create,
    programme_sample,
)
from cases.models import Authority, Deadline
from cases.roles import Role
from cases.selectors.children import can_write_case, children_visible_to
from cases.services.family import legal_status_end, legal_status_start
from tests.audits.helpers import answered, due_in, load_templates, moderated, second_auditor, started, submitted
from tests.factories import TeamFactory, allocate_new_child, staff
from tests.support import at, on_plan, team_of

pytestmark = pytest.mark.django_db


def test_only_a_qa_auditor_assigns_and_only_the_assigned_auditor_starts(people, case):
    load_templates("leeds")
    for role in set(Role) - {Role.QA_AUDITOR}:
        with pytest.raises(PermissionDenied):
            audit_assign(assigned_by=people[role], case=case, auditor=people[Role.QA_AUDITOR])
    with pytest.raises(ValidationError) as refused:
        audit_assign(assigned_by=people[Role.QA_AUDITOR], case=case, auditor=people[Role.TEAM_MANAGER])
    assert "auditor" in refused.value.message_dict
    audit = audit_assign(assigned_by=people[Role.QA_AUDITOR], case=case, auditor=second_auditor(people))
    with pytest.raises(PermissionDenied):
        audit_start(audit=audit, auditor=people[Role.QA_AUDITOR])
    york_auditor = staff(Role.QA_AUDITOR, authority=Authority.objects.get(slug="york"))
    with pytest.raises(PermissionDenied):
        audit_assign(assigned_by=york_auditor, case=case, auditor=york_auditor)


def test_the_sample_draws_open_cases_by_team_and_status_shared_among_auditors(people, case, leeds):
    load_templates("leeds")
    others = [allocate_new_child(people, leeds, first_name=f"C{n}").cases.get() for n in range(4)]
    for other in others[:2]:
        legal_status_start(case=other, kind="cp", started_on=timezone.localdate(),
                           recorded_by=people[Role.TEAM_MANAGER], cp_category="NEG")  # fmt: skip
    elsewhere = TeamFactory(authority=leeds)
    auditor, colleague = people[Role.QA_AUDITOR], second_auditor(people)
    programme = programme_create(created_by=auditor, month=date(2026, 11, 17))
    assert programme.month == date(2026, 11, 1) and programme.name == "Case audits, November 2026"
    drawn = programme_sample(programme=programme, drawn_by=auditor, size=5, auditors=[auditor, colleague],
                             team=people["team"], status="cp", seed=1)  # fmt: skip
    assert {a.case_id for a in drawn} == {others[0].pk, others[1].pk}
    assert {a.auditor_id for a in drawn} == {auditor.pk, colleague.pk}
    again = programme_sample(programme=programme, drawn_by=auditor, size=10, auditors=[auditor], seed=2)
    assert {a.case_id for a in again} == {case.pk, others[2].pk, others[3].pk}  # never the same case twice
    with pytest.raises(ValidationError) as refused:
        programme_sample(programme=programme, drawn_by=auditor, size=0, auditors=[], team=elsewhere, status="x")
    assert set(refused.value.message_dict) == {"size", "auditors", "status"}
    with pytest.raises(PermissionDenied):
        programme_sample(programme=programme, drawn_by=people[Role.TEAM_MANAGER], size=1, auditors=[auditor])


def test_sections_follow_the_case_and_the_auditor_adds_or_drops_them(people, case):
    legal_status_start(case=case, kind="cp", started_on=timezone.localdate(), recorded_by=people[Role.TEAM_MANAGER],
                       cp_category="NEG")  # fmt: skip
    audit = started(people, case)
    assert "s10" in audit.section_codes  # Leeds Table 5, planning: a child on a plan
    audit = audit_sections_set(audit=audit, auditor=people[Role.QA_AUDITOR], section_codes=["s2", "s3"])
    assert audit.section_codes == ["s2", "s3"]
    assert AuditResponse.objects.filter(audit=audit, item__section__code="s3").count() == 1
    with pytest.raises(ValidationError):
        audit_sections_set(audit=audit, auditor=people[Role.QA_AUDITOR], section_codes=[])
    with pytest.raises(ValidationError):
        audit_sections_set(audit=audit, auditor=people[Role.QA_AUDITOR], section_codes=["s2", "nonsense"])


def york_child_in_care(since: date = date(2025, 9, 20)):
    """A York child opened on 1 Sep 2025 and looked after from `since`; (people, case)."""
    load_templates("york")
    with time_machine.travel(at(date(2025, 9, 1)), tick=False):
        people, case = team_of("york")
    with time_machine.travel(at(since, 12), tick=False):
        on_plan(people, case, "lac", since)
    return people, case


def test_a_looked_after_childs_audit_has_no_child_protection_or_child_in_need_items(timescales_loaded):
    people, case = york_child_in_care()
    audit = started(people, case)
    assert (audit.period_start, audit.period_end) == (date(2025, 11, 20), date(2026, 11, 20))
    assert audit.section_codes == ["s1", "s3", "s4", "s5"]  # direct work, planning, recording, management
    codes = set(audit.responses.values_list("item__code", flat=True))
    status_items = {code for code in codes if code.startswith("york-s4.e")}
    assert status_items == {f"york-s4.e{n}" for n in [*range(3, 15), *range(23, 32), 33]}
    assert not {"york-s4.e15", "york-s4.e19", "york-s4.e20", "york-s4.e22", "york-s4.e32"} & codes


def test_a_child_protection_plan_in_the_period_brings_its_items(timescales_loaded):
    people, case = york_child_in_care()
    with time_machine.travel(at(date(2026, 2, 2)), tick=False):
        plan = on_plan(people, case, "cp", date(2026, 2, 2))
    with time_machine.travel(at(date(2026, 5, 1)), tick=False):
        legal_status_end(status=plan, ended_on=date(2026, 5, 1), ended_by=people[Role.TEAM_MANAGER])
    codes = set(started(people, case).responses.values_list("item__code", flat=True))
    assert {"york-s4.e15", "york-s4.e19", "york-s4.e27"} <= codes and "york-s4.e22" not in codes


def test_a_plan_that_ended_before_the_period_brings_none(timescales_loaded):
    people, case = york_child_in_care()
    with time_machine.travel(at(date(2025, 9, 5)), tick=False):
        plan = on_plan(people, case, "cp", date(2025, 9, 5))
    with time_machine.travel(at(date(2025, 10, 1)), tick=False):
        legal_status_end(status=plan, ended_on=date(2025, 10, 1), ended_by=people[Role.TEAM_MANAGER])
    codes = set(started(people, case).responses.values_list("item__code", flat=True))
    assert "york-s4.e19" not in codes and "york-s4.e27" in codes


def test_a_section_the_auditor_adds_by_hand_is_audited_whole(timescales_loaded):
    people, case = york_child_in_care()
    audit = started(people, case)
    audit = audit_sections_set(audit=audit, auditor=people[Role.QA_AUDITOR], section_codes=[*audit.section_codes,
                                                                                            "s7"])  # fmt: skip
    included = audit.responses.filter(included=True, item__section__code="s7").count()
    assert included == 9  # York's supplementary conference criteria, all of them
    # Standard 4 matches the record: its child protection items stay out when it is saved again.
    assert not audit.responses.filter(included=True, item__code="york-s4.e19").exists()


def test_the_action_owner_defaults_to_the_childs_allocated_worker(people, case, client):
    audit = submitted(people, case)
    manager = people[Role.TEAM_MANAGER]
    worker = people[Role.SOCIAL_WORKER]
    assert action_owners(audit)[0] == worker and manager in action_owners(audit)
    client.force_login(people[Role.QA_AUDITOR])
    page = client.get(f"/audits/{audit.pk}/actions/new/").content.decode()
    options = re.findall(r'<option value="(\d+)"( selected)?>', page)
    assert options[0] == (str(worker.pk), " selected")  # first, and chosen, whatever the names
    assert sum(1 for _pk, chosen in options if chosen) == 1


def test_an_override_needs_a_reason_and_a_bad_answer_saves_nothing(people, case):
    audit = started(people, case)
    auditor = people[Role.QA_AUDITOR]
    chronology = audit.responses.get(item__code="leeds-fa.2")  # pre-answered "met"
    practice = audit.responses.get(item__code="leeds-fa.3")
    with pytest.raises(ValidationError) as refused:
        audit_answer(audit=audit, auditor=auditor, answers={
            practice.item_id: {"option": "met", "evidence": "Clear records"},
            chronology.item_id: {"option": "not_met"},
        })  # fmt: skip
    assert f"override_{chronology.item_id}" in refused.value.message_dict
    practice.refresh_from_db()
    assert practice.answer == "" and practice.evidence == ""  # nothing half-saved
    with pytest.raises(ValidationError) as refused:
        audit_answer(audit=audit, auditor=auditor, answers={practice.item_id: {"option": "acceptable"}})
    assert refused.value.message_dict == {f"option_{practice.item_id}": [  # not an option of this item's set
        "Choose one of the answers offered for “Records are current and clearly written, and the practitioner owns "
        "each entry.”"]}
    audit_answer(audit=audit, auditor=auditor, answers={
        practice.item_id: {"option": "partly_met", "evidence": "Two entries unsigned"},
        chronology.item_id: {"option": "not_met", "override_reason": "Entries are copied, not analysed"},
    })  # fmt: skip
    chronology.refresh_from_db()
    assert chronology.overridden and chronology.system_answer == "met" and chronology.answer == "not_met"
    rubric = audit.responses.get(item__code="leeds-t2.1")
    audit_answer(audit=audit, auditor=auditor, answers={rubric.item_id: {"option": "unacceptable"}})
    rubric.refresh_from_db()
    assert rubric.answer == "not_met"  # Leeds's binary rubric counts as met / not met


def test_submitting_needs_every_item_answered_the_grade_and_the_findings(people, case):
    audit = started(people, case)
    auditor = people[Role.QA_AUDITOR]
    with pytest.raises(ValidationError) as refused:
        audit_submit(audit=audit, auditor=auditor, grade="splendid", strengths="", areas_for_development="")
    assert set(refused.value.message_dict) == {"grade", "strengths", "areas_for_development", "__all__"}
    assert Audit.objects.get().status == Audit.Status.IN_PROGRESS
    for code in audit.section_codes:
        audit_mark_rest_not_applicable(audit=audit, auditor=auditor, section_code=code)
    audit = audit_submit(audit=audit, auditor=auditor, grade="requires_improvement", strengths="Warm",
                         areas_for_development="Plans", child_voice="Wants to stay at school")  # fmt: skip
    assert audit.status == Audit.Status.SUBMITTED and audit.grade_label() == "Requires improvement to be good"


def test_actions_open_deadlines_for_their_owner_and_reach_my_work(people, case, client):
    audit = answered(people, case)
    auditor, worker = people[Role.QA_AUDITOR], people[Role.SOCIAL_WORKER]
    with pytest.raises(ValidationError) as refused:
        audit_action_add(audit=audit, by=auditor, what="", owner=people[Role.QA_AUDITOR], due_on=due_in(-1))
    assert set(refused.value.message_dict) == {"what", "owner", "due_on"}
    assert not AuditAction.objects.exists() and not Deadline.objects.filter(key="audit_action").exists()
    with pytest.raises(PermissionDenied):
        audit_action_add(audit=audit, by=worker, what="x", owner=worker, due_on=due_in(3))
    action = audit_action_add(audit=audit, by=auditor, what="Update the chronology", owner=worker, due_on=due_in(10))
    deadline = Deadline.objects.get(key="audit_action")
    assert deadline.assignee == worker and deadline.case == case and deadline.rule == "agreed date"
    assert list(audit_actions_for(worker)) == [deadline]
    client.force_login(worker)
    assert "Update the chronology" in client.get("/").content.decode()
    with pytest.raises(PermissionDenied):
        audit_action_done(action=action, by=auditor, note="Done")
    with pytest.raises(ValidationError):
        audit_action_done(action=action, by=worker, note=" ")
    audit_action_done(action=action, by=worker, note="Chronology brought up to date")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MET


def test_the_worker_and_manager_respond_and_a_second_auditor_moderates(people, case):
    audit = submitted(people, case, grade="good")
    auditor, worker, manager = people[Role.QA_AUDITOR], people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    audit_respond(audit=audit, by=worker, text="I agree and will update the chronology")
    audit = audit_respond(audit=audit, by=manager, text="Agreed in supervision")
    assert audit.worker_response and audit.manager_responded_by == manager
    with pytest.raises(PermissionDenied):
        audit_respond(audit=audit, by=people[Role.SERVICE_MANAGER], text="Not mine to answer")
    with pytest.raises(PermissionDenied):
        audit_moderate(audit=audit, moderator=auditor, agree=True)  # never the one who graded
    with pytest.raises(PermissionDenied):
        audit_moderate(audit=audit, moderator=manager, agree=True)
    moderator = second_auditor(people)
    with pytest.raises(ValidationError) as refused:
        audit_moderate(audit=audit, moderator=moderator, agree=False, grade="good", reason="")
    assert set(refused.value.message_dict) == {"grade", "reason"}
    audit = audit_moderate(audit=audit, moderator=moderator, agree=False, grade="requires_improvement",
                           reason="The plan has no dates")  # fmt: skip
    assert audit.status == Audit.Status.MODERATED and audit.final_grade == "requires_improvement"
    assert audit.grade == "good"  # the auditor's own grade is kept beside the moderator's
    with pytest.raises(PermissionDenied):
        audit_lock(audit=audit, by=worker)
    audit = audit_lock(audit=audit, by=moderator)
    assert audit.status == Audit.Status.COMPLETE and audit.is_locked


def test_a_locked_audit_refuses_every_change(people, case):
    audit = moderated(people, case)
    auditor, worker = people[Role.QA_AUDITOR], people[Role.SOCIAL_WORKER]
    action = audit_action_add(audit=audit, by=auditor, what="Chase the GP", owner=worker, due_on=due_in(5))
    audit = audit_lock(audit=audit, by=auditor)
    item_id = audit.responses.first().item_id
    attempts = [
        lambda: audit_answer(audit=audit, auditor=auditor, answers={item_id: {"option": "met"}}),
        lambda: audit_mark_rest_not_applicable(audit=audit, auditor=auditor, section_code=audit.section_codes[0]),
        lambda: audit_sections_set(audit=audit, auditor=auditor, section_codes=audit.section_codes),
        lambda: audit_submit(audit=audit, auditor=auditor, grade="good", strengths="a", areas_for_development="b"),
        lambda: audit_action_add(audit=audit, by=auditor, what="More", owner=worker, due_on=due_in(5)),
        lambda: audit_respond(audit=audit, by=worker, text="Late words"),
        lambda: audit_moderate(audit=audit, moderator=second_auditor(people), agree=True),
        lambda: audit_lock(audit=audit, by=auditor),
        lambda: audit_start(audit=audit, auditor=auditor),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="locked"):
            attempt()
    assert AuditAction.objects.count() == 1 and Audit.objects.get().worker_response == ""
    # The owner still closes their action: the follow-up outlives the lock.
    assert audit_action_done(action=action, by=worker, note="Called").status == AuditAction.Status.DONE


def test_who_reads_an_audit(people, case, leeds):
    audit = started(people, case)
    readers = {role for role in Role if audits_visible_to(people[role]).filter(pk=audit.pk).exists()}
    assert readers == {Role.QA_AUDITOR, Role.SERVICE_MANAGER, Role.TEAM_MANAGER}
    # Auditors read every case of their authority but write only audits.
    assert children_visible_to(people[Role.QA_AUDITOR]).filter(pk=case.child_id).exists()
    assert not can_write_case(people[Role.QA_AUDITOR], case)
    audit = submitted(people, allocate_new_child(people, leeds, first_name="Amir").cases.get())
    assert audits_visible_to(people[Role.SOCIAL_WORKER]).filter(pk=audit.pk).exists()  # graded: the worker reads it
    other_manager = staff(Role.TEAM_MANAGER, authority=leeds, team=TeamFactory(authority=leeds))
    york_auditor = staff(Role.QA_AUDITOR, authority=Authority.objects.get(slug="york"))
    for outsider in (other_manager, york_auditor):
        with pytest.raises(Exception, match="No such audit"):
            audit_for(outsider, audit.pk)
    audit.child.restricted = True
    audit.child.save()
    with pytest.raises(Exception, match="No such audit"):
        audit_for(people[Role.QA_AUDITOR], audit.pk)


def test_an_audit_is_reassigned_until_it_is_graded(people, case, client):
    audit = started(people, case)
    colleague = second_auditor(people)
    client.force_login(people[Role.TEAM_MANAGER])
    assert client.post(f"/audits/{audit.pk}/reassign/", {"auditor": colleague.pk}).status_code == 403
    client.force_login(people[Role.QA_AUDITOR])
    client.post(f"/audits/{audit.pk}/reassign/", {"auditor": people[Role.TEAM_MANAGER].pk})  # not an auditor
    audit.refresh_from_db()
    assert audit.auditor == people[Role.QA_AUDITOR]
    client.post(f"/audits/{audit.pk}/reassign/", {"auditor": colleague.pk})
    audit.refresh_from_db()
    assert audit.auditor == colleague
    graded = submitted(people, allocate_new_child(people, case.authority, first_name="Amir").cases.get())
    with pytest.raises(ValidationError):
        audit_reassign(audit=graded, by=people[Role.QA_AUDITOR], auditor=colleague)
