"""Looked after, child in need and care leavers in every shipped authority, across the Christmas
and New Year bank holidays: a placement opens the right visit, review, health and education
deadlines; a CIN decision opens the first meeting and each meeting the next review; reviews and
health assessments open the next; a 16th birthday opens the pathway deadlines, once."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from cases.models import Deadline
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.models import CareCheck, Meeting
from planning.services import plan_start
from planning.services.child_in_need import cin_meeting_record
from planning.services.leaving_care import pathway_clocks_open
from planning.services.looked_after import care_check_record, lac_review_record, placement_meeting_record
from planning.services.meetings import meeting_task_done
from planning.services.placements import placement_start
from tests.support import LONDON, SHIPPED, at, team_of

pytestmark = pytest.mark.django_db

PLACED = date(2026, 12, 18)  # a Friday, before Christmas Day and the Boxing Day substitute (28 Dec)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


# Hand-counted (reference §1 conventions), not from the rules module. None: the authority sets no value.
ON_PLACEMENT = {
    # Statutory one week (reg 28): Barnet's and Wiltshire's 5 working days would fall later (29 Dec).
    "lac_first_visit": dict.fromkeys(SHIPPED, end_of(date(2026, 12, 25))),
    "placement_planning_meeting": {"barnet": end_of(date(2026, 12, 29)), "st-helens": end_of(date(2026, 12, 29)),
                                   "leeds": datetime(2026, 12, 21, tzinfo=LONDON),  # 72 hours
                                   "wiltshire": None, "york": end_of(date(2026, 12, 29))},
    "care_plan": {"barnet": end_of(date(2027, 1, 6)), "st-helens": end_of(date(2027, 1, 6)),
                  "leeds": end_of(date(2027, 1, 6)), "wiltshire": end_of(PLACED),  # before the placement
                  "york": end_of(date(2026, 12, 28))},  # 10 calendar days
    "lac_first_review": {"barnet": end_of(date(2027, 1, 18)),  # one month, earlier than 20 working days
                         "st-helens": end_of(date(2027, 1, 20)), "leeds": end_of(date(2027, 1, 20)),
                         "wiltshire": end_of(date(2027, 1, 7)),  # 20 calendar days
                         "york": end_of(date(2027, 1, 20))},
    "initial_health_assessment": dict.fromkeys(SHIPPED, end_of(date(2027, 1, 20))),
    "initial_health_assessment_request": {"barnet": end_of(date(2026, 12, 22)), "st-helens": None, "leeds": None,
                                          "wiltshire": None, "york": end_of(date(2026, 12, 23))},
    "pep_initial": {"barnet": end_of(date(2027, 1, 20)), "st-helens": end_of(date(2027, 1, 20)),
                    "leeds": end_of(date(2027, 1, 20)), "wiltshire": end_of(date(2027, 1, 20)),
                    "york": end_of(date(2027, 1, 6))},
}  # fmt: skip


def due(case, key):
    found = Deadline.objects.filter(case=case, key=key, status="open").first()
    return found.due_at if found else None


@pytest.mark.parametrize("slug", SHIPPED)
def test_a_placement_opens_the_visit_review_health_and_education_deadlines(timescales_loaded, slug):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    with time_machine.travel(at(PLACED, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=PLACED,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                        started_on=PLACED)  # fmt: skip
    assert {key: due(case, key) for key in ON_PLACEMENT} == {key: values[slug] for key, values in ON_PLACEMENT.items()}


def test_a_move_opens_a_planning_meeting_but_not_a_second_care_plan(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("york")
    with time_machine.travel(at(PLACED, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=PLACED,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                        started_on=PLACED)  # fmt: skip
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="K2", carer="Oak House",
                        started_on=PLACED, change_reason="Carers unwell", emergency=True)  # fmt: skip
    assert Deadline.objects.filter(case=case, key="care_plan").count() == 1
    assert Deadline.objects.filter(case=case, key="placement_planning_meeting").count() == 2
    with time_machine.travel(at(date(2026, 12, 21), 12), tick=False):
        placement_meeting_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], held_at=at(date(2026, 12, 21)),
                                 attendees="Oak House manager, social worker", summary="Settling in.")  # fmt: skip
    meetings = Deadline.objects.filter(case=case, key="placement_planning_meeting")
    statuses = sorted(meetings.values_list("status", flat=True))
    assert statuses == ["met", "open"]  # the current placement's meeting; the first placement's stays on its own


def test_the_iro_records_reviews_first_second_then_six_monthly(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(PLACED, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=PLACED,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    iro = people[Role.CONFERENCE_CHAIR]
    for held_on in (date(2027, 1, 14), date(2027, 4, 14)):
        with time_machine.travel(at(held_on, 15), tick=False):
            lac_review_record(case=case, chair=iro, held_at=at(held_on), attendees="Child, carers, parents",
                              summary="Care plan endorsed.")  # fmt: skip
    keys = dict(Deadline.objects.filter(case=case, key__startswith="lac_").exclude(key__contains="visit")
                .values_list("key", "status"))  # fmt: skip
    assert keys["lac_first_review"] == "met" and keys["lac_second_review"] == "met"
    assert due(case, "lac_review_interval") == end_of(date(2027, 10, 14))
    review = Meeting.objects.filter(kind="lac_review").first()
    owners = {d.key: d.assignee for d in Deadline.objects.filter(object_id_filter(review))}
    assert owners == {"lac_review_decisions": iro, "lac_review_full_record": iro,
                      "care_plan_update_after_review": people[Role.SOCIAL_WORKER]}  # fmt: skip
    with time_machine.travel(at(date(2027, 5, 1), 15), tick=False), pytest.raises(PermissionDenied):
        lac_review_record(case=case, chair=people[Role.SOCIAL_WORKER], held_at=at(date(2027, 5, 1)), attendees="x",
                          summary="y")  # fmt: skip


def object_id_filter(meeting):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    return Q(subject_type=ContentType.objects.get_for_model(meeting), subject_id=meeting.pk)


@pytest.mark.parametrize(("born", "next_due"), [(date(2018, 3, 1), date(2028, 1, 10)),  # 8: yearly
                                                (date(2023, 3, 1), date(2027, 7, 10))])  # 3: six-monthly  # fmt: skip
def test_health_assessments_recur_by_age(timescales_loaded, born, next_due):
    people, case = placed_with_child("leeds", born)
    with time_machine.travel(at(date(2027, 1, 10), 15), tick=False):
        care_check_record(case=case, kind="initial_health", done_on=date(2027, 1, 10), notes="All well.",
                          recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assert Deadline.objects.get(case=case, key="initial_health_assessment").status == "met"
    key = "health_review_5_plus" if born.year < 2022 else "health_review_under_5"
    assert due(case, key) == end_of(next_due)


def placed_with_child(slug, born, placed_on=PLACED):
    with time_machine.travel(at(min(date(2026, 11, 2), placed_on)), tick=False):
        people, case = team_of(slug, date_of_birth=born)
    with time_machine.travel(at(placed_on, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=placed_on,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    return people, case


CIN_FIRST = {"barnet": None, "st-helens": None, "leeds": end_of(date(2027, 1, 13)),
             "wiltshire": end_of(date(2027, 1, 20)), "york": end_of(date(2027, 1, 6))}  # fmt: skip
CIN_NEXT = {"barnet": ("cin_review_interval_initial", date(2027, 2, 17)),
            "st-helens": ("cin_review_interval", date(2027, 2, 6)),
            "leeds": ("cin_review_interval", date(2027, 7, 6)),
            "wiltshire": ("cin_review_interval_initial", date(2027, 4, 6)),
            "york": ("cin_review_interval", date(2027, 3, 31))}  # fmt: skip


@pytest.mark.parametrize("slug", SHIPPED)
def test_a_child_in_need_decision_opens_the_first_meeting_and_each_meeting_the_next_review(timescales_loaded, slug):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(PLACED, 18), tick=False):
        legal_status_start(case=case, kind="cin", started_on=PLACED, recorded_by=people[Role.TEAM_MANAGER])
        plan_start(case=case, kind="cin", started_on=PLACED, written_by=worker, outcomes="Safe at home.",
                   contingency="Strategy discussion.")  # fmt: skip
    assert due(case, "cin_first_meeting") == CIN_FIRST[slug]
    with time_machine.travel(at(date(2027, 1, 6), 15), tick=False):
        first = cin_meeting_record(case=case, recorded_by=worker, held_at=at(date(2027, 1, 6)), attendees="Mother",
                                   summary="Plan agreed.")  # fmt: skip
    key, next_on = CIN_NEXT[slug]
    assert first.kind == "cin_meeting" and due(case, key) == end_of(next_on)
    if CIN_FIRST[slug]:
        assert Deadline.objects.get(case=case, key="cin_first_meeting").status == "met"
    with time_machine.travel(at(next_on, 15), tick=False):
        review = cin_meeting_record(case=case, recorded_by=worker, held_at=at(next_on), attendees="Mother",
                                    summary="Going well.")  # fmt: skip
    assert review.kind == "cin_review"
    # After the first review the steady interval applies everywhere; the first phase's clock was met.
    assert set(Deadline.objects.filter(case=case, key__startswith="cin_review_interval", status="open")
               .values_list("key", flat=True)) == {"cin_review_interval"}  # fmt: skip


@pytest.mark.parametrize("slug", ["york", "leeds"])
def test_york_has_a_manager_quality_assure_each_cin_meetings_record(timescales_loaded, slug):
    """York (seed 004, L1315–1318): minutes on the system in 3 working days, quality-assured by a
    manager in 5. A meeting on Thu 24 Dec 2026: Tue 29, Wed 30, Thu 31 Dec, Mon 4 and Tue 5 Jan
    (25 and 28 Dec and 1 Jan are bank holidays). Leeds sets no such check."""
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    with time_machine.travel(at(date(2026, 12, 24), 15), tick=False):
        legal_status_start(case=case, kind="cin", started_on=date(2026, 12, 1), recorded_by=manager)
        plan_start(case=case, kind="cin", started_on=date(2026, 12, 1), written_by=worker, outcomes="Safe at home.",
                   contingency="Strategy discussion.")  # fmt: skip
        meeting = cin_meeting_record(case=case, recorded_by=worker, held_at=at(date(2026, 12, 24), 10),
                                     attendees="Mother", summary="Plan agreed.")  # fmt: skip
    check = Deadline.objects.filter(case=case, key="cin_meeting_record_quality_assurance").first()
    if slug == "leeds":
        assert check is None
        return
    assert check.due_at == end_of(date(2027, 1, 5)) and check.assignee == manager
    with time_machine.travel(at(date(2026, 12, 29), 9), tick=False):
        with pytest.raises(PermissionDenied):  # the worker cannot sign off their own record
            meeting_task_done(meeting=meeting, key=check.key, done_at=None, recorded_by=worker)
        meeting_task_done(meeting=meeting, key=check.key, done_at=None, recorded_by=manager)
    check.refresh_from_db()
    assert check.status == "met"


@pytest.mark.parametrize(("slug", "disability", "expected"), [
    ("barnet", "Autism; uses a wheelchair", end_of(date(2026, 12, 29))),
    ("barnet", "", None),  # no disability recorded: no transitions plan is due
    ("leeds", "Autism; uses a wheelchair", None),  # Leeds sets no such timescale
])  # fmt: skip
def test_barnet_plans_a_disabled_child_in_cares_transition_by_16_years_3_months(timescales_loaded, slug,
                                                                               disability, expected):
    """Barnet (seed 000, L3630–3634): by 16 years 3 months. Born 29 September 2010, so due Tuesday
    29 December 2026, the day after the Boxing Day substitute: counted in months, not rolled."""
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug, date_of_birth=date(2010, 9, 29), disability=disability)
    with time_machine.travel(at(PLACED, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=PLACED,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    assert due(case, "transitions_plan_disabled_child") == expected


@pytest.mark.parametrize(("legal_status", "first_due", "second_due"), [
    ("V3", date(2027, 3, 18), date(2027, 9, 15)),  # short breaks: 3 months, then 6 months
    ("V2", date(2027, 1, 20), date(2027, 6, 15)),  # a single period: 20 working days, then 3 months
])  # fmt: skip
def test_leeds_reviews_a_child_on_short_breaks_at_three_months_then_six_monthly(timescales_loaded, legal_status,
                                                                               first_due, second_due):
    """Leeds (seed 002, L3929–3933): the first review within three months of the first short break,
    then every six months. First short break Fri 18 Dec 2026 -> Thu 18 Mar 2027; the first review
    held Mon 15 Mar 2027 -> Wed 15 Sep 2027."""
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(PLACED, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status=legal_status, started_on=PLACED,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    assert due(case, "lac_first_review") == end_of(first_due)
    with time_machine.travel(at(date(2027, 3, 15), 15), tick=False):
        lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(date(2027, 3, 15), 10),
                          attendees="Child, carer", summary="Short breaks continue.")  # fmt: skip
    assert due(case, "lac_second_review") == end_of(second_due)


def test_a_clock_in_hours_from_becoming_looked_after_counts_from_the_hour_given(client, timescales_loaded):
    """Wiltshire names the IRO within 24 hours of the child becoming looked after (§13.6, L205):
    a child looked after from 14:00 on Friday 20 November 2026 has one named by 14:00 on Saturday.
    Clocks in days still count from the day."""
    people, case = team_of("wiltshire")
    client.force_login(people[Role.SOCIAL_WORKER])
    data = {"kind": "lac", "legal_status": "C2", "started_on_0": "20", "started_on_1": "11", "started_on_2": "2026",
            "started_time": "14:00"}  # fmt: skip
    assert client.post(f"/children/{case.child_id}/status/new/", data).status_code == 302
    assert due(case, "iro_allocation") == datetime(2026, 11, 21, 14, tzinfo=LONDON)
    first_review = Deadline.objects.get(case=case, key="lac_first_review")
    assert timezone.localtime(first_review.anchor_at).time() == time(0, 0)


BORN_16_ON_BOXING_DAY = date(2010, 12, 26)
# Looked after since the spring: 13 weeks in care since turning 14 by the 16th birthday, so an
# eligible child on it (Leeds counts the needs assessment from becoming eligible).
IN_CARE_SINCE = date(2026, 5, 1)
PATHWAY = {"barnet": (end_of(date(2027, 3, 26)), end_of(date(2027, 3, 26))),
           "st-helens": (end_of(date(2027, 3, 26)), None),
           "leeds": (end_of(date(2027, 3, 26)), end_of(date(2027, 3, 26))),
           "wiltshire": (end_of(date(2027, 3, 26)), None),
           "york": (end_of(date(2027, 3, 26)), None)}  # fmt: skip


@pytest.mark.parametrize("slug", SHIPPED)
def test_a_16th_birthday_opens_the_pathway_deadlines_once(timescales_loaded, slug):
    people, case = placed_with_child(slug, BORN_16_ON_BOXING_DAY, placed_on=IN_CARE_SINCE)
    with time_machine.travel(at(date(2026, 12, 24), 7), tick=False):
        assert pathway_clocks_open() == 0  # not 16 yet
    with time_machine.travel(at(date(2026, 12, 28), 7), tick=False):  # a bank holiday: the job still runs
        opened = pathway_clocks_open()
        call_command("open_pathway_clocks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert opened == sum(value is not None for value in PATHWAY[slug])
    assert (due(case, "pathway_needs_assessment"), due(case, "pathway_plan")) == PATHWAY[slug]
    assert Deadline.objects.filter(case=case, key__startswith="pathway").count() == opened  # idempotent


def test_york_counts_the_pathway_plan_from_care_for_a_young_person_who_came_into_care_after_16(timescales_loaded):
    people, case = placed_with_child("york", date(2010, 6, 1))
    with time_machine.travel(at(date(2026, 12, 28), 7), tick=False):
        pathway_clocks_open()
    assert due(case, "pathway_plan") == end_of(date(2027, 3, 18))  # three months from becoming looked after


@pytest.mark.parametrize("slug", [slug for slug in SHIPPED if slug != "york"])
def test_elsewhere_a_young_person_who_came_into_care_after_16_has_the_usual_pathway_plan_clock(timescales_loaded,
                                                                                              slug):  # fmt: skip
    """Only York sets a time for this case; the others count their usual value from the day the
    young person became looked after (it once stopped the clocks opening with an unknown condition)."""
    people, case = placed_with_child(slug, date(2010, 6, 1))
    with time_machine.travel(at(date(2027, 3, 22), 7), tick=False):  # 13 weeks in care: eligible in Leeds too
        pathway_clocks_open()
    deadline = Deadline.objects.filter(case=case, key="pathway_plan").first()
    if PATHWAY[slug][1] is None:
        assert deadline is None
        return
    # Leeds counts from becoming an eligible child: 13 weeks after coming into care on 18 December.
    counted_from = date(2027, 3, 19) if slug == "leeds" else case.statuses.get(kind="lac").started_on
    assert deadline.anchor_at.date() == counted_from
    assert "after their 16th birthday" not in deadline.explanation


def test_leeds_counts_the_needs_assessment_from_becoming_an_eligible_child(timescales_loaded):
    """Leeds (seed 002, L2684–2686): three months from becoming an eligible child, which for a young
    person who came into care a week before turning 16 is when their 13 weeks in care are done:
    18 December 2026 + 13 weeks = Friday 19 March 2027. Nothing opens on the 16th birthday."""
    people, case = placed_with_child("leeds", BORN_16_ON_BOXING_DAY)  # placed 18 December 2026
    with time_machine.travel(at(date(2026, 12, 28), 7), tick=False):
        assert pathway_clocks_open() == 0
    with time_machine.travel(at(date(2027, 3, 18), 7), tick=False):
        assert pathway_clocks_open() == 0  # 12 weeks and 6 days
    with time_machine.travel(at(date(2027, 3, 19), 7), tick=False):
        assert pathway_clocks_open() == 2
    assert due(case, "pathway_needs_assessment") == end_of(date(2027, 6, 19))
    assert Deadline.objects.get(case=case, key="pathway_needs_assessment").anchor_at.date() == date(2027, 3, 19)


def test_elsewhere_the_needs_assessment_counts_from_the_16th_birthday(timescales_loaded):
    people, case = placed_with_child("barnet", BORN_16_ON_BOXING_DAY)
    with time_machine.travel(at(date(2026, 12, 28), 7), tick=False):
        assert pathway_clocks_open() == 2
    assert due(case, "pathway_needs_assessment") == end_of(date(2027, 3, 26))


def test_a_pathway_plan_meets_its_deadline_and_opens_six_monthly_reviews(timescales_loaded):
    people, case = placed_with_child("leeds", BORN_16_ON_BOXING_DAY, placed_on=IN_CARE_SINCE)
    with time_machine.travel(at(date(2027, 2, 1), 7), tick=False):
        pathway_clocks_open()
        plan_start(case=case, kind="pathway", started_on=date(2027, 2, 1), written_by=people[Role.SOCIAL_WORKER],
                   outcomes="Ready for independence.", contingency="Staying put.")  # fmt: skip
        care_check_record(case=case, kind="adviser_contact", done_on=date(2027, 2, 1), notes="",
                          recorded_by=people[Role.PERSONAL_ADVISER])  # fmt: skip
    assert Deadline.objects.get(case=case, key="pathway_plan").status == "met"
    assert due(case, "pathway_plan_review_interval") == end_of(date(2027, 8, 1))
    contact = Deadline.objects.get(case=case, key="care_leaver_contact_interval")
    assert contact.assignee == people[Role.PERSONAL_ADVISER] and contact.rule == "20 working_days"


def test_bad_input_names_each_field_and_saves_nothing(timescales_loaded):
    people, case = placed_with_child("leeds", date(2018, 3, 1))
    with time_machine.travel(at(date(2027, 1, 4), 7), tick=False):
        with pytest.raises(ValidationError) as error:
            care_check_record(case=case, kind="nonsense", done_on=date(2027, 2, 1), notes="",
                              recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
        assert set(error.value.message_dict) == {"kind", "done_on"}
        with pytest.raises(ValidationError) as error:
            lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=None, attendees="", summary="")
        assert set(error.value.message_dict) == {"held_at", "attendees", "summary"}
    assert not CareCheck.objects.exists() and not Meeting.objects.exists()


def test_a_new_legal_status_keeps_the_period_of_care_and_leaving_care_stops_its_clocks(timescales_loaded):
    from cases.services.family import legal_status_end

    people, case = placed_with_child("leeds", date(2018, 3, 1))
    manager = people[Role.TEAM_MANAGER]
    with time_machine.travel(at(date(2027, 1, 5), 12), tick=False):
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                        started_on=PLACED)  # fmt: skip
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=date(2027, 1, 5), recorded_by=manager)
    assert Deadline.objects.filter(case=case, key="lac_first_review").count() == 1  # a care order, the same period
    assert due(case, "lac_first_review") == end_of(date(2027, 1, 20))
    with time_machine.travel(at(date(2027, 1, 12), 12), tick=False):
        legal_status_end(status=case.statuses.get(kind="lac", ended_on=None), ended_on=date(2027, 1, 12),
                         ended_by=manager)  # fmt: skip
    cancelled = Deadline.objects.filter(case=case, key__in=["lac_first_review", "initial_health_assessment",
                                                            "pep_initial", "care_plan"])  # fmt: skip
    assert set(cancelled.values_list("status", flat=True)) == {"cancelled"}
    assert cancelled.first().cancelled_reason == "The child is no longer looked after"
