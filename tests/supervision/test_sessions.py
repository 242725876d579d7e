"""Recording supervision through the services (Leeds): the worker's and the child's cadences met
and moved on, the discussion on the child's file and chronology, signatures, oversight notes,
permissions and bad input with nothing half-saved."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Authority, ChronologyEntry, Deadline
from cases.roles import Role
from cases.rules.timescales import LONDON
from cases.services.family import legal_status_start
from supervision.models import CaseDiscussion, SupervisionSession
from supervision.services import oversight_record, supervision_record, supervision_sign, worker_cadence_open
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db

HELD = datetime(2026, 12, 18, 10, tzinfo=LONDON)
NOW = datetime(2026, 12, 21, 16, tzinfo=LONDON)


def day(deadline) -> str:
    return timezone.localtime(deadline.due_at).date().isoformat()


def session(people, case, **overrides):
    fields = {"supervisor": people[Role.TEAM_MANAGER], "worker": people[Role.SOCIAL_WORKER], "held_at": HELD,
              "kind": "formal", "agenda": "Caseload", "wellbeing": "Tired after a hard week",
              "discussions": [{"case": case, "discussion": "Zoë is settled at school.",
                               "decisions": "Keep the plan; review in a month."}]}  # fmt: skip
    return supervision_record(**(fields | overrides))


@time_machine.travel(NOW, tick=False)
def test_a_session_meets_and_opens_the_workers_and_the_childs_cadence(people, case):
    worker = people[Role.SOCIAL_WORKER]
    first = worker_cadence_open(worker=worker, since=datetime(2026, 11, 20, 9, tzinfo=LONDON))  # due 20 Dec
    legal_status_start(case=case, kind="cp", cp_category="NEG", started_on=date(2026, 12, 1),
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    recorded = session(people, case)
    first.refresh_from_db()
    assert first.status == "met"
    following = Deadline.objects.get(key="supervision_interval", status="open", assignee=worker)
    assert day(following) == "2027-01-18" and "1 month" in following.explanation.replace("months", "month")
    child_next = Deadline.objects.get(case=case, key="case_supervision_interval", status="open")
    assert day(child_next) == "2027-02-18"  # Leeds: the common-practice two months
    on_file = Deadline.objects.get(key="supervision_record_to_child_file", case=case)
    assert on_file.status == "met" and day(on_file) == "2026-12-22"  # Leeds: 2 working days from the session
    entry = ChronologyEntry.objects.get(child=case.child, kind="decision", title__startswith="Case discussion")
    assert "Keep the plan" in entry.detail and "Tired" not in entry.detail  # wellbeing stays off the child's file
    assert recorded.discussions.get().child == case.child


@time_machine.travel(NOW, tick=False)
def test_an_earlier_session_recorded_afterwards_leaves_one_clock_running_from_the_latest(people, case):
    session(people, case)  # Fri 18 Dec: the next case supervision counts from here
    session(people, case, held_at=datetime(2026, 12, 10, 10, tzinfo=LONDON))
    running = Deadline.objects.filter(case=case, key="case_supervision_interval", status="open")
    assert [day(deadline) for deadline in running] == ["2027-02-18"]


@time_machine.travel(NOW, tick=False)
def test_a_newly_qualified_worker_is_supervised_fortnightly(people, case):
    worker = people[Role.SOCIAL_WORKER]
    worker.newly_qualified, worker.newly_qualified_from = True, date(2026, 9, 1)
    worker.save()
    session(people, case, discussions=[])
    following = Deadline.objects.get(key="supervision_interval_nqsw", status="open", assignee=worker)
    assert day(following) == "2027-01-01" and following.conditions == ["newly_qualified"]


def test_only_a_manager_of_the_workers_team_supervises(people, case, leeds):
    with pytest.raises(PermissionDenied):
        session(people, case, supervisor=people[Role.SOCIAL_WORKER], worker=people[Role.TEAM_MANAGER])
    other_manager = staff(Role.TEAM_MANAGER, authority=leeds, team=TeamFactory(authority=leeds))
    with pytest.raises(PermissionDenied):
        session(people, case, supervisor=other_manager)
    with pytest.raises(PermissionDenied):
        session(people, case, worker=people[Role.TEAM_MANAGER])  # nobody supervises themselves
    outsider = staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york"))
    with pytest.raises(PermissionDenied):
        session(people, case, supervisor=staff(Role.SERVICE_MANAGER, authority=leeds), worker=outsider)
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"kind": ""}, "kind", "Select the kind of supervision"),
    ({"held_at": None}, "held_at", "Enter when the session was held"),
    ({"held_at": datetime(2099, 1, 1, tzinfo=LONDON)}, "held_at", "must be in the past"),
    ({"discussions": "missing decisions"}, "discussions", "Enter the discussion and the decisions"),
])  # fmt: skip
def test_bad_input_names_the_field_and_saves_nothing(people, case, overrides, field, message):
    deadlines_before = set(Deadline.objects.values_list("pk", "status"))
    if overrides.get("discussions") == "missing decisions":
        overrides = {"discussions": [{"case": case, "discussion": "Talked", "decisions": ""}]}
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as error:
        session(people, case, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert not SupervisionSession.objects.exists() and not CaseDiscussion.objects.exists()
    assert set(Deadline.objects.values_list("pk", "status")) == deadlines_before


@time_machine.travel(NOW, tick=False)
def test_a_case_not_held_by_the_worker_is_refused(people, case, leeds):
    from tests.factories import allocate_new_child

    colleague = staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"])
    with pytest.raises(ValidationError) as error:
        session(people, case, worker=colleague)
    assert "is not allocated to" in error.value.message_dict["discussions"][0]
    other = allocate_new_child(people, leeds).cases.get()
    with pytest.raises(ValidationError):
        session(people, case, discussions=[{"case": other, "discussion": "a", "decisions": "b"}] * 2)
    assert not SupervisionSession.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_worker_signs_with_their_comment_and_nobody_else_may(people, case):
    recorded = session(people, case)
    with pytest.raises(PermissionDenied):
        supervision_sign(session=recorded, worker=people[Role.TEAM_MANAGER], comment="Not mine")
    signed = supervision_sign(session=recorded, worker=people[Role.SOCIAL_WORKER], comment="I agree with the plan.")
    assert signed.worker_signed_at and signed.worker_comment == "I agree with the plan."
    with pytest.raises(ValidationError):
        supervision_sign(session=recorded, worker=people[Role.SOCIAL_WORKER])


def test_management_oversight_is_a_managers_and_goes_on_the_chronology(people, case):
    with pytest.raises(PermissionDenied):
        oversight_record(case=case, manager=people[Role.SOCIAL_WORKER], decision="x", rationale="y")
    with pytest.raises(ValidationError) as error:
        oversight_record(case=case, manager=people[Role.TEAM_MANAGER], decision="Step down to CIN", rationale="")
    assert "Enter the rationale" in error.value.message_dict["rationale"][0]
    note = oversight_record(case=case, manager=people[Role.TEAM_MANAGER], decision="Step down to CIN",
                            rationale="Risks reduced; the family engages.")  # fmt: skip
    entry = ChronologyEntry.objects.get(child=case.child, title__startswith="Management oversight")
    assert "Step down to CIN" in entry.detail and note.child == case.child


@time_machine.travel(NOW, tick=False)
def test_a_discussion_written_up_after_the_authoritys_clock_is_met_late(people, case):
    session(people, case, held_at=datetime(2026, 12, 10, 10, tzinfo=LONDON))  # Leeds: on file by Mon 14 Dec
    on_file = Deadline.objects.get(key="supervision_record_to_child_file", case=case)
    assert (on_file.status, day(on_file)) == ("met_late", "2026-12-14")


@time_machine.travel(NOW, tick=False)
def test_actions_open_deadlines_for_their_owners_that_no_recalculation_moves(people, case):
    from cases.services.deadlines import deadline_recalculate

    worker = people[Role.SOCIAL_WORKER]
    referral = {"what": "Refer to the attendance team", "owner": worker, "by_when": date(2027, 1, 8)}
    session(people, case, discussions=[{"case": case, "discussion": "School attendance", "decisions": "Refer",
                                        "actions": [referral]}])  # fmt: skip
    action = Deadline.objects.get(key="supervision_action", case=case)
    assert action.assignee == worker and day(action) == "2027-01-08" and action.rule == "agreed date"
    assert "Refer to the attendance team" in action.explanation
    deadline_recalculate(authority=case.authority)  # an admin's recalculation skips agreed dates
    action.refresh_from_db()
    assert day(action) == "2027-01-08"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("action", "message"), [
    ({"what": "Refer", "by_when": None}, "what is to be done and by when"),
    ({"what": "Refer", "by_when": date(2026, 12, 1)}, "cannot be due in the past"),
    ({"what": "Refer", "by_when": date(2027, 1, 8), "owner": "nobody"}, "the worker or the supervisor"),
])  # fmt: skip
def test_a_bad_action_refuses_the_whole_record(people, case, action, message):
    action = {"owner": people[Role.SOCIAL_WORKER]} | action
    with pytest.raises(ValidationError) as error:
        session(people, case, discussions=[{"case": case, "discussion": "a", "decisions": "b", "actions": [action]}])
    assert message in error.value.message_dict["discussions"][0]
    assert not SupervisionSession.objects.exists() and not Deadline.objects.filter(key="supervision_action").exists()
