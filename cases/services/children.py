"""Writing the child's record, referrals, decisions, allocation and the chronology.

Each function is one transaction: the record, its chronology entry and its deadlines are written
together or not at all. Permission is checked here, not only in views.
"""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..codes.ssda903 import SOCIAL_WORKER_CHANGE_REASONS
from ..events import publish
from ..models import Allocation, Case, Child, ChronologyEntry, Deadline, Referral, Team, User
from ..roles import Role
from ..rules.timescales import add_months
from ..selectors.children import children_visible_to, previous_worker_of, workers_in
from ..selectors.people import has_role, teams_managed_by
from ..selectors.timescales import policy_for
from .deadlines import deadline_cancel, deadline_open_where_set, deadlines_meet_open
from .performance_rollup import performance_rollup_mark
from .writes import locked, locked_case

RECORDS_REFERRALS = (Role.BUSINESS_SUPPORT, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
REREFERRAL_MONTHS = 12


def chronology_write(
    *,
    child: Child,
    kind: str,
    occurred_at: datetime,
    title: str,
    written_by: User,
    case: Case | None = None,
    detail: str = "",
    automatic: bool = True,
) -> ChronologyEntry:
    return ChronologyEntry.objects.create(
        child=child, case=case, kind=kind, occurred_at=occurred_at, title=title, detail=detail,
        written_by=written_by, automatic=automatic,
    )  # fmt: skip


@transaction.atomic
def child_create(*, created_by: User, **fields) -> Child:
    if not has_role(created_by, *RECORDS_REFERRALS):
        raise PermissionDenied
    child = Child(authority_id=created_by.authority_id, created_by=created_by, **fields)
    child.full_clean()
    child.save()
    return child


def _check_can_record(user: User, child: Child) -> None:
    if not has_role(user, *RECORDS_REFERRALS) or not children_visible_to(user).filter(pk=child.pk).exists():
        raise PermissionDenied


@transaction.atomic
def referral_record(*, recorded_by: User, child: Child, team: Team, **fields) -> Referral:
    """Record a contact or referral and start its clocks: the manager's decision (faster for a
    child-protection referral where the authority says so) and feedback to the referrer."""
    _check_can_record(recorded_by, child)
    if team.authority_id != child.authority_id:
        raise PermissionDenied
    referral = Referral(authority_id=child.authority_id, child=child, team=team, recorded_by=recorded_by, **fields)
    referral.full_clean()  # first: the re-referral look-back below needs a received date in range
    referral.rereferral_of = _recently_closed_case(child, referral.received_at)
    referral.save()
    authority = child.authority
    conditions = ("cp_referral",) if referral.child_protection else ()
    for key in ("contact_decision", "referrer_feedback"):
        deadline_open_where_set(authority=authority, key=key, subject=referral, start=referral.received_at,
                                team=team, child=child, conditions=conditions)  # fmt: skip
    chronology_write(child=child, kind=ChronologyEntry.Kind.REFERRAL, occurred_at=referral.received_at,
                     title=f"Referral from {referral.referrer_name} ({referral.get_source_display()})",
                     detail=referral.reasons, written_by=recorded_by)  # fmt: skip
    return referral


def _recently_closed_case(child: Child, received_at: datetime) -> Case | None:
    since_day = add_months(timezone.localdate(received_at), -REREFERRAL_MONTHS)
    since = timezone.make_aware(datetime.combine(since_day, time.min))
    return child.cases.filter(closed_at__gte=since, closed_at__lte=received_at).order_by("-closed_at").first()


def rereferral_rule(referral: Referral) -> str:
    """What the authority says should happen to a re-referral, for display beside the flag."""
    timescale = policy_for(referral.authority).timescale("rereferral_window")
    previous = referral.rereferral_of
    where = ""
    if previous is not None:
        where = f" Previously held by {previous.team}{f' ({previous.worker})' if previous.worker else ''}."
    if timescale.is_deadline:
        return f"Re-referred within {timescale.duration.words()} of closure: {timescale.note}{where}"
    return f"Re-referred within {REREFERRAL_MONTHS} months of a previous closure.{where}"


@transaction.atomic
def referral_decide(*, referral: Referral, decided_by: User, decision: str, rationale: str,
                    decided_at: datetime | None = None) -> Referral:  # fmt: skip
    """A manager of the receiving team decides; the decision meets the decision deadline, and a
    statutory response opens a case for allocation."""
    referral = locked(Referral, pk=referral.pk)
    if referral.team not in teams_managed_by(decided_by) and not has_role(decided_by, Role.SERVICE_MANAGER):
        raise PermissionDenied
    if referral.decision:
        raise ValidationError({"decision": "This referral has already been decided"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reasons for the decision"})
    decided_at = decided_at or timezone.now()
    referral.decision, referral.decision_rationale = decision, rationale.strip()
    referral.decided_by, referral.decided_at = decided_by, decided_at
    referral.full_clean()
    referral.save()
    deadlines_meet_open(subject=referral, keys=["contact_decision"], met_at=decided_at)
    case = None
    if decision in Referral.OPENS_A_CASE:
        case = Case.objects.create(authority_id=referral.authority_id, child=referral.child, referral=referral,
                                   opened_at=decided_at, team=referral.team)  # fmt: skip
        # York allocates a named worker within 24 hours of accepting the referral.
        deadline_open_where_set(authority=case.authority, key="assessment_allocation", subject=case,
                                start=decided_at, team=case.team, case=case)  # fmt: skip
        publish("case_opened", case=case, referral=referral, decided_by=decided_by)
    chronology_write(child=referral.child, case=case, kind=ChronologyEntry.Kind.DECISION, occurred_at=decided_at,
                     title=f"Referral decision: {referral.get_decision_display()}", detail=referral.decision_rationale,
                     written_by=decided_by)  # fmt: skip
    return referral


@transaction.atomic
def referrer_told(*, referral: Referral, told_by: User, told_at: datetime | None = None) -> Referral:
    """Record that the referrer has been told the decision; it meets the feedback deadline where
    the authority sets one (St Helens 5 days, Wiltshire 48 hours)."""
    referral = locked(Referral, pk=referral.pk)
    _check_can_record(told_by, referral.child)
    if not referral.decision:
        raise ValidationError({"referrer_told_at": "The referrer can be told once the referral has been decided"})
    if referral.referrer_told_at:
        raise ValidationError({"referrer_told_at": "The referrer has already been told"})
    told_at = told_at or timezone.now()
    referral.referrer_told_at = told_at
    referral.save(update_fields=["referrer_told_at"])
    deadlines_meet_open(subject=referral, keys=["referrer_feedback"], met_at=told_at)
    return referral


@transaction.atomic
def case_allocate(
    *, case: Case, worker: User, team: Team, allocated_by: User, change_reason: str = "",
    allocated_at: datetime | None = None,
) -> Allocation:
    """Allocate the case to a worker in a team; the previous allocation ends, and the clocks that
    start at allocation open for the new worker. Where someone held the case before, the DfE's
    `change_reason` code says why the worker changed; the first worker needs none. `allocated_at`
    is when it happened (now by default): never in the future, nor before the case opened or its
    current allocation began."""
    case = locked_case(case)
    if case.team not in teams_managed_by(allocated_by) and not has_role(allocated_by, Role.SERVICE_MANAGER):
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError("A closed case cannot be allocated")
    if team.authority_id != case.authority_id or not workers_in(team).filter(pk=worker.pk).exists():
        raise ValidationError({"worker": "Choose a worker in the team"})
    now = _allocation_time(case, allocated_at)
    change_reason = _change_reason(case, change_reason, timezone.localdate(now))
    _hand_over_open_deadlines(case, worker, team)
    Allocation.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    allocation = Allocation.objects.create(case=case, team=team, worker=worker, allocated_by=allocated_by,
                                           allocated_at=now, change_reason=change_reason)  # fmt: skip
    case.team, case.worker = team, worker
    case.save(update_fields=["team", "worker"])
    deadlines_meet_open(subject=case, keys=["assessment_allocation"], met_at=now)
    deadline_open_where_set(authority=case.authority, key="child_seen_after_allocation", subject=case, start=now,
                            team=team, assignee=worker, case=case)  # fmt: skip
    _start_case_summary_clock(case, worker, now)
    reason = SOCIAL_WORKER_CHANGE_REASONS.label(change_reason) if change_reason else ""
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.ALLOCATION, occurred_at=now,
                     title=f"Allocated to {worker} ({team})", written_by=allocated_by,
                     detail=f"Why the social worker changed: {reason}" if reason else "")  # fmt: skip
    publish("case_allocated", case=case, allocated_by=allocated_by)
    return allocation


def _allocation_time(case: Case, allocated_at: datetime | None) -> datetime:
    if allocated_at is None:
        return timezone.now()
    if allocated_at > timezone.now():
        raise ValidationError({"allocated_at": "The time of allocation cannot be in the future"})
    current = Allocation.objects.filter(case=case, ended_at__isnull=True).order_by("-allocated_at").first()
    if allocated_at < case.opened_at or (current is not None and allocated_at < current.allocated_at):
        raise ValidationError({"allocated_at": "The time of allocation must be after the case opened and after "
                                               "its current allocation began"})  # fmt: skip
    return allocated_at


def _change_reason(case: Case, code: str, today: date) -> str:
    if previous_worker_of(case) is None:
        return ""  # a first allocation is no change of worker, whatever the form sent
    if not code:
        raise ValidationError({"change_reason": "Select why the social worker is changing"})
    if code not in dict(SOCIAL_WORKER_CHANGE_REASONS.offered(today)):
        raise ValidationError({"change_reason": "Select one of the reasons listed"})
    return code


def _hand_over_open_deadlines(case: Case, worker: User, team: Team) -> None:
    """On reallocation the new worker takes over what is open, except the previous worker's clock
    to see the child: that restarts for the new worker."""
    if case.worker_id is None or case.worker_id == worker.pk:
        return
    for deadline in Deadline.objects.filter(case=case, status=Deadline.Status.OPEN):
        if deadline.key == "child_seen_after_allocation":
            deadline_cancel(deadline=deadline, reason=f"Reallocated to {worker}")
        else:
            team_before, deadline.assignee, deadline.team = deadline.team, worker, team
            deadline.save(update_fields=["assignee", "team"])
            performance_rollup_mark(deadline, team_before=team_before)


def _start_case_summary_clock(case: Case, worker: User, now: datetime) -> None:
    """The first case summary is due one refresh interval after the case is first allocated;
    writing a summary then restarts the clock."""
    if Deadline.objects.filter(case=case, key="case_summary_interval", status=Deadline.Status.OPEN).exists():
        return
    deadline_open_where_set(authority=case.authority, key="case_summary_interval", subject=case, start=now,
                            team=case.team, assignee=worker, case=case)  # fmt: skip
