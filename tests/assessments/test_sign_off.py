"""Assessments: their deadlines per authority and track, drafts that never overwrite each other,
and the sign-off loop with every transition kept."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models.assessments import Assessment
from assessments.services.assessments import (
    assessment_approve,
    assessment_change_track,
    assessment_return,
    assessment_save,
    assessment_start,
    assessment_submit,
)
from cases.models import Authority, Deadline
from cases.roles import Role
from cases.rules.timescales import LONDON
from tests.factories import ASSESSMENT_SECTIONS, TeamFactory, allocate_new_child, staff

pytestmark = pytest.mark.django_db

CONTENT = ASSESSMENT_SECTIONS | {"child_views": "I like my teacher. I don't like it when Dad shouts.", "analysis":
                                 "Needs are met at school; home is unpredictable.", "outcome": "cin",
                                 "factors": ["3B", "4B"]}  # fmt: skip


def completion(assessment):
    return Deadline.objects.get(subject_id=assessment.pk, key__contains="completion", status__in=["open", "met",
                                "met_late"])  # fmt: skip


def written(assessment, worker, **content):
    return assessment_save(assessment=assessment, saved_by=worker, version=assessment.version, **(CONTENT | content))


def test_the_clock_starts_at_the_referral_and_follows_the_authoritys_track(people, case):
    received = case.referral.received_at
    standard = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    assert standard.clock_started_at == received
    deadline = completion(standard)
    assert deadline.rule == "45 working_days" and deadline.assignee == people[Role.SOCIAL_WORKER]  # Leeds
    assert "45 working days from" in deadline.explanation


@pytest.mark.parametrize(("slug", "counted_from", "rule", "due"), [
    ("barnet", "referral", "45 working_days", "2027-02-11"),
    ("leeds", "referral", "45 working_days", "2027-02-11"),
    ("york", "allocation", "45 working_days", "2027-02-15"),
    ("st-helens", "start", "15 calendar_days", "2026-12-29"),
    ("wiltshire", "start", "40 working_days", "2027-02-11"),
])  # fmt: skip
def test_each_authority_counts_the_assessment_from_its_own_event(timescales_loaded, slug, counted_from, rule, due):
    """Referral received Mon 7 Dec 2026, allocated Wed 9 Dec, assessment started Mon 14 Dec: every
    working-day count skips Christmas Day, the Boxing Day substitute (28 Dec) and New Year's Day."""
    from cases.models import Case
    from cases.services.children import case_allocate, referral_decide, referral_record
    from tests.factories import ChildFactory, referral_fields

    authority = Authority.objects.get(slug=slug)
    team = TeamFactory(authority=authority)
    people = {role: staff(role, authority=authority, team=team) for role in Role}
    moments = {name: datetime(2026, 12, day, hour, tzinfo=LONDON) for name, day, hour in
               (("referral", 7, 10), ("allocation", 9, 11), ("start", 14, 9))}  # fmt: skip
    with time_machine.travel(moments["referral"], tick=False):
        referral = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=ChildFactory(authority=authority),
                                   team=team, **referral_fields(received_at=moments["referral"]))  # fmt: skip
        referral_decide(referral=referral, decided_by=people[Role.TEAM_MANAGER], decision="assessment", rationale="x")
    case = Case.objects.get(referral=referral)
    with time_machine.travel(moments["allocation"], tick=False):
        case_allocate(case=case, worker=people[Role.SOCIAL_WORKER], team=team, allocated_by=people[Role.TEAM_MANAGER])
    with time_machine.travel(moments["start"], tick=False):
        case.refresh_from_db()
        assessment = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    assert assessment.clock_started_at == moments[counted_from]
    deadline = completion(assessment)
    assert deadline.rule == rule and timezone.localdate(deadline.due_at).isoformat() == due


def test_a_wiltshire_manager_moves_the_track_and_the_deadline_is_recalculated(timescales_loaded):
    wiltshire = Authority.objects.get(slug="wiltshire")
    team = TeamFactory(authority=wiltshire)
    people = {role: staff(role, authority=wiltshire, team=team) for role in Role} | {"team": team}
    case = allocate_new_child(people, wiltshire).cases.get()
    start = datetime(2026, 12, 14, 9, tzinfo=LONDON)
    assessment = assessment_start(case=case, started_by=people[Role.TEAM_MANAGER], track="track_10",
                                  clock_started_at=start)  # fmt: skip
    first = completion(assessment)
    assert first.rule == "10 working_days" and first.due_at.date().isoformat() == "2026-12-30"  # skips 25 and 28 Dec
    second = assessment_change_track(assessment=assessment, manager=people[Role.TEAM_MANAGER], track="track_25",
                                     reason="Father's part needs more time")  # fmt: skip
    first.refresh_from_db()
    assert first.status == "cancelled" and "25-working-day track" in first.cancelled_reason
    assert second.rule == "25 working_days" and second.condition_applied == "track_25"
    with pytest.raises(ValidationError):
        assessment_change_track(assessment=assessment, manager=people[Role.TEAM_MANAGER], track="brief", reason="x")


