"""Recording supervision. A session meets the worker's supervision deadline and opens the next;
each case discussed meets the child's case-supervision deadline, opens the next, goes on the
child's chronology and meets the authority's clock for putting it on the child's file."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, ChronologyEntry, Deadline, User
from cases.roles import Role
from cases.selectors.children import children_visible_to, manages_case
from cases.selectors.people import has_role, teams_managed_by, teams_of
from cases.selectors.timescales import policy_for
from cases.services.children import chronology_write
from cases.services.deadlines import (
    deadline_cancel,
    deadline_meet,
    deadline_open,
    deadline_open_agreed,
    deadline_open_where_set,
)
from cases.services.writes import locked, save_as

from .cadence import next_case_supervision, next_worker_supervision
from .models import CaseDiscussion, ManagementOversight, SupervisionSession

WORKER_KEYS = ("supervision_interval", "supervision_interval_nqsw", "supervision_interval_nqsw_first_6_weeks")
CASE_KEY = "case_supervision_interval"
ACTION_KEY = "supervision_action"


def supervises(supervisor: User, worker: User) -> bool:
    """A team manager supervises the workers of the teams they manage; a service manager anyone
    in the authority. Nobody supervises themselves."""
    if supervisor.pk == worker.pk or supervisor.authority_id != worker.authority_id:
        return False
    if has_role(supervisor, Role.SERVICE_MANAGER):
        return True
    return bool({team.pk for team in teams_managed_by(supervisor)} & {team.pk for team in teams_of(worker)})


def _meet_open(subject_filter: dict, keys, met_at: datetime) -> None:
    for deadline in Deadline.objects.filter(key__in=keys, status=Deadline.Status.OPEN, **subject_filter):
        if deadline.anchor_at <= met_at:
            deadline_meet(deadline=deadline, met_at=met_at)


def worker_cadence_open(*, worker: User, since: datetime) -> Deadline | None:
    """Open the worker's next supervision deadline from `since` (their last session, or their
    start), by the strictest rule their authority sets for them."""
    started = worker.newly_qualified_from if worker.newly_qualified else None
    following = next_worker_supervision(policy_for(worker.authority), last=since, newly_qualified_from=started)
    if following is None:
        return None
    return deadline_open(authority=worker.authority, key=following.key, subject=worker, start=since,
                         conditions=following.conditions, assignee=worker)  # fmt: skip


@transaction.atomic
def worker_cadence_refresh(*, worker: User, reason: str) -> Deadline | None:
    """Keep a practitioner's open supervision deadline in step with their newly qualified year:
    recalculated from the same start when it changes; opened from their start (or last session)
    when a social worker has none."""
    current = Deadline.objects.filter(key__in=WORKER_KEYS, status=Deadline.Status.OPEN, assignee=worker).first()
    if current is None:
        if not worker.is_active or not has_role(worker, Role.SOCIAL_WORKER):
            return None
        last = SupervisionSession.objects.filter(worker=worker).order_by("-held_at").first()
        return worker_cadence_open(worker=worker, since=last.held_at if last else worker.date_joined)
    started = worker.newly_qualified_from if worker.newly_qualified else None
    following = next_worker_supervision(policy_for(worker.authority), last=current.anchor_at,
                                        newly_qualified_from=started)  # fmt: skip
    if following is not None and (following.key, following.due.due_at) == (current.key, current.due_at):
        return current
    deadline_cancel(deadline=current, reason=reason)
    return worker_cadence_open(worker=worker, since=current.anchor_at)


def on_staff_practice_changed(*, user: User, changed_by: User | None) -> None:
    reason = "The worker's newly qualified year changed: supervision was recalculated"
    worker_cadence_refresh(worker=user, reason=reason)


def case_cadence_open(*, case: Case, since: datetime) -> Deadline | None:
    statuses = set(case.statuses.filter(ended_on=None).values_list("kind", flat=True))
    following = next_case_supervision(policy_for(case.authority), last=since, statuses=statuses)
    if following is None:
        return None
    return deadline_open(authority=case.authority, key=CASE_KEY, subject=case, start=since, case=case,
                         conditions=following.conditions, team=case.team, assignee=None)  # fmt: skip


@transaction.atomic
def case_cadence_refresh(*, case: Case, reason: str) -> Deadline | None:
    """Keep the child's open case-supervision deadline in step with their status: opened when the
    case is first allocated, recalculated from the same start when the status changes."""
    current = Deadline.objects.filter(case=case, key=CASE_KEY, status=Deadline.Status.OPEN).first()
    if not case.is_open or case.worker_id is None:
        return current
    since = current.anchor_at if current else timezone.now()
    statuses = set(case.statuses.filter(ended_on=None).values_list("kind", flat=True))
    following = next_case_supervision(policy_for(case.authority), last=since, statuses=statuses)
    if current is not None and following is not None and following.due.due_at == current.due_at:
        return current
    if current is not None:
        deadline_cancel(deadline=current, reason=reason)
    return case_cadence_open(case=case, since=since)


def on_case_allocated(*, case: Case, allocated_by: User) -> None:
    if not Deadline.objects.filter(case=case, key=CASE_KEY, status=Deadline.Status.OPEN).exists():
        case_cadence_refresh(case=case, reason="The case was allocated")


def on_status_changed(*, case: Case, changed_by: User) -> None:
    case_cadence_refresh(case=case, reason="The child's status changed: case supervision was recalculated")


def _clean_discussions(discussions, supervisor: User, worker: User) -> list[dict]:
    rows, visible = [], children_visible_to(supervisor)
    for row in discussions or []:
        case = row.get("case")
        discussion, decisions = (str(row.get(name) or "").strip() for name in ("discussion", "decisions"))
        if case is None and not (discussion or decisions):
            continue
        if case is None or not case.is_open or not visible.filter(pk=case.child_id).exists():
            raise ValidationError({"discussions": "Choose an open case the worker holds for each case discussed"})
        if case.worker_id != worker.pk:
            raise ValidationError({"discussions": f"{case.child} is not allocated to {worker}"})
        if not (discussion and decisions):
            raise ValidationError({"discussions": f"Enter the discussion and the decisions for {case.child}"})
        if any(existing["case"].pk == case.pk for existing in rows):
            raise ValidationError({"discussions": f"{case.child} is listed twice"})
        rows.append({"case": case, "discussion": discussion, "decisions": decisions,
                     "actions": _clean_actions(row.get("actions"), case, supervisor, worker)})  # fmt: skip
    return rows


def _clean_actions(actions, case: Case, supervisor: User, worker: User) -> list[dict]:
    rows = []
    for action in actions or []:
        what, owner, by_when = str(action.get("what") or "").strip(), action.get("owner"), action.get("by_when")
        if not (what or by_when):
            continue
        if not (what and by_when):
            raise ValidationError({"discussions": f"Give each action for {case.child} what is to be done and by when"})
        if owner not in (worker, supervisor):
            raise ValidationError({"discussions": "An action's owner is the worker or the supervisor"})
        if by_when < timezone.localdate():
            raise ValidationError({"discussions": f"An action for {case.child} cannot be due in the past"})
        rows.append({"what": what, "owner": owner, "by_when": by_when})
    return rows


@transaction.atomic
def supervision_record(*, supervisor: User, worker: User, held_at: datetime | None, kind: str, agenda: str = "",
                       wellbeing: str = "", learning: str = "", discussions=()) -> SupervisionSession:  # fmt: skip
    if not supervises(supervisor, worker):
        raise PermissionDenied
    errors = {}
    if kind not in SupervisionSession.Kind.values:
        errors["kind"] = "Select the kind of supervision"
    if held_at is None:
        errors["held_at"] = "Enter when the session was held"
    elif held_at > timezone.now():
        errors["held_at"] = "The session must be in the past: record it once it has happened"
    if errors:
        raise ValidationError(errors)
    rows = _clean_discussions(discussions, supervisor, worker)
    session = SupervisionSession(authority_id=worker.authority_id, supervisor=supervisor, worker=worker,
                                 held_at=held_at, kind=kind, agenda=agenda.strip(), wellbeing=wellbeing.strip(),
                                 learning=learning.strip(), recorded_by=supervisor)  # fmt: skip
    save_as(session, supervisor)
    _meet_open({"subject_type": ContentType.objects.get_for_model(User), "subject_id": worker.pk}, WORKER_KEYS, held_at)
    worker_cadence_open(worker=worker, since=held_at)
    for row in rows:
        _discuss(session, **row)
    return session


def _discuss(session: SupervisionSession, *, case: Case, discussion: str, decisions: str, actions) -> CaseDiscussion:
    record = CaseDiscussion(session=session, case=case, child=case.child, discussion=discussion, decisions=decisions,
                            actions=[{"what": action["what"], "owner_id": action["owner"].pk,
                                      "by_when": action["by_when"].isoformat()} for action in actions])  # fmt: skip
    save_as(record, session.supervisor)
    for action in actions:
        deadline_open_agreed(authority=case.authority, key=ACTION_KEY, subject=record, due_on=action["by_when"],
                             what=f"Action from supervision: {action['what']}", agreed_at=session.held_at,
                             team=case.team, assignee=action["owner"], case=case)  # fmt: skip
    _meet_open({"case": case}, [CASE_KEY], session.held_at)
    # A session recorded after the fact may predate the clock now running (a later allocation or
    # discussion): that clock already counts from the more recent start, so it stays the only one.
    if not Deadline.objects.filter(case=case, key=CASE_KEY, status=Deadline.Status.OPEN).exists():
        case_cadence_open(case=case, since=session.held_at)
    # The discussion reaches the child's file now; the authority's clock for that ran from the session.
    on_file = deadline_open_where_set(
        authority=case.authority,
        key="supervision_record_to_child_file",
        subject=record,
        start=session.held_at,
        case=case,
        team=case.team,
        assignee=session.supervisor,
    )
    if on_file is not None:
        deadline_meet(deadline=on_file, met_at=session.recorded_at)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.DECISION, occurred_at=session.held_at,
                     title=f"Case discussion in supervision with {session.supervisor}",
                     detail=f"{discussion}\n\nDecisions: {decisions}", written_by=session.supervisor)  # fmt: skip
    return record


@transaction.atomic
def supervision_sign(*, session: SupervisionSession, worker: User, comment: str = "") -> SupervisionSession:
    """The worker signs the record of their supervision, adding their own comment if they wish."""
    session = locked(SupervisionSession, pk=session.pk)
    if session.worker_id != worker.pk:
        raise PermissionDenied
    if session.worker_signed_at is not None:
        raise ValidationError({"worker_comment": "You have already signed this record"})
    session.worker_signed_at, session.worker_comment = timezone.now(), (comment or "").strip()
    save_as(session, worker, update_fields=["worker_signed_at", "worker_comment"])
    return session


@transaction.atomic
def oversight_record(*, case: Case, manager: User, decision: str, rationale: str) -> ManagementOversight:
    """A manager's decision on a case outside supervision; it goes on the child's chronology."""
    if not (manages_case(manager, case) and case.is_open):
        raise PermissionDenied
    errors = {}
    if not (decision or "").strip():
        errors["decision"] = "Enter the decision"
    if not (rationale or "").strip():
        errors["rationale"] = "Enter the rationale for the decision"
    if errors:
        raise ValidationError(errors)
    note = ManagementOversight(case=case, child=case.child, manager=manager, decision=decision.strip(),
                               rationale=rationale.strip())  # fmt: skip
    save_as(note, manager)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.DECISION, occurred_at=note.recorded_at,
                     title=f"Management oversight by {manager}", detail=f"{note.decision}\n\nWhy: {note.rationale}",
                     written_by=manager)  # fmt: skip
    return note
