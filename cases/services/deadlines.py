"""The deadline ledger's services: open, meet, cancel and recalculate (DESIGN §6).

Other services call these inside their own transaction, so recording an event and opening or
meeting its deadlines happen together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ..models import Authority, Deadline, Team, User
from ..selectors.timescales import policy_for
from .performance_rollup import performance_rollup_mark, performance_rollup_mark_authority
from .writes import locked


@transaction.atomic
def deadline_open(
    *,
    authority: Authority,
    key: str,
    subject,
    start: date | datetime,
    team: Team | None = None,
    assignee: User | None = None,
    conditions: tuple[str, ...] = (),
    case=None,
    child=None,
    counted_from: str = "",
) -> Deadline:
    if getattr(subject, "authority_id", authority.pk) != authority.pk:
        raise ValidationError("A deadline's record must belong to the same authority")
    result = policy_for(authority).due(key, start, frozenset(conditions))
    deadline = Deadline.objects.create(
        authority=authority,
        team=team,
        assignee=assignee,
        case=case,
        child=child if child is not None else getattr(case, "child", None),
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        key=key,
        conditions=sorted(conditions),
        anchor_at=result.start,
        counted_from=counted_from,
        due_at=result.due_at,
        rule=result.rule,
        condition_applied=result.condition or "",
        statutory_floor_applied=result.floor is not None,
        explanation=result.explanation,
    )
    performance_rollup_mark(deadline)
    return deadline


# The rule of a deadline people agreed (an action from supervision or an audit), not a timescale:
# it is due at the end of the agreed day and no recalculation moves it.
AGREED_DATE = "agreed date"


@transaction.atomic
def deadline_open_agreed(*, authority: Authority, key: str, subject, due_on: date, what: str,
                         agreed_at: datetime, team: Team | None = None, assignee: User | None = None,
                         case=None) -> Deadline:  # fmt: skip
    if getattr(subject, "authority_id", authority.pk) != authority.pk:
        raise ValidationError("A deadline's record must belong to the same authority")
    policy = policy_for(authority)
    due_at = datetime.combine(due_on, time(23, 59, 59), tzinfo=policy.tz)
    agreed = timezone.localtime(agreed_at, policy.tz)
    deadline = Deadline.objects.create(
        authority=authority, team=team, assignee=assignee, case=case, child=getattr(case, "child", None),
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, key=key,
        anchor_at=agreed_at, due_at=due_at, rule=AGREED_DATE,
        explanation=f"{what}: agreed on {agreed:%a %-d %b %Y}, due by the end of {due_on:%a %-d %b %Y}.",
    )  # fmt: skip
    performance_rollup_mark(deadline)
    return deadline


def deadline_open_where_set(*, authority: Authority, key: str, conditions: tuple[str, ...] = (), **kwargs):
    """Open `key` if this authority (or the national default) gives it a value under these
    conditions; many duties are local and some authorities set no number (returns None then)."""
    if policy_for(authority).due_where_set(key, kwargs["start"], conditions) is None:
        return None
    return deadline_open(authority=authority, key=key, conditions=conditions, **kwargs)


def deadlines_meet_open(*, subject, keys: list[str], met_at: datetime | None = None) -> list[Deadline]:
    """Meet every open deadline of `keys` on `subject` (recording the event that was awaited)."""
    open_ones = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        key__in=keys,
        status=Deadline.Status.OPEN,
    )
    return [deadline_meet(deadline=deadline, met_at=met_at) for deadline in open_ones]


def deadlines_cancel_open(*, case, reason: str) -> int:
    """Cancel every open deadline of a case (it is closing), keeping the reason on each."""
    open_ones = list(Deadline.objects.filter(case=case, status=Deadline.Status.OPEN))
    for deadline in open_ones:
        deadline_cancel(deadline=deadline, reason=reason)
    return len(open_ones)


def _locked_open(deadline: Deadline) -> Deadline:
    row = locked(Deadline, pk=deadline.pk)
    if row.status != Deadline.Status.OPEN:
        raise ValidationError(f"This deadline is already {row.get_status_display().lower()}")
    return row


@transaction.atomic
def deadline_meet(*, deadline: Deadline, met_at: datetime | None = None) -> Deadline:
    """Mark the deadline met at `met_at` (now by default): met late if that is after it was due."""
    row = _locked_open(deadline)
    row.met_at = met_at or timezone.now()
    row.status = Deadline.Status.MET if row.met_at <= row.due_at else Deadline.Status.MET_LATE
    row.save(update_fields=["met_at", "status"])
    performance_rollup_mark(row)
    return row


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, reason: str) -> Deadline:
    if not reason.strip():
        raise ValidationError("Give the reason the deadline no longer applies")
    row = _locked_open(deadline)
    row.status = Deadline.Status.CANCELLED
    row.cancelled_reason = reason.strip()
    row.save(update_fields=["status", "cancelled_reason"])
    performance_rollup_mark(row)
    return row


@transaction.atomic
def deadline_add_note(*, deadline: Deadline, note: str) -> Deadline:
    """Add to an open deadline's explanation what happened that did not meet it (a visit where
    the child was not seen), so whoever reads the due date reads why it is still open."""
    row = _locked_open(deadline)
    row.explanation = f"{row.explanation}\n{note.strip()}"
    row.save(update_fields=["explanation"])
    return row


@dataclass
class Recalculation:
    checked: int = 0
    changes: list[tuple[int, str, datetime, datetime]] = field(default_factory=list)  # id, key, old, new

    def __str__(self):
        return f"{self.checked} open deadlines checked, {len(self.changes)} due dates changed"


FIELDS_RECALCULATED = ["due_at", "rule", "condition_applied", "statutory_floor_applied", "explanation"]


def deadline_recalculate(
    *,
    authority: Authority,
    keys: list[str] | None = None,
    dry_run: bool = False,
    recalculated_by: User | None = None,
    batch_size: int = 2000,
) -> Recalculation:
    """Apply the authority's latest timescales to its open deadlines and report what changed.

    Only an explicit admin action calls this: changing a timescale on its own never moves a
    deadline whose clock had already started.
    """
    policy = policy_for(authority)
    report = Recalculation()
    open_deadlines = Deadline.objects.filter(authority=authority, status=Deadline.Status.OPEN)
    queryset = open_deadlines.exclude(rule=AGREED_DATE).order_by("pk")
    if keys:
        queryset = queryset.filter(key__in=keys)
    batch: list[Deadline] = []
    for deadline in queryset.iterator(chunk_size=batch_size):
        report.checked += 1
        result = policy.due(deadline.key, deadline.anchor_at, deadline.conditions, latest=True)
        if result.due_at == deadline.due_at:
            continue
        report.changes.append((deadline.pk, deadline.key, deadline.due_at, result.due_at))
        if dry_run:
            continue
        deadline.due_at = result.due_at
        deadline.rule = result.rule
        deadline.condition_applied = result.condition or ""
        deadline.statutory_floor_applied = result.floor is not None
        deadline.explanation = result.explanation
        batch.append(deadline)
        if len(batch) >= batch_size:
            _save_recalculated(batch, recalculated_by)
            batch = []
    if batch:
        _save_recalculated(batch, recalculated_by)
    if report.changes and not dry_run:
        performance_rollup_mark_authority(authority)
    return report


def _save_recalculated(batch: list[Deadline], user: User | None) -> None:
    """One UPDATE ... FROM a VALUES list per batch, and the history rows in one INSERT.

    Django's bulk_update writes a CASE expression per field that grows with the batch; at a
    million deadlines that is hours, where a joined VALUES list is minutes.
    """
    table = connection.ops.quote_name(Deadline._meta.db_table)
    row = "(" + ", ".join(["%s"] * (1 + len(FIELDS_RECALCULATED))) + ")"
    columns = ", ".join(FIELDS_RECALCULATED)
    assignments = ", ".join(f"{name} = changed.{name}" for name in FIELDS_RECALCULATED)
    params = [value for d in batch for value in (d.pk, *(getattr(d, name) for name in FIELDS_RECALCULATED))]
    with transaction.atomic(), connection.cursor() as cursor:
        # Only model metadata and placeholders are interpolated; every value is a parameter.
        cursor.execute(
            f"WITH changed (id, {columns}) AS (VALUES {', '.join([row] * len(batch))}) "  # noqa: S608
            f"UPDATE {table} SET {assignments} FROM changed WHERE {table}.id = changed.id",
            params,
        )
        Deadline.history.bulk_history_create(
            batch, update=True, default_user=user, default_change_reason="Recalculated after a timescale change"
        )
