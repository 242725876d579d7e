"""Becoming looked after also opens York's 24-hour notice of the legal status, the SDQ (St Helens
20 days, otherwise yearly for children aged 4 to 16) and, for a child under 16, the start of
leaving-care planning by each authority's milestone. Reviews: Wiltshire's manager considers the
decisions within 5 working days; Leeds's IRO may adjourn a review once, to be completed within 20
working days, with the review clocks running on until it is. Dates are hand-counted."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Deadline, LegalStatus
from cases.roles import Role
from planning.models import Meeting
from planning.services.looked_after import care_check_record, lac_review_record
from planning.services.meetings import meeting_task_done
from tests.support import LONDON, SHIPPED, at, came_into_care

pytestmark = pytest.mark.django_db

CAME_INTO_CARE = date(2026, 12, 18)  # a Friday; the child was born on 1 March 2018 (team_of)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def due(case, key):
    found = Deadline.objects.filter(case=case, key=key, status="open").first()
    return found.due_at if found else None


def looked_after(slug):
    return came_into_care(slug, CAME_INTO_CARE)  # recorded the day it happened, at 6pm


NONE = dict.fromkeys(SHIPPED)
EXPECTED = {
    # York: 24 hours from when it was recorded.
    "lac_legal_status_notice": NONE | {"york": datetime(2026, 12, 19, 18, tzinfo=LONDON)},
    # St Helens: 20 calendar days, Thu 7 Jan.
    "sdq_initial": NONE | {"st-helens": end_of(date(2027, 1, 7))},
    # Everyone else: the statutory yearly SDQ, from the start of care.
    "sdq_interval": dict.fromkeys(SHIPPED, end_of(date(2027, 12, 18))) | {"st-helens": None},
    # Leeds: the day before the 16th birthday (1 Mar 2034); Wiltshire 15 years 6 months; York 15 years 9 months.
    "leaving_care_planning_start": NONE | {"leeds": end_of(date(2034, 2, 28)), "wiltshire": end_of(date(2033, 9, 1)),
                                           "york": end_of(date(2033, 12, 1))},
}  # fmt: skip


@pytest.mark.parametrize("slug", SHIPPED)
def test_becoming_looked_after_opens_the_notice_the_sdq_and_leaving_care_planning(timescales_loaded, slug):
    _, case = looked_after(slug)
    assert {key: due(case, key) for key in EXPECTED} == {key: values[slug] for key, values in EXPECTED.items()}


def test_an_sdq_meets_the_first_and_the_next_is_due_a_year_on(timescales_loaded):
    people, case = looked_after("st-helens")
    with time_machine.travel(at(date(2027, 1, 6)), tick=False):
        care_check_record(case=case, kind="sdq", done_on=date(2027, 1, 5), notes="Carer's questionnaire.",
                          recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assert Deadline.objects.get(case=case, key="sdq_initial").status == "met"
    assert due(case, "sdq_interval") == end_of(date(2028, 1, 5))


def test_a_pathway_needs_assessment_meets_the_start_of_leaving_care_planning(timescales_loaded):
    people, case = looked_after("york")
    with time_machine.travel(at(date(2027, 1, 6)), tick=False):
        care_check_record(case=case, kind="pathway_needs", done_on=date(2027, 1, 5), notes="",
                          recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assert Deadline.objects.get(case=case, key="leaving_care_planning_start").status == "met"


def test_leaving_care_ends_the_new_looked_after_clocks(timescales_loaded):
    people, case = looked_after("york")
    status = LegalStatus.objects.get(case=case, kind="lac")
    from cases.services.family import legal_status_end

    with time_machine.travel(at(date(2027, 1, 6)), tick=False):
        legal_status_end(status=status, ended_on=date(2027, 1, 6), ended_by=people[Role.TEAM_MANAGER])
    keys = ("lac_legal_status_notice", "sdq_interval", "leaving_care_planning_start")
    assert set(Deadline.objects.filter(case=case, key__in=keys).values_list("status", flat=True)) == {"cancelled"}


REVIEW_ON = date(2027, 1, 15)  # a Friday


def review(people, case, on=REVIEW_ON, **extra):
    with time_machine.travel(at(on, 15), tick=False):
        return lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(on), attendees="Child",
                                 summary="Placement stable.", **extra)  # fmt: skip


@pytest.mark.parametrize("slug", SHIPPED)
def test_wiltshire_asks_the_teams_manager_to_consider_the_review_decisions(timescales_loaded, slug):
    people, case = looked_after(slug)
    meeting = review(people, case)
    found = Deadline.objects.filter(subject_id=meeting.pk, key="lac_review_manager_response").first()
    if slug != "wiltshire":
        assert found is None
        return
    # 5 working days from Fri 15 Jan: Fri 22 Jan.
    assert found.due_at == end_of(date(2027, 1, 22)) and found.assignee == people[Role.TEAM_MANAGER]
    with time_machine.travel(at(date(2027, 1, 18)), tick=False):
        with pytest.raises(PermissionDenied):  # the worker cannot record the manager's consideration
            meeting_task_done(meeting=meeting, key="lac_review_manager_response", done_at=None,
                              recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
        met = meeting_task_done(meeting=meeting, key="lac_review_manager_response", done_at=None,
                                recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    assert met.status == "met"


def test_leeds_adjourns_a_review_once_and_its_completion_meets_the_clocks(timescales_loaded):
    people, case = looked_after("leeds")
    first_due = due(case, "lac_first_review")
    adjourned = review(people, case, adjourned=True)
    assert adjourned.decision == Meeting.Decision.ADJOURNED
    # 20 working days from Fri 15 Jan: Fri 12 Feb. The first review is still waiting.
    assert due(case, "lac_review_adjourned_completion") == end_of(date(2027, 2, 12))
    assert due(case, "lac_first_review") == first_due and due(case, "lac_second_review") is None
    before = set(Deadline.objects.values_list("pk", "status"))
    with pytest.raises(ValidationError) as error:
        review(people, case, on=date(2027, 1, 22), adjourned=True)
    assert "adjourned" in error.value.message_dict
    assert set(Deadline.objects.values_list("pk", "status")) == before
    assert Meeting.objects.filter(case=case).count() == 1

    review(people, case, on=date(2027, 1, 27))
    statuses = dict(Deadline.objects.filter(case=case, key__in=["lac_review_adjourned_completion", "lac_first_review"])
                    .values_list("key", "status"))  # fmt: skip
    assert statuses == {"lac_review_adjourned_completion": "met", "lac_first_review": "met_late"}
    # The completed review is the first: the second is due three months on.
    assert due(case, "lac_second_review") == end_of(date(2027, 4, 27))