def test_the_whole_sign_off_loop(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    assessment = assessment_start(case=case, started_by=worker)
    with pytest.raises(ValidationError) as refused:
        assessment_submit(assessment=assessment, submitted_by=worker)
    assert set(refused.value.message_dict) == {*ASSESSMENT_SECTIONS, "outcome", "factors"}
    assessment = written(assessment, worker)
    assessment_submit(assessment=assessment, submitted_by=worker)
    with pytest.raises(ValidationError):
        assessment_return(assessment=assessment, manager=manager, reasons=" ")
    assessment_return(assessment=assessment, manager=manager, reasons="Say more about the father's view")
    assessment.refresh_from_db()
    assessment = written(assessment, worker, parent_views="Father says he is trying to stay calm.")
    assessment_submit(assessment=assessment, submitted_by=worker)
    approved = assessment_approve(assessment=assessment, manager=manager, view="Agree: CIN plan to follow")
    assert approved.status == "approved" and approved.approved_by == manager
    steps = [(t.from_status, t.to_status, t.by, t.comment) for t in approved.transitions.all()]
    assert steps == [
        ("draft", "submitted", worker, ""), ("submitted", "returned", manager, "Say more about the father's view"),
        ("returned", "submitted", worker, ""), ("submitted", "approved", manager, "Agree: CIN plan to follow"),
    ]  # fmt: skip
    assert completion(approved).status == "met"
    assert approved.child.chronology.filter(kind="assessment", title__startswith="Assessment approved").exists()
    assert str(case.statuses.get(ended_on=None)) == "Child in need"  # the outcome starts the next step


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.QA_AUDITOR, Role.BUSINESS_SUPPORT, Role.CONFERENCE_CHAIR])
def test_only_a_manager_signs_off(people, case, role):
    assessment = written(assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER]),
                         people[Role.SOCIAL_WORKER])  # fmt: skip
    assessment_submit(assessment=assessment, submitted_by=people[Role.SOCIAL_WORKER])
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=assessment, manager=people[role], view="Fine")


def test_a_manager_never_approves_their_own_and_another_teams_manager_never_approves(people, case, leeds):
    manager = people[Role.TEAM_MANAGER]
    assessment = written(assessment_start(case=case, started_by=manager), manager)
    assessment_submit(assessment=assessment, submitted_by=manager)
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=assessment, manager=manager, view="Self")
    elsewhere = staff(Role.TEAM_MANAGER, team=TeamFactory(authority=leeds))
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=assessment, manager=elsewhere, view="Not mine")
    york_manager = staff(Role.SERVICE_MANAGER, authority=Authority.objects.get(slug="york"))
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=assessment, manager=york_manager, view="Another authority")
    assert Assessment.objects.get().status == "submitted"


