"""The monthly rollup behind the Performance page (DESIGN §6), and the buckets waiting to be
recounted into it.

The rollup counts every deadline of a team by the month it falls due in, whatever the time now:
a bucket's counts change only when a deadline in it is opened, met, cancelled, moved to another
team or given another due date, and each of those marks its bucket for recounting.
"""

from django.db import models

from .people import Authority, Team


class PerformanceRollup(models.Model):
    """Of one team's deadlines of one timescale due in one month (the first of it, local time):
    how many are met on time, met late, still open and cancelled."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    key = models.CharField(max_length=80)
    met = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "month", "key"], name="rollup_one_per_bucket_key")]
        indexes = [models.Index(fields=["authority", "month"], name="rollup_by_authority_month")]

    def __str__(self):
        return f"{self.key} due {self.month:%B %Y}: {self.met} met, {self.late} late, {self.open} open"


class PerformanceRollupDirty(models.Model):
    """A (team, month) bucket whose counts may be out of date. No team means every team of the
    authority and no month every month: a recalculation can move any open deadline.

    One row per mark, never merged: a mark becomes visible only when its write commits, so a
    refresh that claims the visible marks and then recounts always sees the writes behind them.
    Merging marks (insert-or-ignore) would let a refresh take an older mark and recount before a
    newer write that found it there had committed."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"Figures to recount: {self.month or 'every month'}"
