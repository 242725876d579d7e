"""The audit period: the span of a case an audit looks at. The sections and items offered and every
system check read the child's history within it, so a looked-after child who had a child
protection plan last spring is audited on that plan, and one who never had a plan is not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from cases.dates import start_of
from cases.rules.timescales import add_months

# Case audits look back over a year of practice at most: long enough to see a looked-after
# child's review cycle and a child protection plan's conferences, short enough to be about the
# worker and team holding the case now.
LOOKBACK_MONTHS = 12


@dataclass(frozen=True)
class AuditPeriod:
    start: date
    end: date

    @classmethod
    def for_case(cls, case, today: date) -> AuditPeriod:
        """From the later of the case opening and a year before `today`, to `today` (or the day the
        case closed)."""
        end = min(today, timezone.localdate(case.closed_at)) if case.closed_at else today
        opened = timezone.localdate(case.opened_at)
        return cls(start=min(max(opened, add_months(end, -LOOKBACK_MONTHS)), end), end=end)

    @classmethod
    def of(cls, audit) -> AuditPeriod:
        if audit.period_start and audit.period_end:
            return cls(audit.period_start, audit.period_end)
        return cls.for_case(audit.case, timezone.localdate(audit.started_at or timezone.now()))

    @property
    def starts_at(self) -> datetime:
        return start_of(self.start)

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period."""
        return start_of(self.end + timedelta(days=1))

    def overlaps(self, started_on: date | None, ended_on: date | None) -> bool:
        return started_on is not None and started_on <= self.end and (ended_on is None or ended_on >= self.start)

    def holds(self, moment: datetime | date | None) -> bool:
        if moment is None:
            return False
        day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start:%a %-d %b %Y} to {self.end:%a %-d %b %Y}"
