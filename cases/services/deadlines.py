"""The deadline ledger's services: open, meet, cancel and recalculate (DESIGN §6).

Other services call these inside their own transaction, so recording an event and opening or
meeting its deadlines happen together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from ..models import Authority, Deadline, Team, User
from ..selectors.timescales import policy_for


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
) -> Deadline:
    if getattr(subject, "authority_id", authority.pk) != authority.pk:
        raise ValidationError("A deadline's record must belong to the same authority")
    result = policy_for(authority).due(key, start, frozenset(conditions))
    return Deadline.objects.create(
        authority=authority,
        team=team,
        assignee=assignee,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        key=key,
        conditions=sorted(conditions),
        anchor_at=result.start,
        due_at=result.due_at,
        rule=result.rule,
        condition_applied=result.condition or "",
        statutory_floor_applied=result.floor is not None,
        explanation=result.explanation,
    )


def _locked(deadline: Deadline) -> Deadline:
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.status != Deadline.Status.OPEN:
        raise ValidationError(f"This deadline is already {locked.get_status_display().lower()}")
    return locked


@transaction.atomic
def deadline_meet(*, deadline: Deadline, met_at: datetime | None = None) -> Deadline:
    """Mark the deadline met at `met_at` (now by default): met late if that is after it was due."""
    locked = _locked(deadline)
    locked.met_at = met_at or timezone.now()
    locked.status = Deadline.Status.MET if locked.met_at <= locked.due_at else Deadline.Status.MET_LATE
    locked.save(update_fields=["met_at", "status"])
    return locked


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, reason: str) -> Deadline:
    if not reason.strip():
        raise ValidationError("Give the reason the deadline no longer applies")
    locked = _locked(deadline)
    locked.status = Deadline.Status.CANCELLED
    locked.cancelled_reason = reason.strip()
    locked.save(update_fields=["status", "cancelled_reason"])
    return locked


@dataclass
class Recalculation:
    checked: int = 0
    changes: list[tuple[int, str, datetime, datetime]] = field(default_factory=list)  # id, key, old, new

    def __str__(self):
        return f"{self.checked} open deadlines checked, {len(self.changes)} due dates changed"


FIELDS_RECALCULATED = ["due_at", "rule", "condition_applied", "statutory_floor_applied", "explanation"]


def deadline_recalculate(
    *, authority: Authority, keys: list[str] | None = None, dry_run: bool = False, batch_size: int = 2000
) -> Recalculation:
    """Apply the authority's latest timescales to its open deadlines and report what changed.

    Only an explicit admin action calls this: changing a timescale on its own never moves a
    deadline whose clock had already started.
    """
    policy = policy_for(authority)
    report = Recalculation()
    queryset = Deadline.objects.filter(authority=authority, status=Deadline.Status.OPEN).order_by("pk")
    if keys:
        queryset = queryset.filter(key__in=keys)
    batch: list[Deadline] = []
    for deadline in queryset.iterator(chunk_size=batch_size):
        report.checked += 1
        result = policy.due(deadline.key, deadline.anchor_at, frozenset(deadline.conditions), latest=True)
        if result.due_at == deadline.due_at:
            continue
        report.changes.append((deadline.pk, deadline.key, deadline.due_at, result.due_at))
        deadline.due_at = result.due_at
        deadline.rule = result.rule
        deadline.condition_applied = result.condition or ""
        deadline.statutory_floor_applied = result.floor is not None
        deadline.explanation = result.explanation
        batch.append(deadline)
        if len(batch) >= batch_size and not dry_run:
            _save(batch, batch_size)
            batch = []
    if batch and not dry_run:
        _save(batch, batch_size)
    return report


def _save(batch: list[Deadline], batch_size: int) -> None:
    with transaction.atomic():
        bulk_update_with_history(batch, Deadline, FIELDS_RECALCULATED, batch_size=batch_size)
