"""Keeping the Performance page's monthly rollup true (DESIGN §6).

Every service that opens, meets, cancels, moves or re-dates a deadline marks the (team, month)
buckets it touched, in its own transaction, with one call to `performance_rollup_mark`. A refresh
(`performance_rollup_refresh`: on commit, every minute by beat) claims the marks and recounts
their buckets from the Deadline table on the (team, due_at) index; a nightly rebuild
(`performance_rollup_rebuild`, also `manage.py performance_rollup`) recounts each authority in
full, so a mark lost with a failed task heals by morning. Until a marked bucket is recounted the
page counts it live (selectors.performance), so the figures never lag the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.dispatch import Signal

from ..dates import month_of, start_of
from ..models import Authority, Deadline, PerformanceRollup, PerformanceRollupDirty, Team
from ..rules.timescales import add_months
from .writes import each_locked, locked

# Sent once a transaction that marked buckets has committed; cases.tasks answers it with a refresh.
buckets_marked = Signal()

# Marks claimed per transaction: a recalculation or an import can leave tens of thousands.
CLAIM_BATCH = 5000

STATUS_COUNTS = {
    "met": Count("pk", filter=Q(status=Deadline.Status.MET)),
    "late": Count("pk", filter=Q(status=Deadline.Status.MET_LATE)),
    "open": Count("pk", filter=Q(status=Deadline.Status.OPEN)),
    "cancelled": Count("pk", filter=Q(status=Deadline.Status.CANCELLED)),
}


def performance_rollup_mark(*deadlines: Deadline, team_before: Team | None = None) -> None:
    """Mark the buckets of these deadlines (and of `team_before`, the team a deadline is moving
    from) for recounting. Call it in the transaction that writes them."""
    buckets = {(d.authority_id, d.team_id, month_of(d.due_at)) for d in deadlines if d.team_id is not None}
    if team_before is not None:
        buckets |= {(d.authority_id, team_before.pk, month_of(d.due_at)) for d in deadlines}
    _mark([PerformanceRollupDirty(authority_id=a, team_id=t, month=m) for a, t, m in sorted(buckets)])


def performance_rollup_mark_authority(authority: Authority) -> None:
    """Mark every bucket of the authority: after a recalculation, which may move any open deadline."""
    _mark([PerformanceRollupDirty(authority=authority)])


def _mark(rows: list[PerformanceRollupDirty]) -> None:
    if not rows:
        return
    PerformanceRollupDirty.objects.bulk_create(rows)
    transaction.on_commit(lambda: buckets_marked.send(sender=PerformanceRollupDirty))


def performance_rollup_refresh() -> int:
    """Recount every marked bucket; returns how many were recounted. Safe to run concurrently:
    each claims different marks, and recounts of one team run one at a time."""
    recounted = 0
    while True:
        with transaction.atomic():
            claimed = each_locked(PerformanceRollupDirty.objects.order_by("pk")[:CLAIM_BATCH])
            PerformanceRollupDirty.objects.filter(pk__in=[mark.pk for mark in claimed]).delete()
        if not claimed:
            return recounted
        wholly = {mark.authority_id for mark in claimed if mark.team_id is None}
        for authority_id in sorted(wholly):
            performance_rollup_rebuild(Authority.objects.get(pk=authority_id))
        buckets = {(m.team_id, m.month) for m in claimed if m.team_id is not None and m.authority_id not in wholly}
        for team_id, month in sorted(buckets):
            _recount(team_id, month)
        recounted += len(buckets) + len(wholly)


@transaction.atomic
def _recount(team_id: int, month: date) -> None:
    # The team's lock makes recounts of its buckets take turns, each counting after the last.
    team = locked(Team, pk=team_id)
    start, end = start_of(month), start_of(add_months(month, 1))
    counts = (
        Deadline.objects.filter(team=team, due_at__gte=start, due_at__lt=end)
        .order_by()
        .values("key")
        .annotate(**STATUS_COUNTS)
    )
    PerformanceRollup.objects.filter(team=team, month=month).delete()
    PerformanceRollup.objects.bulk_create(
        PerformanceRollup(authority_id=team.authority_id, team=team, month=month, **row) for row in counts
    )


@transaction.atomic
def performance_rollup_rebuild(authority: Authority) -> int:
    """Recount every bucket of the authority from its deadlines; returns the rows written."""
    teams = each_locked(Team.objects.filter(authority=authority).order_by("pk"))
    # The recount below sees every change committed before it, so the marks those changes left
    # are done with; left behind, they would keep the page counting the whole span live.
    PerformanceRollupDirty.objects.filter(authority=authority).delete()
    counts = (
        Deadline.objects.filter(team__in=teams)
        .order_by()
        .annotate(month=TruncMonth("due_at"))
        .values("team_id", "month", "key")
        .annotate(**STATUS_COUNTS)
    )
    PerformanceRollup.objects.filter(authority=authority).delete()
    rows = [
        PerformanceRollup(authority=authority, month=month_of(row.pop("month")), **row) for row in counts.iterator()
    ]
    PerformanceRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def performance_rollup_rebuild_all(authorities: Iterable[Authority] | None = None) -> int:
    """The nightly rebuild: every authority (or those given), each in its own transaction."""
    return sum(performance_rollup_rebuild(a) for a in (authorities or Authority.objects.order_by("pk")))

