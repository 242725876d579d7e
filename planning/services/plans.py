"""Plans and their actions. Every change to a plan is a new version (the history keeps each one);
where the authority requires it, a manager who did not write the version approves it. Each open
action is a deadline on the ledger for its owner, due on the agreed day."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import LATEST, check_not_in_future, date_in_range, long_date, start_of
from cases.models import Case, ChronologyEntry, User
from cases.selectors.children import can_write_case, manages_case
from cases.selectors.practice import practice_for
from cases.services.children import chronology_write
from cases.services.deadlines import deadline_cancel, deadline_meet, deadline_open_agreed
from cases.services.writes import locked, locked_case, save_as
from planning.models import Plan, PlanAction
from planning.services.clocks import open_on

ACTION_KEY = "plan_action"
# The CP plan starts at the initial conference, never by hand.
STARTED_BY_HAND = (Plan.Kind.CHILD_IN_NEED, Plan.Kind.CARE, Plan.Kind.PATHWAY)


def can_write_plan(user: User, case: Case) -> bool:
    """The allocated worker or a manager of the case. A conference chair or IRO writes only the
    conferences and reviews they chair (`conferences.chairs`), never the rest of the child's plans."""
    return case.is_open and (can_write_case(user, case) or manages_case(user, case))


def _approval_for(case: Case, kind: str) -> str:
    # Where the authority's documents require it (config/authorities/, [practice.plan_approval]).
    return Plan.Approval.AWAITING if practice_for(case.authority).plan_approval.get(kind) else Plan.Approval.NOT_NEEDED


def _clean_text(errors: dict, outcomes: str, contingency: str) -> tuple[str, str]:
    outcomes, contingency = (outcomes or "").strip(), (contingency or "").strip()
    if not outcomes:
        errors["outcomes"] = "Enter the outcomes the plan seeks"
    if not contingency:
        errors["contingency"] = "Enter the contingency plan"
    return outcomes, contingency


def plan_create(*, case: Case, kind: str, started_on: date, written_by: User, outcomes: str = "",
                contingency: str = "", approval: str | None = None) -> Plan:  # fmt: skip
    """Inside the caller's transaction: the plan row, its first version and the chronology."""
    plan = Plan(authority_id=case.authority_id, case=case, child=case.child, kind=kind, started_on=started_on,
                outcomes=outcomes, contingency=contingency, written_by=written_by,
                approval=approval or _approval_for(case, kind))  # fmt: skip
    plan.full_clean()
    save_as(plan, written_by)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, occurred_at=start_of(started_on),
                     title=f"{plan} started", detail=outcomes, written_by=written_by)  # fmt: skip
    return plan


def plan_begin(*, case: Case, kind: str, started_on: date | None, written_by: User, outcomes: str,
               contingency: str) -> Plan:  # fmt: skip
    """Inside the caller's transaction: a plan started by hand, with its checks; what starting it
    sets going elsewhere in the app is services.plan_start's."""
    case = locked_case(case)
    if not (can_write_case(written_by, case) or manages_case(written_by, case)):
        raise PermissionDenied
    errors = {}
    if kind not in STARTED_BY_HAND:
        errors["kind"] = "Select the kind of plan (a child protection plan starts at the initial conference)"
    try:
        check_not_in_future(started_on, "started_on", "start date")
    except ValidationError as error:
        errors |= error.message_dict
    outcomes, contingency = _clean_text(errors, outcomes, contingency)
    if "kind" not in errors and Plan.objects.filter(case=case, kind=kind, ended_on=None).exists():
        errors["kind"] = f"{Plan.Kind(kind).label} is already in place: revise it instead"
    if errors:
        raise ValidationError(errors)
    plan = plan_create(case=case, kind=kind, started_on=started_on, written_by=written_by, outcomes=outcomes,
                       contingency=contingency)  # fmt: skip
    return plan


def _locked(plan: Plan) -> Plan:
    related = ("case__child", "case__authority", "case__team", "authority")
    return locked(Plan, pk=plan.pk, related=[*related])


