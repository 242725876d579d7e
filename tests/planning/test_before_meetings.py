"""What is due before a meeting that is booked: St Helens's notice to agencies before an initial
conference, Barnet's request to exclude a family member (only when the worker expects one),
Leeds's preparation for a looked-after review (the child, consultation forms, a talk with the IRO)
and its invitations to a child in need review. Dates are hand-counted backwards across the
Christmas and New Year bank holidays (25 and 28 December, 1 January)."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Deadline
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.models import Meeting
from planning.services import plan_start
from planning.services.child_in_need import cin_meeting_record
from planning.services.looked_after import lac_review_record
from planning.services.meetings import meeting_book, meeting_task_done
from tests.support import LONDON, SHIPPED, at, came_into_care, team_of

pytestmark = pytest.mark.django_db

CONFERENCE_ON = date(2027, 1, 5)  # a Tuesday, just after New Year


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def open_due(meeting, key):
    found = Deadline.objects.filter(subject_id=meeting.pk, key=key, status="open", case=meeting.case).first()
    return found.due_at if found else None


def booked(slug, kind="icpc", on=CONFERENCE_ON, **extra):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    with time_machine.travel(at(date(2026, 11, 9)), tick=False):
        meeting = meeting_book(case=case, kind=kind, scheduled_at=at(on), booked_by=people[Role.SOCIAL_WORKER],
                               **extra)  # fmt: skip
    return people, case, meeting


# St Helens: 5 working days before Tue 5 Jan: Mon 4 (-1), [Fri 1 BH], Thu 31 (-2), Wed 30 (-3),
# Tue 29 (-4), [Mon 28 BH, weekend, Fri 25 BH], Thu 24 Dec (-5).
AGENCY_NOTICE = dict.fromkeys(SHIPPED) | {"st-helens": end_of(date(2026, 12, 24))}


@pytest.mark.parametrize("slug", SHIPPED)
def test_booking_an_initial_conference_gives_agencies_notice_where_the_authority_sets_it(timescales_loaded, slug):
    _, _, meeting = booked(slug)
    assert open_due(meeting, "icpc_agency_notice") == AGENCY_NOTICE[slug]
    assert open_due(meeting, "conference_exclusion_request") is None  # nobody is to be excluded


def test_barnet_asks_for_an_exclusion_three_days_ahead_only_when_the_worker_expects_one(timescales_loaded):
    people, case, meeting = booked("barnet", exclusion_expected=True)
    # 3 days before Tue 5 Jan, read as working days (the stricter reading before a meeting): Mon 4,
    # [Fri 1 BH], Thu 31, Wed 30 Dec. Read as calendar days it would be Sat 2 Jan.
    assert open_due(meeting, "conference_exclusion_request") == end_of(date(2026, 12, 30))
    with time_machine.travel(at(date(2026, 12, 30)), tick=False):
        met = meeting_task_done(meeting=meeting, key="conference_exclusion_request", done_at=None,
                                recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assert met.status == "met"


def test_an_exclusion_is_refused_for_a_meeting_that_is_not_a_conference(timescales_loaded):
    people, case = came_into_care("barnet")
    before = set(Deadline.objects.values_list("pk", "status"))
    with time_machine.travel(at(date(2026, 12, 21)), tick=False), pytest.raises(ValidationError) as error:
        meeting_book(case=case, kind="lac_review", scheduled_at=at(CONFERENCE_ON), exclusion_expected=True,
                     booked_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assert "exclusion_expected" in error.value.message_dict
    assert not Meeting.objects.exists() and set(Deadline.objects.values_list("pk", "status")) == before


REVIEW_ON = date(2027, 1, 15)  # a Friday
# Leeds: 6 weeks before: Fri 4 Dec. 20 working days back from Fri 15 Jan, skipping 1 Jan, 28 and
# 25 Dec: Tue 15 Dec. The talk with the IRO, "15 days" read as working days (the stricter reading
# before a meeting): Tue 22 Dec (as calendar days it would be Thu 31 Dec).
LEEDS_PREPARATION = {
    "lac_review_child_preparation": end_of(date(2026, 12, 4)),
    "lac_review_consultation_forms": end_of(date(2026, 12, 15)),
    "lac_review_sw_iro_discussion": end_of(date(2026, 12, 22)),
}


@pytest.mark.parametrize("slug", SHIPPED)
def test_booking_a_looked_after_review_opens_the_preparation_the_authority_expects(timescales_loaded, slug):
    people, case = came_into_care(slug)
    booking_clock = Deadline.objects.filter(case=case, key="first_review_booking").first()
    # Leeds: the reviewing service is contacted within 1 working day: Mon 21 Dec.
    assert (booking_clock.due_at if booking_clock else None) == (end_of(date(2026, 12, 21)) if slug == "leeds"
                                                                 else None)  # fmt: skip
    with time_machine.travel(at(date(2026, 12, 21)), tick=False):
        meeting = meeting_book(case=case, kind="lac_review", scheduled_at=at(REVIEW_ON),
                               booked_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    expected = LEEDS_PREPARATION if slug == "leeds" else dict.fromkeys(LEEDS_PREPARATION)
    assert {key: open_due(meeting, key) for key in LEEDS_PREPARATION} == expected
    if booking_clock:
        booking_clock.refresh_from_db()
        assert booking_clock.status == "met" and booking_clock.met_at.date() == date(2026, 12, 21)


def test_the_review_meets_what_was_done_and_cancels_what_was_not(timescales_loaded):
    people, case = came_into_care("leeds")
    with time_machine.travel(at(date(2026, 12, 21)), tick=False):
        meeting = meeting_book(case=case, kind="lac_review", scheduled_at=at(REVIEW_ON),
                               booked_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    with time_machine.travel(at(date(2026, 12, 22)), tick=False):
        meeting_task_done(meeting=meeting, key="lac_review_sw_iro_discussion", done_at=None,
                          recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    with time_machine.travel(at(REVIEW_ON, 15), tick=False):
        lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(REVIEW_ON), attendees="Child",
                          summary="Placement stable.", booking=meeting)  # fmt: skip
    statuses = dict(Deadline.objects.filter(subject_id=meeting.pk, key__in=LEEDS_PREPARATION)
                    .values_list("key", "status"))  # fmt: skip
    assert statuses == {"lac_review_sw_iro_discussion": "met", "lac_review_child_preparation": "cancelled",
                        "lac_review_consultation_forms": "cancelled"}  # fmt: skip


def test_leeds_sends_child_in_need_review_invitations_three_weeks_ahead(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 11, 16)), tick=False):
        legal_status_start(case=case, kind="cin", started_on=date(2026, 11, 16), recorded_by=people[Role.TEAM_MANAGER])
        plan_start(case=case, kind="cin", started_on=date(2026, 11, 16), written_by=worker, outcomes="Safe at home.",
                   contingency="Strategy discussion.")  # fmt: skip
    with time_machine.travel(at(date(2026, 11, 20)), tick=False):
        with pytest.raises(ValidationError, match="follows the initial meeting"):
            meeting_book(case=case, kind="cin_review", scheduled_at=at(date(2027, 1, 13)), booked_by=worker)
        cin_meeting_record(case=case, recorded_by=worker, held_at=at(date(2026, 11, 20), 9), attendees="Mother",
                           summary="Plan agreed.")  # fmt: skip
        review = meeting_book(case=case, kind="cin_review", scheduled_at=at(date(2027, 1, 13)), booked_by=worker)
    # 3 weeks before Wed 13 Jan: Wed 23 Dec.
    assert open_due(review, "cin_review_invitations") == end_of(date(2026, 12, 23))
    with time_machine.travel(at(date(2027, 1, 13), 15), tick=False):
        held = cin_meeting_record(case=case, recorded_by=worker, held_at=at(date(2027, 1, 13)), attendees="Mother",
                                  summary="Going well.", booking=review)  # fmt: skip
    assert held.pk == review.pk and held.kind == "cin_review" and held.plan.kind == "cin"
    assert Deadline.objects.get(subject_id=review.pk, key="cin_review_invitations").status == "cancelled"
