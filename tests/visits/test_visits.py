"""Recording visits through the services: the schedule met and moved on, a visit where the child
was not seen, the write-up's own deadline, bad input, concurrent drafts, and the schedule
following a change of status, placement or the manager's conditions. Leeds, from Mon 14 Dec 2026."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.concurrency import EditConflict
from cases.models import Authority, ChronologyEntry, Deadline
from cases.roles import Role
from cases.rules.timescales import LONDON
from cases.services.family import legal_status_end
from planning.services.placements import placement_agree_permanence, placement_start
from tests.factories import TeamFactory, allocate_new_child, staff
from tests.support import on_plan
from visits.models import Visit
from visits.schedule import VISIT_KEYS
from visits.services import schedule_conditions_set, visit_record, visit_save, visit_start

pytestmark = pytest.mark.django_db

PLAN_START = date(2026, 12, 14)
SEEN = {"place": "home", "announced": True, "present": "Zoë and her mother", "child_seen": True, "seen_alone": True,
        "bedroom_seen": True, "child_views": "I feel safe. Mum reads to me.", "observations": "Warm, tidy home.",
        "analysis": "The plan is working."}  # fmt: skip


def at(day: int, month: int = 12, year: int = 2026, hour: int = 15) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)




def open_visits(case):
    return list(Deadline.objects.filter(case=case, key__in=VISIT_KEYS, status="open"))


def recorded(people, case, when, kind="cp", **content):
    worker = people[Role.SOCIAL_WORKER]
    visit = visit_start(case=case, recorded_by=worker, kind=kind, visited_at=when)
    visit = visit_save(visit=visit, saved_by=worker, version=visit.version, **(SEEN | content))
    return visit_record(visit=visit, recorded_by=worker)


def due_day(deadline) -> str:
    return timezone.localtime(deadline.due_at).date().isoformat()


@time_machine.travel(at(21), tick=False)
def test_a_visit_where_the_child_was_seen_meets_the_deadline_and_opens_the_next(people, case):
    on_plan(people, case, started_on=PLAN_START)
    [first] = open_visits(case)
    assert first.key == "cp_visit_interval" and due_day(first) == "2027-01-07"
    visit = recorded(people, case, at(18))
    first.refresh_from_db()
    assert first.status == "met" and first.met_at == visit.visited_at
    [following] = open_visits(case)
    assert due_day(following) == "2027-01-13" and "15 working days from Fri 18 Dec 2026" in following.explanation
    assert "skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan" in following.explanation
    entry = ChronologyEntry.objects.get(child=case.child, kind="visit")
    assert entry.title == "Statutory child protection visit: child seen alone" and entry.occurred_at == visit.visited_at


@time_machine.travel(at(21), tick=False)
def test_a_visit_where_the_child_was_not_seen_does_not_meet_it_and_the_deadline_says_so(people, case):
    on_plan(people, case, started_on=PLAN_START)
    recorded(people, case, at(18), child_seen=False, seen_alone=None, not_seen_reason="No answer at the door",
             child_views="")  # fmt: skip
    [still_open] = open_visits(case)
    assert still_open.status == "open" and due_day(still_open) == "2027-01-07"
    assert "A visit on Fri 18 Dec 2026 did not meet this deadline: the child was not seen." in still_open.explanation


@time_machine.travel(at(21, hour=10), tick=False)
def test_the_write_up_has_its_own_deadline_and_a_late_one_is_flagged(people, case):
    on_plan(people, case, started_on=PLAN_START)
    on_time = recorded(people, case, at(18))  # Leeds: 2 working days, so by the end of Tue 22 Dec
    late = recorded(people, case, at(16, hour=9))  # due by the end of Fri 18 Dec
    writeups = {d.subject_id: d for d in Deadline.objects.filter(key="visit_recording", case=case)}
    assert writeups[on_time.pk].status == "met" and due_day(writeups[on_time.pk]) == "2026-12-22"
    assert writeups[late.pk].status == "met_late"


@time_machine.travel(at(21), tick=False)
def test_a_draft_keeps_the_write_up_deadline_open_until_recorded(people, case):
    worker = people[Role.SOCIAL_WORKER]
    on_plan(people, case, started_on=PLAN_START)
    draft = visit_start(case=case, recorded_by=worker, kind="cp", visited_at=at(18))
    writeup = Deadline.objects.get(key="visit_recording", subject_id=draft.pk)
    assert writeup.status == "open" and writeup.assignee == worker
    assert open_visits(case)[0].status == "open"  # a draft does not count as the visit yet


@time_machine.travel(at(21), tick=False)
@pytest.mark.parametrize(("content", "field", "message"), [
    ({"child_seen": False, "seen_alone": True}, "seen_alone", "cannot have been seen alone if they were not seen"),
    ({"visited_at": at(22)}, "visited_at", "must be in the past"),
    ({"visited_at": at(1, month=1, year=2020)}, "visited_at", "when the case opened"),
    ({"kind": "coffee"}, "kind", "Select the kind of visit"),
    ({"actions": [{"what": "Book the dentist", "who": "", "by_when": None}]}, "actions", "who will do it"),
    ({"actions": [{"what": "Book", "who": "Mum", "by_when": date(2026, 12, 1)}]}, "actions", "on or after the visit"),
])  # fmt: skip
def test_bad_input_names_the_field_and_saves_nothing(people, case, content, field, message):
    worker = people[Role.SOCIAL_WORKER]
    visit = visit_start(case=case, recorded_by=worker, kind="cin", visited_at=at(18))
    with pytest.raises(ValidationError) as error:
        visit_save(visit=visit, saved_by=worker, version=visit.version, analysis="Typed", **content)
    assert message in " ".join(error.value.message_dict[field])
    visit.refresh_from_db()
    assert visit.analysis == "" and visit.version == 1


@time_machine.travel(at(21), tick=False)
@pytest.mark.parametrize(("content", "field"), [
    ({"child_seen": None}, "child_seen"),
    ({"child_seen": False, "seen_alone": None, "not_seen_reason": ""}, "not_seen_reason"),
    ({"seen_alone": False}, "not_seen_alone_reason"),
    ({"bedroom_seen": False}, "bedroom_not_seen_reason"),
    ({"child_views": ""}, "child_views"),
    ({"analysis": ""}, "analysis"),
    ({"place": ""}, "place"),
])  # fmt: skip
def test_recording_needs_a_complete_write_up_and_changes_nothing_until_then(people, case, content, field):
    worker = people[Role.SOCIAL_WORKER]
    on_plan(people, case, started_on=PLAN_START)
    visit = visit_start(case=case, recorded_by=worker, kind="cp", visited_at=at(18))
    visit = visit_save(visit=visit, saved_by=worker, version=visit.version, **(SEEN | content))
    with pytest.raises(ValidationError) as error:
        visit_record(visit=visit, recorded_by=worker)
    assert field in error.value.message_dict
    visit.refresh_from_db()
    assert visit.status == "draft" and open_visits(case)[0].status == "open"
    assert not ChronologyEntry.objects.filter(child=case.child, kind="visit").exists()


def test_visits_before_a_case_and_in_the_future_are_refused_at_the_start(people, case):
    worker = people[Role.SOCIAL_WORKER]
    with pytest.raises(ValidationError) as error:
        visit_start(case=case, recorded_by=worker, kind="cin", visited_at=timezone.now() + timezone.timedelta(hours=1))
    assert "must be in the past" in error.value.message_dict["visited_at"][0]
    assert not Visit.objects.exists()


@time_machine.travel(at(21), tick=False)
def test_two_people_editing_one_draft_never_lose_text(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    visit = visit_start(case=case, recorded_by=worker, kind="cin", visited_at=at(18))
    opened = visit.version
    visit_save(visit=visit, saved_by=manager, version=opened, observations="Manager's note")
    with pytest.raises(EditConflict) as conflict:
        visit_save(visit=visit, saved_by=worker, version=opened, observations="Worker's text")
    assert "changing: Observations" in conflict.value.messages[0] and conflict.value.changed == ["observations"]
    visit.refresh_from_db()
    assert visit.observations == "Manager's note"


def test_only_the_allocated_worker_or_a_manager_of_the_team_records(people, case, leeds):
    for role in (Role.QA_AUDITOR, Role.BUSINESS_SUPPORT, Role.CONFERENCE_CHAIR):
        with pytest.raises(PermissionDenied):
            visit_start(case=case, recorded_by=people[role], kind="cin", visited_at=timezone.now())
    other_team = staff(Role.SOCIAL_WORKER, authority=leeds, team=TeamFactory(authority=leeds))
    with pytest.raises(PermissionDenied):
        visit_start(case=case, recorded_by=other_team, kind="cin", visited_at=timezone.now())
    assert visit_start(case=case, recorded_by=people[Role.TEAM_MANAGER], kind="cin", visited_at=timezone.now())


@time_machine.travel(at(21), tick=False)
def test_a_change_of_status_recalculates_the_schedule(people, case):
    cin = on_plan(people, case, kind="cin", started_on=date(2026, 12, 1))
    [cin_visit] = open_visits(case)
    assert cin_visit.key == "cin_visit_interval"
    on_plan(people, case, kind="cp", started_on=PLAN_START)  # a child protection plan takes precedence
    cin_visit.refresh_from_db()
    assert cin_visit.status == "cancelled" and "status changed" in cin_visit.cancelled_reason
    [cp_visit] = open_visits(case)
    assert cp_visit.key == "cp_visit_interval" and due_day(cp_visit) == "2027-01-07"
    legal_status_end(status=case.statuses.get(kind="cp"), ended_on=date(2026, 12, 21),
                     ended_by=people[Role.TEAM_MANAGER])  # fmt: skip
    assert [d.key for d in open_visits(case)] == ["cin_visit_interval"]
    legal_status_end(status=cin, ended_on=date(2026, 12, 21), ended_by=people[Role.TEAM_MANAGER])
    assert open_visits(case) == []


@time_machine.travel(at(8, month=1, year=2027), tick=False)
def test_a_placement_change_recalculates_the_looked_after_schedule(people, case):
    on_plan(people, case, kind="lac", started_on=PLAN_START)
    worker = people[Role.SOCIAL_WORKER]
    first = placement_start(case=case, recorded_by=worker, placement_type="U6", carer="The Shaws",
                            started_on=PLAN_START)  # fmt: skip
    assert sorted((d.key, due_day(d)) for d in open_visits(case)) == [
        ("lac_first_visit", "2026-12-21"), ("lac_placement_day_visit", "2026-12-14")]  # fmt: skip
    recorded(people, case, at(14, hour=17), kind="lac")
    assert [(d.key, due_day(d)) for d in open_visits(case)] == [("lac_visit_interval_first_year", "2027-01-25")]
    with pytest.raises(ValidationError) as error:
        placement_start(
            case=case, recorded_by=worker, placement_type="K2", carer="Oak House", started_on=date(2027, 1, 4)
        )
    assert "Enter why the placement changed" in error.value.message_dict["change_reason"]
    placement_start(case=case, recorded_by=worker, placement_type="K2", carer="Oak House", started_on=date(2027, 1, 4),
                    change_reason="The foster placement broke down")  # fmt: skip
    first.refresh_from_db()
    assert first.ended_on == date(2027, 1, 4)
    assert sorted((d.key, due_day(d)) for d in open_visits(case)) == [
        ("lac_first_visit", "2027-01-11"), ("lac_placement_day_visit", "2027-01-04")]  # fmt: skip
    cancelled = Deadline.objects.get(case=case, key="lac_visit_interval_first_year")
    assert cancelled.status == "cancelled" and "placement changed" in cancelled.cancelled_reason


def test_permanence_agreed_by_a_manager_moves_visits_after_the_first_year_to_three_monthly(timescales_loaded):
    leeds = Authority.objects.get(slug="leeds")
    team = TeamFactory(authority=leeds)
    people = {role: staff(role, authority=leeds, team=team) for role in Role} | {"team": team}
    with time_machine.travel(at(1, month=12, hour=9), tick=False):
        case = allocate_new_child(people, leeds).cases.get()
        on_plan(people, case, kind="lac", started_on=date(2026, 12, 1))
        placement = placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U4",
                                    carer="The Ahmeds", started_on=date(2026, 12, 1))  # fmt: skip
    with time_machine.travel(at(20, year=2027), tick=False):
        recorded(people, case, at(20, year=2027, hour=11), kind="lac")
        assert [(d.key, due_day(d)) for d in open_visits(case)] == [
            ("lac_visit_interval_after_first_year", "2028-01-31")
        ]
        with pytest.raises(PermissionDenied):
            placement_agree_permanence(placement=placement, agreed_on=date(2027, 12, 1),
                                       recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
        placement_agree_permanence(
            placement=placement, agreed_on=date(2027, 12, 1), recorded_by=people[Role.TEAM_MANAGER]
        )
        [moved] = open_visits(case)
        assert (moved.key, due_day(moved), moved.condition_applied) == (
            "lac_visit_interval_after_first_year", "2028-03-20", "permanence_agreed")  # fmt: skip


def test_a_st_helens_manager_approves_fortnightly_visits(timescales_loaded):
    st_helens = Authority.objects.get(slug="st-helens")
    team = TeamFactory(authority=st_helens)
    people = {role: staff(role, authority=st_helens, team=team) for role in Role} | {"team": team}
    with time_machine.travel(at(1, month=12, hour=9), tick=False):
        case = allocate_new_child(people, st_helens).cases.get()
        on_plan(people, case, started_on=date(2026, 12, 1))
    with time_machine.travel(at(15, month=1, year=2027, hour=18), tick=False):
        recorded(people, case, at(15, month=1, year=2027))
        assert [(d.key, due_day(d)) for d in open_visits(case)] == [("cp_visit_interval", "2027-01-22")]
        with pytest.raises(ValidationError):
            schedule_conditions_set(case=case, conditions=["step_down_approved"], reason="",
                                    set_by=people[Role.TEAM_MANAGER])  # fmt: skip
        with pytest.raises(PermissionDenied):
            schedule_conditions_set(case=case, conditions=["step_down_approved"], reason="Stable",
                                    set_by=people[Role.SOCIAL_WORKER])  # fmt: skip
        schedule_conditions_set(case=case, conditions=["step_down_approved"], reason="Stable for six weeks",
                                set_by=people[Role.TEAM_MANAGER])  # fmt: skip
        [fortnightly] = open_visits(case)
        assert due_day(fortnightly) == "2027-01-29" and fortnightly.condition_applied == "step_down_approved"