@transaction.atomic
def plan_revise(*, plan: Plan, revised_by: User, version: int, outcomes: str, contingency: str) -> Plan:
    """A new version of the plan; approval, where the authority requires it, starts again."""
    plan = _locked(plan)
    if not can_write_plan(revised_by, plan.case):
        raise PermissionDenied
    if not plan.is_open:
        raise ValidationError({"outcomes": f"This plan ended on {long_date(plan.ended_on)}"})
    if version != plan.version:
        who = plan.written_by
        raise ValidationError({"outcomes": f"{who} saved version {plan.version} of this plan after you opened "
                                           "it. Your text has not been saved: read theirs first."})  # fmt: skip
    errors = {}
    outcomes, contingency = _clean_text(errors, outcomes, contingency)
    if errors:
        raise ValidationError(errors)
    plan.outcomes, plan.contingency = outcomes, contingency
    plan.version += 1
    plan.written_by, plan.written_at = revised_by, timezone.now()
    plan.approval = _approval_for(plan.case, plan.kind)
    plan.approved_by, plan.approved_at = None, None
    save_as(plan, revised_by)
    chronology_write(child=plan.child, case=plan.case, kind=ChronologyEntry.Kind.PLAN, occurred_at=plan.written_at,
                     title=f"{plan} revised: version {plan.version}", detail=outcomes,
                     written_by=revised_by)  # fmt: skip
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, approved_by: User, version: int) -> Plan:
    """A manager of the case approves the version they read; never someone who wrote any version
    of it, since a later version keeps what they wrote in an earlier one (as with assessments)."""
    plan = _locked(plan)
    if not manages_case(approved_by, plan.case) or approved_by.pk in plan_authors(plan):
        raise PermissionDenied
    if plan.approval != Plan.Approval.AWAITING:
        raise ValidationError({"version": "This version of the plan is not awaiting approval"})
    if version != plan.version:
        raise ValidationError({"version": f"The plan changed to version {plan.version} while you read it: "
                                          "read it again before approving"})  # fmt: skip
    plan.approval, plan.approved_by, plan.approved_at = Plan.Approval.APPROVED, approved_by, timezone.now()
    save_as(plan, approved_by, update_fields=["approval", "approved_by", "approved_at"])
    chronology_write(child=plan.child, case=plan.case, kind=ChronologyEntry.Kind.PLAN, occurred_at=plan.approved_at,
                     title=f"{plan} version {plan.version} approved", written_by=approved_by)  # fmt: skip
    return plan


def plan_authors(plan: Plan) -> set[int]:
    """Everyone who wrote a version of the plan, from its history."""
    return set(plan.history.values_list("written_by_id", flat=True)) | {plan.written_by_id}


def plan_deadlines_cancel(plan: Plan, reason: str) -> None:
    """The plan ended: its own clocks and its open actions stop, each with the reason."""
    subjects = [(plan, None)] + [(action, action) for action in plan.actions.filter(status=PlanAction.Status.OPEN)]
    for subject, action in subjects:
        for deadline in open_on(subject):
            deadline_cancel(deadline=deadline, reason=reason)
        if action is not None:
            action.status, action.closed_on = PlanAction.Status.DROPPED, timezone.localdate()
            action.save(update_fields=["status", "closed_on"])


@transaction.atomic
def plan_end(*, plan: Plan, ended_on: date | None, reason: str, ended_by: User) -> Plan:
    """A child in need, care or pathway plan ends (a CP plan ends at a review conference)."""
    plan = _locked(plan)
    if not manages_case(ended_by, plan.case) and not can_write_case(ended_by, plan.case):
        raise PermissionDenied
    if plan.kind == Plan.Kind.CHILD_PROTECTION:
        raise ValidationError({"ended_on": "A child protection plan ends at a review conference"})
    return plan_close(plan=plan, ended_on=ended_on, reason=reason, ended_by=ended_by)