def test_late_approval_needs_a_reason_and_is_met_late(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    assessment = written(assessment_start(case=case, started_by=worker), worker)
    assessment_submit(assessment=assessment, submitted_by=worker)
    with time_machine.travel(timezone.now() + timedelta(days=80), tick=False):
        with pytest.raises(ValidationError) as refused:
            assessment_approve(assessment=assessment, manager=manager, view="Agree")
        assert "lateness_reason" in refused.value.message_dict
        assert Assessment.objects.get().status == "submitted"  # nothing half-saved
        assessment_approve(assessment=assessment, manager=manager, view="Agree", lateness_reason="Staff sickness")
    assert completion(assessment).status == "met_late"
    assert Assessment.objects.get().lateness_reason == "Staff sickness"


def test_two_people_editing_one_draft_never_lose_text(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    assessment = assessment_start(case=case, started_by=worker)
    opened = assessment.version
    assessment_save(assessment=assessment, saved_by=worker, version=opened, analysis="The worker's analysis")
    with pytest.raises(ValidationError) as refused:
        assessment_save(assessment=assessment, saved_by=manager, version=opened, analysis="The manager's edit")
    assert "changing: Analysis" in str(refused.value)
    assert Assessment.objects.get().analysis == "The worker's analysis"


def test_bad_seen_dates_are_refused_and_nothing_saved(people, case):
    worker = people[Role.SOCIAL_WORKER]
    assessment = assessment_start(case=case, started_by=worker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        assessment_save(assessment=assessment, saved_by=worker, version=assessment.version, analysis="Kept?",
                        child_seen_on=tomorrow)  # fmt: skip
    assert "child_seen_on" in refused.value.message_dict
    assert Assessment.objects.get().analysis == ""


def test_recording_the_child_seen_meets_the_clock_allocation_started(timescales_loaded):
    york = Authority.objects.get(slug="york")  # 5 working days after allocation
    team = TeamFactory(authority=york)
    people = {role: staff(role, authority=york, team=team) for role in Role} | {"team": team}
    case = allocate_new_child(people, york).cases.get()
    worker = people[Role.SOCIAL_WORKER]
    assessment = assessment_start(case=case, started_by=worker)
    assessment_save(assessment=assessment, saved_by=worker, version=assessment.version,
                    child_seen_on=timezone.localdate())  # fmt: skip
    seen = Deadline.objects.get(case=case, key="child_seen_after_allocation")
    assert seen.status == Deadline.Status.MET


def test_a_manager_who_wrote_part_of_it_cannot_approve_it(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    assessment = written(assessment_start(case=case, started_by=worker), worker)
    assessment_save(assessment=assessment, saved_by=manager, version=assessment.version, risks="Manager's words")
    assessment_submit(assessment=Assessment.objects.get(), submitted_by=worker)
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=assessment, manager=manager, view="Mine in part")


def test_the_managers_progress_review_meets_its_deadline(timescales_loaded, client):
    wiltshire = Authority.objects.get(slug="wiltshire")  # a review at 7 working days
    team = TeamFactory(authority=wiltshire)
    people = {role: staff(role, authority=wiltshire, team=team) for role in Role} | {"team": team}
    case = allocate_new_child(people, wiltshire).cases.get()
    assessment = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    review = Deadline.objects.get(subject_id=assessment.pk, key="assessment_progress_review")
    assert review.rule == "7 working_days"
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.post(f"/assessments/{assessment.pk}/progress-review/", {"note": "x"}).status_code == 403
    review.refresh_from_db()
    assert review.status == "open"  # a worker cannot review their own progress
    client.force_login(people[Role.TEAM_MANAGER])
    client.post(f"/assessments/{assessment.pk}/progress-review/", {"note": ""})
    review.refresh_from_db()
    assert review.status == "open"
    client.post(f"/assessments/{assessment.pk}/progress-review/", {"note": "On track; see father next week"})
    review.refresh_from_db()
    assert review.status == "met"
    assert assessment.transitions.get().comment == "Progress review: On track; see father next week"


def test_a_strategy_outcome_starts_the_authoritys_strategy_clock(timescales_loaded):
    wiltshire = Authority.objects.get(slug="wiltshire")  # strategy discussion within 3 working days
    team = TeamFactory(authority=wiltshire)
    people = {role: staff(role, authority=wiltshire, team=team) for role in Role} | {"team": team}
    case = allocate_new_child(people, wiltshire).cases.get()
    worker = people[Role.SOCIAL_WORKER]
    assessment = written(assessment_start(case=case, started_by=worker), worker, outcome="strategy")
    assessment_submit(assessment=assessment, submitted_by=worker)
    assessment_approve(assessment=assessment, manager=people[Role.TEAM_MANAGER], view="Significant harm suspected")
    strategy = Deadline.objects.get(case=case, key="strategy_discussion")
    assert strategy.rule == "3 working_days" and strategy.assignee == worker


@pytest.mark.parametrize(("factors", "message"), [
    ([], "Select the assessment factors, or ‘No factors identified’"),
    (["21", "4B"], "‘No factors identified’ cannot be chosen with another factor"),
])  # fmt: skip
def test_an_assessment_is_submitted_only_with_the_factors_the_census_returns(people, case, factors, message):
    worker = people[Role.SOCIAL_WORKER]
    assessment = written(assessment_start(case=case, started_by=worker), worker, factors=factors)
    with pytest.raises(ValidationError) as refused:
        assessment_submit(assessment=assessment, submitted_by=worker)
    assert refused.value.message_dict == {"factors": [message]}
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT
