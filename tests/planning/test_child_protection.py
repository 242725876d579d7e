"""Child protection: the initial conference opens the right core-group and review deadlines in
every shipped authority (across Christmas and New Year bank holidays), core groups follow each
authority's cadence, review conferences continue or end the plan, and the CP status follows."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Deadline, LegalStatus
from cases.roles import Role
from planning.models import Meeting, Plan
from planning.services.conferences import core_group_record, icpc_record, rcpc_record
from planning.services.meetings import meeting_book, meeting_task_done
from tests.support import LONDON, SHIPPED, at

pytestmark = pytest.mark.django_db

ICPC_ON = date(2026, 12, 18)  # reference E2: a Friday before the Christmas bank holidays
# Hand-counted from the reference (E2 and the catalogue), not from the rules module.
FIRST_CORE_GROUP = date(2027, 1, 6)  # 10 working days, skipping 25 and 28 Dec and 1 Jan
FIRST_REVIEW = date(2027, 3, 18)  # 3 months (Barnet and St Helens: the statutory default)
CORE_GROUP_HELD = date(2027, 1, 6)
NEXT_CORE_GROUP = {"barnet": date(2027, 2, 6), "st-helens": date(2027, 2, 6), "leeds": date(2027, 2, 17),
                   "wiltshire": date(2027, 2, 3), "york": date(2027, 2, 6)}  # fmt: skip
# Outline plan and minutes, where the authority sets them: (key, due date) from the conference at 10:00.
AFTER_CONFERENCE = {
    "barnet": set(),
    "st-helens": {("cp_plan_completion", datetime(2026, 12, 19, 10, tzinfo=LONDON)),
                  ("conference_minutes", datetime(2027, 1, 2, 23, 59, 59, tzinfo=LONDON))},
    "leeds": {("cp_plan_circulation", datetime(2026, 12, 20, 10, tzinfo=LONDON))},
    "wiltshire": {("cp_plan_completion", datetime(2026, 12, 23, 23, 59, 59, tzinfo=LONDON)),  # 3 working days
                  ("cp_plan_circulation", datetime(2026, 12, 29, 23, 59, 59, tzinfo=LONDON)),  # 5, after Christmas
                  ("icpc_outcome_circulation", datetime(2026, 12, 19, 10, tzinfo=LONDON)),
                  ("conference_minutes", datetime(2027, 1, 6, 23, 59, 59, tzinfo=LONDON))},
    "york": set(),
}  # fmt: skip


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def decide_plan(people, case, day=ICPC_ON, categories=("PHY",)):
    with time_machine.travel(at(day, 12), tick=False):
        return icpc_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(day),
                           attendees="Mother, school", decision="cp_plan", categories=list(categories),
                           summary="Physical abuse; plan agreed.")  # fmt: skip


def on(subject):
    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


def open_keys(subject, *keys):
    return {d.key: d for d in on(subject).filter(key__in=keys, status="open")}


@pytest.mark.parametrize("slug", SHIPPED)
def test_an_initial_conference_opens_the_core_group_and_review_deadlines(opened_in_november, slug):
    people, case = opened_in_november[slug]
    meeting = decide_plan(people, case)
    plan = Plan.objects.get(case=case, kind="cp")
    clocks = open_keys(plan, "first_core_group", "first_rcpc")
    assert clocks["first_core_group"].due_at == end_of(FIRST_CORE_GROUP)
    assert clocks["first_rcpc"].due_at == end_of(FIRST_REVIEW)
    assert clocks["first_core_group"].assignee == people[Role.SOCIAL_WORKER]
    after = {(d.key, d.due_at) for d in on(meeting).filter(status="open")}
    assert after == AFTER_CONFERENCE[slug]
    status = LegalStatus.objects.get(case=case, kind="cp", ended_on=None)
    assert (status.started_on, status.cp_category) == (ICPC_ON, "PHY")
    assert case.child.chronology.filter(title__startswith="Initial child protection conference").exists()


@pytest.mark.parametrize("slug", SHIPPED)
def test_a_core_group_meets_the_open_one_and_opens_the_next_at_the_authoritys_cadence(opened_in_november, slug):
    people, case = opened_in_november[slug]
    decide_plan(people, case)
    plan = Plan.objects.get(case=case, kind="cp")
    with time_machine.travel(at(CORE_GROUP_HELD, 15), tick=False):
        core_group_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], held_at=at(CORE_GROUP_HELD),
                          attendees="Mother, school, health visitor", summary="Good progress.")  # fmt: skip
    first = on(plan).get(key="first_core_group")
    assert first.status == "met"
    assert open_keys(plan, "core_group_interval")["core_group_interval"].due_at == end_of(NEXT_CORE_GROUP[slug])


def test_a_review_conference_continues_the_plan_to_the_next_review_or_ends_it(opened_in_november):
    people, case = opened_in_november["york"]
    chair = people[Role.CONFERENCE_CHAIR]
    decide_plan(people, case)
    plan = Plan.objects.get(case=case, kind="cp")
    review_on = date(2027, 3, 15)
    with time_machine.travel(at(review_on, 12), tick=False):
        rcpc_record(case=case, chair=chair, held_at=at(review_on), attendees="Mother", decision="continue", summary="")
    assert on(plan).get(key="first_rcpc").status == "met"
    assert open_keys(plan, "rcpc_interval")["rcpc_interval"].due_at == end_of(date(2027, 9, 15))
    ends_on = date(2027, 9, 1)
    with time_machine.travel(at(ends_on, 12), tick=False):
        rcpc_record(case=case, chair=chair, held_at=at(ends_on), attendees="Mother", decision="end",
                    summary="Risks reduced; support continues as a child in need.")  # fmt: skip
    plan.refresh_from_db()
    assert plan.ended_on == ends_on
    assert not open_keys(plan, "rcpc_interval", "first_core_group", "core_group_interval")
    assert LegalStatus.objects.get(case=case, kind="cp").ended_on == ends_on


def test_wiltshire_asks_for_a_child_in_need_plan_after_the_cp_plan_ends(opened_in_november):
    people, case = opened_in_november["wiltshire"]
    decide_plan(people, case)
    with time_machine.travel(at(date(2027, 3, 1), 12), tick=False):
        rcpc_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(date(2027, 3, 1)), attendees="Mother",
                    decision="end", summary="Plan no longer needed.")  # fmt: skip
    clock = Deadline.objects.get(case=case, key="cin_plan_after_cp_end")
    assert clock.due_at == end_of(date(2027, 3, 15))  # 10 working days


def test_booking_a_conference_opens_the_reports_due_before_it(opened_in_november):
    people, case = opened_in_november["york"]
    with time_machine.travel(at(date(2026, 12, 1)), tick=False):
        booked = meeting_book(case=case, kind="icpc", scheduled_at=at(date(2026, 12, 30)),
                              booked_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    clocks = open_keys(booked, "icpc_report_to_family", "icpc_report_to_chair")
    # York: 3 working days before Wed 30 Dec: Tue 29 (-1), [Mon 28 BH, Sun, Sat, Fri 25 BH], Thu 24 (-2), Wed 23 (-3)
    assert clocks["icpc_report_to_family"].due_at == end_of(date(2026, 12, 23))
    assert clocks["icpc_report_to_chair"].due_at == end_of(date(2026, 12, 23))
    with time_machine.travel(at(date(2026, 12, 22)), tick=False):
        meeting_task_done(meeting=booked, key="icpc_report_to_family", done_at=None,
                          recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    with time_machine.travel(at(date(2026, 12, 30), 15), tick=False):
        held = icpc_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(date(2026, 12, 30)),
                           attendees="Mother", decision="cp_plan", categories=["NEG", "EMO"], summary="",
                           booking=booked)  # fmt: skip
    assert held.pk == booked.pk and Meeting.objects.count() == 1
    statuses = dict(on(booked).values_list("key", "status"))
    assert statuses == {"icpc_report_to_family": "met", "icpc_report_to_chair": "cancelled"}
    assert LegalStatus.objects.get(case=case, kind="cp").cp_category == "MUL"


def test_the_conference_meets_the_enquirys_conference_clock(opened_in_november):
    from cases.services.deadlines import deadline_open

    people, case = opened_in_november["leeds"]
    with time_machine.travel(at(date(2026, 12, 10)), tick=False):
        clock = deadline_open(authority=case.authority, key="icpc", subject=case, start=at(date(2026, 12, 10)),
                              case=case)  # fmt: skip
    assert clock.subject_type == ContentType.objects.get_for_model(case)
    decide_plan(people, case)
    clock.refresh_from_db()
    assert clock.status == "met"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.QA_AUDITOR])
def test_only_the_chair_records_conferences(opened_in_november, role):
    people, case = opened_in_november["leeds"]
    with time_machine.travel(at(ICPC_ON, 12), tick=False), pytest.raises(PermissionDenied):
        icpc_record(case=case, chair=people[role], held_at=at(ICPC_ON), attendees="Mother", decision="cp_plan",
                    categories=["PHY"], summary="")  # fmt: skip


def test_bad_input_names_each_field_and_saves_nothing(opened_in_november):
    people, case = opened_in_november["leeds"]
    with time_machine.travel(at(ICPC_ON, 12), tick=False), pytest.raises(ValidationError) as error:
        icpc_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(date(2027, 1, 5)), attendees=" ",
                    decision="cp_plan", categories=[], summary="")  # fmt: skip
    assert set(error.value.message_dict) == {"held_at", "attendees", "categories"}
    with time_machine.travel(at(ICPC_ON, 12), tick=False), pytest.raises(ValidationError) as error:
        core_group_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], held_at=at(ICPC_ON), attendees="x",
                          summary="y")  # fmt: skip
    assert "no child protection plan" in str(error.value)
    assert not Meeting.objects.exists() and not Plan.objects.exists()
    assert not LegalStatus.objects.filter(case=case, kind="cp").exists()


def test_a_second_initial_conference_is_refused_while_the_plan_is_in_place(opened_in_november):
    people, case = opened_in_november["barnet"]
    decide_plan(people, case)
    with pytest.raises(ValidationError, match="already has a child protection plan"):
        decide_plan(people, case, day=date(2026, 12, 21))
    assert Plan.objects.filter(case=case).count() == 1