def plan_close(*, plan: Plan, ended_on: date | None, reason: str, ended_by: User) -> Plan:
    """Inside the caller's transaction, on a locked plan."""
    if not plan.is_open:
        raise ValidationError({"ended_on": f"This plan already ended on {long_date(plan.ended_on)}"})
    errors = {}
    try:
        check_not_in_future(ended_on, "ended_on", "end date")
    except ValidationError as error:
        errors |= error.message_dict
    if "ended_on" not in errors and ended_on < plan.started_on:
        errors["ended_on"] = f"The end date must be on or after {long_date(plan.started_on)}, when the plan started"
    if not (reason or "").strip():
        errors["end_reason"] = "Enter why the plan ended"
    if errors:
        raise ValidationError(errors)
    plan.ended_on, plan.end_reason = ended_on, reason.strip()
    save_as(plan, ended_by, update_fields=["ended_on", "end_reason"])
    plan_deadlines_cancel(plan, f"The {plan} ended: {plan.end_reason}")
    chronology_write(child=plan.child, case=plan.case, kind=ChronologyEntry.Kind.PLAN, occurred_at=start_of(ended_on),
                     title=f"{plan} ended", detail=plan.end_reason, written_by=ended_by)  # fmt: skip
    return plan


@transaction.atomic
def plan_action_add(*, plan: Plan, what: str, owner: User | None, due_on: date | None, recorded_by: User) -> PlanAction:
    plan = _locked(plan)
    if not can_write_plan(recorded_by, plan.case):
        raise PermissionDenied
    errors = {}
    if not plan.is_open:
        errors["what"] = "This plan has ended"
    if not (what or "").strip():
        errors["what"] = "Enter what is to be done"
    if owner is None or owner.authority_id != plan.authority_id or not owner.is_active:
        errors["owner"] = "Choose who will do it"
    if due_on is None:
        errors["due_on"] = "Enter the date it is to be done by"
    elif due_on < plan.started_on:
        errors["due_on"] = f"The date must be on or after {long_date(plan.started_on)}, when the plan started"
    elif not date_in_range(due_on):
        errors["due_on"] = f"The date must be before {LATEST.year + 1}"
    if errors:
        raise ValidationError(errors)
    action = PlanAction(plan=plan, what=what.strip(), owner=owner, due_on=due_on, recorded_by=recorded_by)
    action.full_clean()
    save_as(action, recorded_by)
    deadline_open_agreed(authority=plan.authority, key=ACTION_KEY, subject=action, due_on=due_on,
                         what=f"{plan} action for {owner}: {action.what}", agreed_at=timezone.now(),
                         team=plan.case.team, assignee=owner, case=plan.case)  # fmt: skip
    chronology_write(child=plan.child, case=plan.case, kind=ChronologyEntry.Kind.PLAN, occurred_at=action.created_at,
                     title=f"{plan} action for {owner}, by {long_date(due_on)}", detail=action.what,
                     written_by=recorded_by)  # fmt: skip
    return action


@transaction.atomic
def plan_action_close(*, action: PlanAction, done: bool, closed_by: User) -> PlanAction:
    """The action is done (its deadline met, late if after the agreed day) or no longer needed
    (its deadline cancelled)."""
    action = locked(PlanAction, pk=action.pk, related=["plan__case__child"])
    if not (can_write_plan(closed_by, action.plan.case) or closed_by.pk == action.owner_id):
        raise PermissionDenied
    if action.status != PlanAction.Status.OPEN:
        raise ValidationError({"status": f"This action is already {action.get_status_display().lower()}"})
    action.status = PlanAction.Status.DONE if done else PlanAction.Status.DROPPED
    action.closed_on = timezone.localdate()
    save_as(action, closed_by, update_fields=["status", "closed_on"])
    for deadline in open_on(action):
        if done:
            deadline_meet(deadline=deadline)
        else:
            deadline_cancel(deadline=deadline, reason=f"No longer needed, said {closed_by}")
    chronology_write(child=action.plan.child, case=action.plan.case, kind=ChronologyEntry.Kind.PLAN,
                     occurred_at=timezone.now(), title=f"{action.plan} action {action.get_status_display().lower()}",
                     detail=action.what, written_by=closed_by)  # fmt: skip
    return action
