"""From the front door to allocation: referral, decision, case, allocation, with their deadlines."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Authority, Case, ChronologyEntry, Deadline, Referral
from cases.roles import Role
from cases.rules.timescales import LONDON
from cases.services.children import (
    case_allocate,
    child_create,
    referral_decide,
    referral_record,
    referrer_told,
    rereferral_rule,
)
from tests import clock
from tests.clock import from_now
from tests.factories import ChildFactory, TeamFactory, referral_fields, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def york(timescales_loaded):
    return Authority.objects.get(slug="york")


@pytest.fixture
def front_door(york):
    team = TeamFactory(authority=york, name="Front door")
    return {
        "team": team,
        "support": staff(Role.BUSINESS_SUPPORT, authority=york),
        "manager": staff(Role.TEAM_MANAGER, team=team),
        "worker": staff(Role.SOCIAL_WORKER, team=team),
    }


def new_referral(front_door, child=None, **overrides):
    child = child or child_create(created_by=front_door["support"], first_name="Amara", last_name="Okafor",
                                  date_of_birth=timezone.localdate() - timedelta(days=3000))  # fmt: skip
    return referral_record(recorded_by=front_door["support"], child=child, team=front_door["team"],
                           **referral_fields(**overrides))  # fmt: skip


def test_recording_a_referral_opens_the_decision_deadline_with_its_explanation(front_door):
    received = datetime(2026, 11, 20, 16, 0, tzinfo=LONDON)  # a Friday afternoon
    referral = new_referral(front_door, received_at=received)
    deadline = Deadline.objects.get(key="contact_decision", subject_id=referral.pk)
    assert deadline.due_at == datetime(2026, 11, 23, 23, 59, 59, tzinfo=LONDON)  # York inherits 1 working day
    assert "1 working day from Fri 20 Nov 2026" in deadline.explanation
    assert deadline.child == referral.child and deadline.team == front_door["team"]
    assert ChronologyEntry.objects.get(child=referral.child).kind == "referral"


def test_a_child_protection_referral_uses_the_faster_timescale(timescales_loaded):
    wiltshire = Authority.objects.get(slug="wiltshire")
    team = TeamFactory(authority=wiltshire)
    support = staff(Role.BUSINESS_SUPPORT, authority=wiltshire)
    child = ChildFactory(authority=wiltshire)
    received = datetime(2026, 11, 20, 16, 0, tzinfo=LONDON)
    referral = referral_record(recorded_by=support, child=child, team=team,
                               **referral_fields(received_at=received, child_protection=True))  # fmt: skip
    deadline = Deadline.objects.get(key="contact_decision", subject_id=referral.pk)
    assert deadline.due_at == received + timedelta(hours=2) and deadline.condition_applied == "cp_referral"
    feedback = Deadline.objects.get(key="referrer_feedback", subject_id=referral.pk)
    assert feedback.due_at == received + timedelta(hours=48)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received_at": timedelta(days=1)}, "received_at", "today or in the past"),
        ({"consent": "not_needed", "consent_reason": ""}, "consent_reason", "Enter why consent"),
        ({"consent": "refused", "consent_by": "", "consent_reason": "Father refused"}, "consent_by", "Enter who"),
        ({"received_at": -timedelta(days=4000)}, "received_at", "before the child's date of birth"),
    ],
)
def test_bad_referrals_are_refused_naming_the_field_and_nothing_is_saved(front_door, overrides, field, message):
    overrides = from_now(overrides)
    with pytest.raises(ValidationError) as error:
        new_referral(front_door, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert not Referral.objects.exists() and not Deadline.objects.exists()


def test_a_manager_decides_a_single_assessment_which_opens_a_case(front_door):
    referral = new_referral(front_door)
    referral_decide(referral=referral, decided_by=front_door["manager"], decision="assessment",
                    rationale="Bruising needs assessing")  # fmt: skip
    deadline = Deadline.objects.get(key="contact_decision", subject_id=referral.pk)
    assert deadline.status == Deadline.Status.MET
    case = Case.objects.get(referral=referral)
    assert case.team == front_door["team"] and case.worker is None


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.QA_AUDITOR])
def test_only_a_manager_of_the_team_may_decide(front_door, role):
    referral = new_referral(front_door)
    with pytest.raises(PermissionDenied):
        referral_decide(referral=referral, decided_by=staff(role, team=front_door["team"]), decision="nfa",
                        rationale="x")  # fmt: skip
    other_manager = staff(Role.TEAM_MANAGER, team=TeamFactory(authority=front_door["team"].authority))
    with pytest.raises(PermissionDenied):
        referral_decide(referral=referral, decided_by=other_manager, decision="nfa", rationale="x")


def test_allocation_opens_child_seen_for_the_worker_and_keeps_history(front_door):
    referral = new_referral(front_door)
    referral_decide(referral=referral, decided_by=front_door["manager"], decision="assessment", rationale="Needs it")
    case = Case.objects.get(referral=referral)
    assert Deadline.objects.get(key="assessment_allocation", case=case).rule == "24 hours"  # York
    case_allocate(case=case, worker=front_door["worker"], team=front_door["team"], allocated_by=front_door["manager"])
    assert Deadline.objects.get(key="assessment_allocation", case=case).status == Deadline.Status.MET
    seen = Deadline.objects.get(key="child_seen_after_allocation", case=case)
    assert seen.assignee == front_door["worker"]
    assert seen.rule == "5 working_days"  # York
    second = staff(Role.SOCIAL_WORKER, team=front_door["team"])
    case_allocate(case=case, worker=second, team=front_door["team"], allocated_by=front_door["manager"],
                  change_reason="MANAGE")  # fmt: skip
    assert [a.worker for a in case.allocations.all()] == [second, front_door["worker"]]
    assert case.allocations.get(worker=front_door["worker"]).ended_at is not None
    seen.refresh_from_db()
    assert seen.status == Deadline.Status.CANCELLED and "Reallocated" in seen.cancelled_reason
    assert Deadline.objects.get(key="child_seen_after_allocation", case=case, status="open").assignee == second
    summary = Deadline.objects.get(key="case_summary_interval", case=case)  # York: every 3 months
    assert summary.assignee == second and summary.rule == "3 months"


def test_an_allocation_can_be_recorded_as_made_earlier_but_not_in_the_future(front_door):
    """Allocation defaults to now; one recorded later gives when it was made, and its clocks run from
    then. The future, or a time before the case opened, is refused and nothing changes."""
    received = clock.DEFAULT - timedelta(days=10)
    referral = new_referral(front_door, received_at=received)
    referral_decide(referral=referral, decided_by=front_door["manager"], decision="assessment",
                    rationale="Needs it", decided_at=received + timedelta(hours=2))  # fmt: skip
    case = Case.objects.get(referral=referral)
    for refused in (clock.DEFAULT + timedelta(minutes=5), received):
        with pytest.raises(ValidationError) as error:
            case_allocate(case=case, worker=front_door["worker"], team=front_door["team"],
                          allocated_by=front_door["manager"], allocated_at=refused)  # fmt: skip
        assert list(error.value.message_dict) == ["allocated_at"]
        assert not case.allocations.exists()
    allocated_at = received + timedelta(hours=3)
    allocation = case_allocate(case=case, worker=front_door["worker"], team=front_door["team"],
                               allocated_by=front_door["manager"], allocated_at=allocated_at)  # fmt: skip
    assert allocation.allocated_at == allocated_at
    assert Deadline.objects.get(key="assessment_allocation", case=case).met_at == allocated_at
    assert Deadline.objects.get(key="child_seen_after_allocation", case=case).anchor_at == allocated_at
    assert case.allocations.get().ended_at is None


def test_a_rereferral_within_twelve_months_is_flagged_with_the_rule(front_door):
    first = new_referral(front_door)
    referral_decide(referral=first, decided_by=front_door["manager"], decision="assessment", rationale="Needs it")
    Case.objects.filter(referral=first).update(closed_at=timezone.now() - timedelta(days=30), closure_reason="RC8")
    again = new_referral(front_door, child=first.child)
    assert again.rereferral_of == first.case
    assert "Re-referred within 12 months" in rereferral_rule(again)
    assert str(front_door["team"]) in rereferral_rule(again)


def test_telling_the_referrer_meets_the_feedback_deadline(timescales_loaded, client):
    st_helens = Authority.objects.get(slug="st-helens")  # feedback within 5 days
    team = TeamFactory(authority=st_helens)
    support, manager = staff(Role.BUSINESS_SUPPORT, authority=st_helens), staff(Role.TEAM_MANAGER, team=team)
    referral = referral_record(recorded_by=support, child=ChildFactory(authority=st_helens), team=team,
                               **referral_fields())  # fmt: skip
    feedback = Deadline.objects.get(key="referrer_feedback", subject_id=referral.pk)
    assert feedback.rule == "5 calendar_days"
    with pytest.raises(ValidationError) as refused:
        referrer_told(referral=referral, told_by=support)
    assert "once the referral has been decided" in str(refused.value)
    referral_decide(referral=referral, decided_by=manager, decision="advice", rationale="Advice given to school")
    client.force_login(staff(Role.BUSINESS_SUPPORT, authority=Authority.objects.get(slug="york")))
    assert client.post(f"/referrals/{referral.pk}/referrer-told/").status_code == 404  # another authority
    client.force_login(support)
    assert client.get(f"/referrals/{referral.pk}/referrer-told/").status_code == 405
    response = client.post(f"/referrals/{referral.pk}/referrer-told/", follow=True)
    assert "has been told the decision" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.status == Deadline.Status.MET
