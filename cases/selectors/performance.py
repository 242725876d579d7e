"""Performance figures for managers (DESIGN §1, §6): of the deadlines that fell due each month, how
many were met on time, met late, or are still open and overdue, per team and per timescale.

Team managers see the teams they manage, service managers every team of their authority. Counts
include records restricted from the reader (they are figures about the team, naming nobody); the
overdue list behind them names only children the reader may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from ..dates import month_of, start_of
from ..models import Deadline, PerformanceRollup, PerformanceRollupDirty, Team
from ..roles import Role
from ..rules.timescales import add_months
from .children import not_restricted_from
from .digests import timescale_what
from .people import has_role, teams_managed_by
from .timescales import policy_for

MONTHS = 12


def may_see_performance(user) -> bool:
    return has_role(user, Role.SERVICE_MANAGER) or bool(teams_managed_by(user))


def performance_teams(user) -> list[Team]:
    """The teams whose figures this user may read; 403 for anyone who manages none."""
    if not may_see_performance(user):
        raise PermissionDenied
    if has_role(user, Role.SERVICE_MANAGER):
        return list(Team.objects.filter(authority_id=user.authority_id).order_by("name"))
    return sorted(teams_managed_by(user), key=lambda team: team.name)


def performance_team(user, pk, teams: list[Team] | None = None) -> Team:
    """One of those teams (`teams`, where the caller has them); any other (another authority's)
    does not exist: 404."""
    found = next((team for team in teams or performance_teams(user) if str(team.pk) == str(pk)), None)
    if found is None:
        raise Http404("No such team")
    return found


@dataclass
class Figures:
    """Of the deadlines due in a month (or span of months) up to now: met on time, met late and
    still open, so overdue. `key` and `what` name one timescale; blank for all of them."""

    month: date | None
    key: str
    what: str
    met: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def due(self) -> int:
        return self.met + self.late + self.overdue

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.met / self.due) if self.due else None

    def add(self, met: int, late: int, overdue: int) -> None:
        self.met += met
        self.late += late
        self.overdue += overdue


@dataclass
class TeamLine:
    team: Team
    figures: Figures  # the whole span of months


@dataclass
class Overview:
    """The picture first: the teams' totals month by month, then each team over the span."""

    months: list[Figures]  # newest first
    teams: list[TeamLine]
    total: Figures


@dataclass
class MonthOfTeam:
    total: Figures  # all timescales
    timescales: list[Figures]

    @property
    def rows(self) -> list[Figures]:
        return [self.total, *self.timescales]


@dataclass
class Counts:
    """Per bucket of the chosen shape, [met, late, overdue]; a bucket is (team_id, month) plus the
    timescale key where asked for.

    Whole months gone by come from the rollup. This month is counted live, up to now (a deadline
    not yet due is not counted); so is any bucket marked and not yet recounted (selectors never
    write; the refresh job recounts it), bounded by what changed since the last refresh."""

    teams: list[Team]
    now: datetime
    months: int
    by_key: bool
    cells: dict[tuple, list[int]] = field(default_factory=dict)

    def __post_init__(self):
        self.this_month = month_of(self.now)
        self.first = add_months(self.this_month, -(self.months - 1))
        self.wholly_stale, self.stale = _marked(self.teams, self.first, self.this_month)
        for bucket, met, late, overdue in self._live():
            self.cells[bucket] = [met, late, overdue]

    def group(self) -> tuple[str, ...]:
        return ("team_id", "month", "key") if self.by_key else ("team_id", "month")

    def rollup(self) -> QuerySet[PerformanceRollup]:
        """The rollup's rows for the span's whole months gone by (stale ones still to drop)."""
        if self.wholly_stale:
            return PerformanceRollup.objects.none()
        return PerformanceRollup.objects.filter(team__in=self.teams, month__gte=self.first, month__lt=self.this_month)

    def is_stale(self, team_id: int, month: date) -> bool:
        return month == self.this_month or self.wholly_stale or (team_id, month) in self.stale

    def load_rollup(self) -> None:
        rows = self.rollup().order_by().values(*self.group()).annotate(m=Sum("met"), la=Sum("late"), o=Sum("open"))
        for row in rows:
            # A bucket only ever cancelled has nothing due: no row, as for the live months.
            if (row["m"] or row["la"] or row["o"]) and not self.is_stale(row["team_id"], row["month"]):
                self.cells[tuple(row[name] for name in self.group())] = [row["m"], row["la"], row["o"]]

    def _live(self):
        live = Q(due_at__gte=start_of(self.this_month))
        if self.wholly_stale:
            live = Q(due_at__gte=start_of(self.first))
        for team_id, month in self.stale:
            live |= Q(team_id=team_id, due_at__gte=start_of(month), due_at__lt=start_of(add_months(month, 1)))
        rows = (
            Deadline.objects.filter(live, team__in=self.teams, due_at__lt=self.now)
            .exclude(status=Deadline.Status.CANCELLED)
            .order_by()
            .annotate(month=TruncMonth("due_at"))
            .values(*self.group())
            .annotate(**LIVE_COUNTS)
        )
        for row in rows:
            row["month"] = month_of(row["month"])
            yield tuple(row[name] for name in self.group()), row["met"], row["late"], row["overdue"]


# The status counted, not the id: the team, due date and status are all in deadline_by_team_due_status,
# so this month is counted from the index without reading the deadlines themselves.
LIVE_COUNTS = {
    "met": Count("status", filter=Q(status=Deadline.Status.MET)),
    "late": Count("status", filter=Q(status=Deadline.Status.MET_LATE)),
    "overdue": Count("status", filter=Q(status=Deadline.Status.OPEN)),
}


def _marked(teams: list[Team], first: date, this_month: date) -> tuple[bool, set[tuple[int, date]]]:
    """(whether every bucket of the authority is marked, the marked (team, month) buckets)."""
    if not teams:
        return False, set()
    marks = (
        PerformanceRollupDirty.objects.filter(authority_id=teams[0].authority_id)
        .filter(Q(team__isnull=True) | Q(team__in=teams, month__gte=first, month__lt=this_month))
        .order_by()
        .values_list("team_id", "month")
        .distinct()
    )
    stale = set(marks)
    return any(team_id is None for team_id, _ in stale), {(t, m) for t, m in stale if t is not None}


def performance_overview(teams: list[Team], *, now: datetime | None = None, months: int = MONTHS) -> Overview:
    """The teams' totals per month, newest first, and each team's over the span. Three queries,
    whatever the number of deadlines."""
    counts = Counts(teams, now or timezone.now(), months, by_key=False)
    counts.load_rollup()
    by_month = {add_months(counts.this_month, -n): Figures(add_months(counts.this_month, -n), "", "All timescales")
                for n in range(months)}  # fmt: skip
    by_team = {team.pk: Figures(None, "", "All timescales") for team in teams}
    total = Figures(None, "", "All timescales")
    for (team_id, month), numbers in counts.cells.items():
        by_month[month].add(*numbers)
        by_team[team_id].add(*numbers)
        total.add(*numbers)
    return Overview(list(by_month.values()), [TeamLine(team, by_team[team.pk]) for team in teams], total)


def team_performance(user, team: Team, *, now: datetime | None = None, months: int = MONTHS) -> list[MonthOfTeam]:
    """One team's figures per month (newest first, months with nothing due left out), each with
    its timescales in alphabetical order of what they are."""
    counts = Counts([team], now or timezone.now(), months, by_key=True)
    counts.load_rollup()
    return _months_of_team(_words_for(policy_for(user.authority)), counts.cells.items())


def _words_for(policy) -> Callable[[str], str]:
    """What each timescale is, looked up once per key (a CSV repeats each key per team and month)."""
    return cache(lambda key: timescale_what(policy, key))


def _months_of_team(words: Callable[[str], str], cells) -> list[MonthOfTeam]:
    by_month: dict[date, list[Figures]] = {}
    for (_, month, key), numbers in cells:
        by_month.setdefault(month, []).append(Figures(month, key, words(key), *numbers))
    result = []
    for month, figures in sorted(by_month.items(), reverse=True):
        figures.sort(key=lambda f: f.what)
        total = Figures(month, "", "All timescales")
        for each in figures:
            total.add(each.met, each.late, each.overdue)
        result.append(MonthOfTeam(total, figures))
    return result


def performance_rows(user, teams: list[Team], *, now: datetime | None = None,
                     months: int = MONTHS) -> Iterator[tuple[Team, MonthOfTeam]]:  # fmt: skip
    """Every team's months, team by team in the order given, read from the rollup as they are
    written out: the memory held is one team's year, whatever the number of teams."""
    counts = Counts(teams, now or timezone.now(), months, by_key=True)
    words = _words_for(policy_for(user.authority) if teams else None)
    position = Case(*(When(team_id=team.pk, then=Value(n)) for n, team in enumerate(teams)), default=Value(-1))
    rows = (
        counts.rollup().annotate(position=position).order_by("position")
        .values_list("team_id", "month", "key", "met", "late", "open").iterator(chunk_size=2000)
    )  # fmt: skip
    pending = next(rows, None)
    for team in teams:
        cells = {bucket: numbers for bucket, numbers in counts.cells.items() if bucket[0] == team.pk}
        while pending is not None and pending[0] == team.pk:
            team_id, month, key, met, late, still_open = pending
            if (met or late or still_open) and not counts.is_stale(team_id, month):
                cells[(team_id, month, key)] = [met, late, still_open]
            pending = next(rows, None)
        for month_of_team in _months_of_team(words, cells.items()):
            yield team, month_of_team


def overdue_items(user, teams: list[Team], *, key: str = "", month: date | None = None,
                  now: datetime | None = None) -> QuerySet[Deadline]:  # fmt: skip
    """The open, overdue deadlines behind the figures, oldest first, naming only children this
    user may see."""
    now = now or timezone.now()
    items = Deadline.objects.filter(team__in=teams, status=Deadline.Status.OPEN, due_at__lt=now)
    if key:
        items = items.filter(key=key)
    if month:
        tz = timezone.get_current_timezone()
        items = items.filter(due_at__gte=datetime.combine(month, time.min, tz),
                             due_at__lt=datetime.combine(add_months(month, 1), time.min, tz))  # fmt: skip
    return (
        items.filter(not_restricted_from(user, "child") | Q(child__isnull=True))
        .select_related("child", "assignee", "team")
        .order_by("due_at", "pk")
    )
