"""Closing and transferring a case with a manager's approval, the closure gate, and restricting a
child's record to named people.

Nothing closes or moves a case until a manager of its team approves, and never on the say-so of the
person who asked (DESIGN §7). The gate is computed from the record, not ticked by hand, and what it
showed when the request was made is kept on the request, so a later audit can see what the manager
was told.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..codes import ClosureReason
from ..models import (
    Allocation,
    Case,
    CaseClosure,
    CaseNote,
    CaseSummary,
    Child,
    ChronologyEntry,
    Deadline,
    LegalStatus,
    Team,
    User,
)
from ..roles import Role
from ..rules.timescales import add_months
from ..selectors.children import can_write_case, children_visible_to, manages_case, open_case_for
from ..selectors.people import has_role
from ..selectors.practice import practice_for
from .children import chronology_write
from .deadlines import deadlines_cancel_open
from .performance_rollup import performance_rollup_mark
from .writes import locked, locked_case


@dataclass(frozen=True)
class GateItem:
    code: str
    label: str
    met: bool
    evidence: str
    source: str = ""


# --- The gate ------------------------------------------------------------------------------------

GENERIC_LABELS = {
    "chronology_current": "Chronology updated in the last month",
    "assessment_and_plan": "A current assessment or plan",
    "case_summary": "Case summary written",
    "no_overdue_deadlines": "No open deadlines overdue",
    "manager_audit": "Manager's file audit recorded",
}

CHRONOLOGY_CURRENT_MONTHS = 1

def gate_blocks_transfer(case: Case) -> bool:
    """Whether the authority's documents apply the closure gate before a case moves team too."""
    return bool(practice_for(case.authority).gate_blocks_transfer)


def _check_gate(case: Case, override: str, what: str) -> tuple[list, dict]:
    """The gate, and an error on the override field if an item is unmet and no reason is given."""
    gate = closure_gate(case)
    unmet = [item.label for item in gate if not item.met]
    errors = {}
    if unmet and not override.strip():
        errors["gate_override"] = f"Enter why the case may {what} although this is not met: {'; '.join(unmet)}"
    return gate, errors


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %b %Y}"


def _chronology_current(case: Case) -> tuple[bool, str]:
    # When it was written, not when the event happened: bringing the chronology up to date with an
    # old event is exactly the update the gate asks for.
    since_day = add_months(timezone.localdate(), -CHRONOLOGY_CURRENT_MONTHS)
    since = timezone.make_aware(datetime.combine(since_day, time.min))
    latest = (
        ChronologyEntry.objects.filter(child_id=case.child_id, struck_at__isnull=True)
        .order_by("-recorded_at", "-pk")
        .only("recorded_at", "title")
        .first()
    )
    if latest is None:
        return False, "Nothing recorded on the chronology"
    evidence = f"Last entry recorded {_when(latest.recorded_at)}: {latest.title}"
    return latest.recorded_at >= since, evidence


def _assessment_and_plan(case: Case) -> tuple[bool, str]:
    # A stand-in until the assessments and planning apps register their own checks (see
    # `gate_check_register`): they know whether an assessment is current and a plan in force; this
    # only knows that one was put on the chronology of this case.
    kinds = [ChronologyEntry.Kind.ASSESSMENT, ChronologyEntry.Kind.PLAN]
    latest = (
        ChronologyEntry.objects.filter(case=case, kind__in=kinds, struck_at__isnull=True)
        .order_by("-occurred_at", "-pk")
        .only("occurred_at", "title", "kind")
        .first()
    )
    if latest is None:
        return False, "No assessment or plan recorded on this case's chronology"
    return True, f"{latest.get_kind_display()} on {_when(latest.occurred_at)}: {latest.title}"


def _case_summary(case: Case) -> tuple[bool, str]:
    latest = CaseSummary.objects.filter(case=case).select_related("written_by").order_by("-written_at").first()
    if latest is None:
        return False, "No case summary on this case"
    return True, f"Written {_when(latest.written_at)} by {latest.written_by}"


def _no_overdue_deadlines(case: Case) -> tuple[bool, str]:
    overdue = list(
        Deadline.objects.filter(case=case, status=Deadline.Status.OPEN, due_at__lt=timezone.now())
        .order_by("due_at")
        .only("key", "due_at")[:4]
    )
    if not overdue:
        return True, "Nothing overdue"
    listed = "; ".join(f"{d.key.replace('_', ' ')} (due {_when(d.due_at)})" for d in overdue[:3])
    more = " and more" if len(overdue) > 3 else ""
    return False, f"Overdue: {listed}{more}"


