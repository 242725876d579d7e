"""One sighting, entered once: a recorded visit where the child was seen meets every open clock
that waited for them to be seen, whatever kind of visit it was: the first assessment visit (seen
after allocation), a section 47 enquiry's "seen" and "seen alone", and the first visit to a
privately fostered child; an assessment in progress takes the date from the visit. Inside the
visit's transaction: a refused record meets nothing."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assessments.services.assessments import assessment_save, assessment_start
from cases.models import Deadline
from cases.roles import Role
from planning.services.private_fostering import pf_notification_record
from tests.assessments.test_enquiries import discuss, people_in, strategy_case
from tests.support import at
from visits.services import visit_record, visit_save, visit_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("timescales_loaded")]

SEEN_ALONE = {"place": "home", "announced": True, "child_seen": True, "seen_alone": True, "bedroom_seen": True,
              "child_views": "I like my room.", "observations": "Calm.", "analysis": "No worries today."}  # fmt: skip


def record(people, case, when, kind="assessment", **content):
    worker = people[Role.SOCIAL_WORKER]
    visit = visit_start(case=case, recorded_by=worker, kind=kind, visited_at=when)
    visit = visit_save(visit=visit, saved_by=worker, version=visit.version, **(SEEN_ALONE | content))
    return visit_record(visit=visit, recorded_by=worker)


def test_an_assessment_visit_meets_seen_after_allocation_and_fills_in_the_assessment(opened_in_november):
    people, case = opened_in_november["york"]  # York: seen within 5 working days of allocation
    with time_machine.travel(at(date(2026, 11, 3), 9), tick=False):
        assessment = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    version = assessment.version
    with time_machine.travel(at(date(2026, 11, 4), 17), tick=False):
        visit = record(people, case, at(date(2026, 11, 4), 11))
    seen = Deadline.objects.get(case=case, key="child_seen_after_allocation")
    assert seen.status == "met" and seen.met_at == visit.visited_at
    assessment.refresh_from_db()
    assert assessment.child_seen_on == date(2026, 11, 4) and assessment.child_seen_alone_on == date(2026, 11, 4)
    assert assessment.version == version + 1  # a tab opened before the visit is told, not overwritten
    assert assessment.history.first().history_user == people[Role.SOCIAL_WORKER]


def test_a_date_already_in_the_assessment_is_kept_and_seen_alone_needs_seen_alone(opened_in_november):
    people, case = opened_in_november["york"]
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 11, 3), 9), tick=False):
        assessment = assessment_start(case=case, started_by=worker)
    with time_machine.travel(at(date(2026, 11, 4), 17), tick=False):
        assessment_save(assessment=assessment, saved_by=worker, version=assessment.version,
                        child_seen_on=date(2026, 11, 3))  # fmt: skip
        record(people, case, at(date(2026, 11, 4), 11), seen_alone=False, not_seen_alone_reason="Mum stayed")
    assessment.refresh_from_db()
    assert assessment.child_seen_on == date(2026, 11, 3) and assessment.child_seen_alone_on is None


def test_a_visit_where_the_child_was_not_seen_meets_nothing(opened_in_november):
    people, case = opened_in_november["york"]
    with time_machine.travel(at(date(2026, 11, 4), 17), tick=False):
        record(people, case, at(date(2026, 11, 4), 11), child_seen=False, seen_alone=None, child_views="",
               not_seen_reason="No one home")  # fmt: skip
    assert Deadline.objects.get(case=case, key="child_seen_after_allocation").status == "open"


def test_a_refused_record_meets_nothing(opened_in_november):
    people, case = opened_in_november["york"]
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 11, 4), 17), tick=False):
        visit = visit_start(case=case, recorded_by=worker, kind="assessment", visited_at=at(date(2026, 11, 4), 11))
        visit = visit_save(visit=visit, saved_by=worker, version=visit.version, **(SEEN_ALONE | {"analysis": ""}))
        with pytest.raises(ValidationError):
            visit_record(visit=visit, recorded_by=worker)
    assert Deadline.objects.get(case=case, key="child_seen_after_allocation").status == "open"


def test_a_section_47_visit_meets_the_enquirys_seen_clocks():
    with time_machine.travel(at(date(2026, 11, 23), 12), tick=False):
        people = people_in("st-helens")  # St Helens: seen in 24 hours, seen alone within the first week
        case = strategy_case(people)
        enquiry = discuss(people, case).enquiries.get()
        visit = record(people, case, at(date(2026, 11, 23), 11) + timedelta(minutes=45), kind="s47")
    enquiry.refresh_from_db()
    assert enquiry.child_seen_at == visit.visited_at and enquiry.child_seen_alone_at == visit.visited_at
    for key in ("s47_child_seen", "s47_child_seen_alone"):
        clock = Deadline.objects.get(key=key, subject_id=enquiry.pk, case=case)
        assert clock.status == "met" and clock.met_at == visit.visited_at, key


def test_any_visit_that_sees_a_privately_fostered_child_is_their_first_visit(opened_in_november):
    people, case = opened_in_november["leeds"]  # Leeds: the first visit within 7 working days
    with time_machine.travel(at(date(2026, 12, 21), 16), tick=False):
        pf_notification_record(case=case, recorded_by=people[Role.SOCIAL_WORKER],
                               received_at=at(date(2026, 12, 21), 11), notified_by="Zoë's mother",
                               arrangement_started_on=date(2027, 1, 4), carer="Mrs Okafor")  # fmt: skip
    with time_machine.travel(at(date(2026, 12, 30), 17), tick=False):
        visit = record(people, case, at(date(2026, 12, 30)), kind="assessment")
    first = Deadline.objects.get(case=case, key="pf_first_visit")
    assert first.status == "met" and first.met_at == visit.visited_at  # met, not cancelled by the recalculation
    following = Deadline.objects.get(case=case, key="pf_visit_interval_first_year", status="open")
    assert following.anchor_at == visit.visited_at  # the regular visits count from it


def test_the_assessment_page_shows_the_date_taken_from_the_visit(client, opened_in_november):
    people, case = opened_in_november["york"]
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 11, 3), 9), tick=False):
        assessment = assessment_start(case=case, started_by=worker)
    with time_machine.travel(at(date(2026, 11, 4), 17), tick=False):
        record(people, case, at(date(2026, 11, 4), 11))
    client.force_login(worker)
    page = client.get(f"/assessments/{assessment.pk}/edit/").content.decode()
    for name, value in (("child_seen_on_0", "4"), ("child_seen_on_1", "11"), ("child_seen_on_2", "2026"),
                        ("child_seen_alone_on_0", "4")):  # fmt: skip
        assert re.search(rf'name="{name}"[^>]*value="{value}"', page), name