def _manager_audit(case: Case) -> tuple[bool, str]:
    # A decision note counts only when a manager of the case wrote it: nobody audits their own file.
    by_manager = Q(author__role_assignments__role=Role.TEAM_MANAGER, author__role_assignments__team_id=case.team_id)
    by_service_manager = Q(author__role_assignments__role=Role.SERVICE_MANAGER, author__authority_id=case.authority_id)
    note = (
        CaseNote.objects.filter(case=case, kind=CaseNote.Kind.MANAGEMENT_DECISION, struck_at__isnull=True)
        .filter(by_manager | by_service_manager)
        .select_related("author")
        .order_by("-event_at", "-pk")
        .first()
    )
    if note is None:
        return False, "No management decision recorded by a manager on this case"
    return True, f"{note.title}, {_when(note.event_at)} by {note.author}"


# code -> check(case) -> (met, evidence). Other apps replace or add checks with
# `gate_check_register`, so this module never imports the apps built on it (DESIGN §3).
_CHECKS: dict[str, Callable[[Case], tuple[bool, str]]] = {
    "chronology_current": _chronology_current,
    "assessment_and_plan": _assessment_and_plan,
    "case_summary": _case_summary,
    "no_overdue_deadlines": _no_overdue_deadlines,
    "manager_audit": _manager_audit,
}


def gate_check_register(code: str, check: Callable[[Case], tuple[bool, str]], label: str = "") -> None:
    """Add a gate item, or replace the stand-in check of an existing one (same code)."""
    _CHECKS[code] = check
    if label:
        GENERIC_LABELS[code] = label


def closure_gate(case: Case) -> list[GateItem]:
    """What must be in place before a case closes or moves, each with whether it is and why."""
    # Where the authority's own documents name an item, the page uses its words and cites them.
    local = practice_for(case.authority).gate_labels
    items = []
    for code, check in _CHECKS.items():
        met, evidence = check(case)
        label, source = local.get(code, (GENERIC_LABELS.get(code, code.replace("_", " ")), ""))
        items.append(GateItem(code=code, label=label, met=met, evidence=evidence, source=source))
    return items


# --- Requests ------------------------------------------------------------------------------------


def _check_can_request(user: User, case: Case) -> Case:
    case = locked_case(case)
    if case.authority_id != user.authority_id or not can_write_case(user, case):
        raise PermissionDenied
    if CaseClosure.objects.filter(case=case, status=CaseClosure.Status.REQUESTED).exists():
        raise ValidationError({"case": "This case already has a request waiting for a manager's decision"})
    return case


@transaction.atomic
def closure_request(
    *, case: Case, requested_by: User, reason: str, summary: str, gate_override: str = ""
) -> CaseClosure:
    case = _check_can_request(requested_by, case)
    errors = {}
    if reason not in ClosureReason.values:
        errors["reason"] = "Select the reason the case is closing"
    if not summary.strip():
        errors["summary"] = "Enter the closure summary"
    gate, gate_errors = _check_gate(case, gate_override, "close")
    errors.update(gate_errors)
    unmet = any(not item.met for item in gate)
    if errors:
        raise ValidationError(errors)
    return CaseClosure.objects.create(
        case=case, kind=CaseClosure.Kind.CLOSURE, reason=reason, summary=summary.strip(),
        gate={item.code: item.met for item in gate}, gate_override=gate_override.strip() if unmet else "",
        requested_by=requested_by,
    )  # fmt: skip


@transaction.atomic
def transfer_request(
    *, case: Case, requested_by: User, to_team: Team, summary: str, gate_override: str = ""
) -> CaseClosure:
    """Ask to move the case to another team. The gate is recorded for the approving manager to
    weigh; where the authority's standards apply it to transfers too (Leeds), an unmet item needs
    a reason, as for a closure."""
    case = _check_can_request(requested_by, case)
    errors = {}
    if to_team is None or to_team.authority_id != case.authority_id or not to_team.is_active:
        errors["to_team"] = "Select a team in this authority"
    elif to_team.pk == case.team_id:
        errors["to_team"] = "Select a different team from the one that holds the case"
    if not summary.strip():
        errors["summary"] = "Enter the transfer summary"
    gate, gate_errors = _check_gate(case, gate_override, "move team")
    if gate_blocks_transfer(case):
        errors.update(gate_errors)
    if errors:
        raise ValidationError(errors)
    return CaseClosure.objects.create(
        case=case, kind=CaseClosure.Kind.TRANSFER, to_team=to_team, summary=summary.strip(),
        gate={item.code: item.met for item in gate}, gate_override=gate_override.strip(), requested_by=requested_by,
    )  # fmt: skip


# --- Decision ------------------------------------------------------------------------------------


def _may_decide(user: User, case: Case) -> bool:
    return (
        case.authority_id == user.authority_id
        and manages_case(user, case)
        and children_visible_to(user).filter(pk=case.child_id).exists()
    )


@transaction.atomic
def closure_decide(*, request: CaseClosure, decided_by: User, approve: bool, note: str = "") -> CaseClosure:
    request = locked(CaseClosure, pk=request.pk)
    case = locked(Case, pk=request.case_id, related=["team", "child"])
    if not _may_decide(decided_by, case):
        raise PermissionDenied
    if request.requested_by_id == decided_by.pk:
        raise PermissionDenied("Another manager must decide a request you made")
    if request.status != CaseClosure.Status.REQUESTED:
        raise ValidationError({"decision": f"This request has already been {request.get_status_display().lower()}"})
    if not case.is_open:
        raise ValidationError({"decision": "This case is already closed"})
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": "Enter why the request is declined"})
    now = timezone.now()
    request.status = CaseClosure.Status.APPROVED if approve else CaseClosure.Status.DECLINED
    request.decided_by, request.decided_at, request.decision_note = decided_by, now, note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve and request.kind == CaseClosure.Kind.CLOSURE:
        _close(case, request, decided_by, now)
    elif approve:
        _transfer(case, request, decided_by, now)
    return request


def _close(case: Case, request: CaseClosure, decided_by: User, now: datetime) -> None:
    reason = ClosureReason(request.reason)
    case.closed_at, case.closure_reason = now, reason.value
    case.save(update_fields=["closed_at", "closure_reason"])
    Allocation.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    for status in LegalStatus.objects.filter(case=case, ended_on__isnull=True):
        status.ended_on = timezone.localdate(now)
        status.save(update_fields=["ended_on"])
    deadlines_cancel_open(case=case, reason=f"Case closed: {reason.label} ({reason.value})")
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.CLOSURE, occurred_at=now,
                     title=f"Case closed: {reason.label}", detail=_detail(request), written_by=decided_by)  # fmt: skip


def _transfer(case: Case, request: CaseClosure, decided_by: User, now: datetime) -> None:
    from_team = case.team
    Allocation.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    # The receiving team holds it unallocated until its manager allocates; the history says so.
    Allocation.objects.create(case=case, team=request.to_team, worker=None, allocated_by=decided_by, allocated_at=now)
    case.team, case.worker = request.to_team, None
    case.save(update_fields=["team", "worker"])
    # Open deadlines follow the case, so the new team's manager sees them and the old worker's
    # list no longer carries work they cannot do.
    for deadline in Deadline.objects.filter(case=case, status=Deadline.Status.OPEN):
        deadline.team, deadline.assignee = request.to_team, None
        deadline.save(update_fields=["team", "assignee"])
        performance_rollup_mark(deadline, team_before=from_team)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.TRANSFER, occurred_at=now,
                     title=f"Case transferred from {from_team} to {request.to_team}", detail=_detail(request),
                     written_by=decided_by)  # fmt: skip


def _detail(request: CaseClosure) -> str:
    parts = [request.summary]
    if request.gate_override:
        parts.append(f"Closed with the gate not fully met because: {request.gate_override}")
    if request.decision_note:
        parts.append(f"Manager's note: {request.decision_note}")
    return "\n\n".join(parts)


# --- Restriction ---------------------------------------------------------------------------------


def may_restrict(user: User, child: Child) -> bool:
    if child.authority_id != user.authority_id:
        return False
    if has_role(user, Role.SERVICE_MANAGER):
        return True
    case = open_case_for(child)
    return case is not None and manages_case(user, case)


@transaction.atomic
def child_restrict(*, child: Child, by: User, restricted: bool, named_users) -> Child:
    """Restrict the record to the named people (everyone else is told it does not exist), or lift
    the restriction. The person restricting stays named, so nobody locks themselves out."""
    child = locked(Child, pk=child.pk)
    if not may_restrict(by, child) or not children_visible_to(by).filter(pk=child.pk).exists():
        raise PermissionDenied
    named = {user.pk: user for user in named_users}
    if any(user.authority_id != child.authority_id for user in named.values()):
        raise ValidationError({"named_users": "Select only people who work for this authority"})
    named[by.pk] = by
    child._history_user = by  # the history rows of this change name who made it
    child.restricted_to.set(named.values())
    child.restricted = restricted
    # Saved after the named people are set, so its history row records both.
    child.save(update_fields=["restricted"])
    return child
