"""Performance figures for managers (DESIGN §1, §6): of the deadlines that fell due each month, how
many were met on time, met late, or are still open and overdue, per team and per timescale.

Team managers see the teams they manage, service managers every team of their authority. Counts
include records restricted from the reader (they are figures about the team, naming nobody); the
overdue list behind them names only children the reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from ..models import Deadline, Team
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


def performance_team(user, pk) -> Team:
    """One of those teams; any other (another authority's) does not exist: 404."""
    found = next((team for team in performance_teams(user) if str(team.pk) == str(pk)), None)
    if found is None:
        raise Http404("No such team")
    return found


@dataclass
class Figures:
    month: date
    key: str
    what: str
    met: int
    late: int
    overdue: int

    @property
    def due(self) -> int:
        return self.met + self.late + self.overdue

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.met / self.due) if self.due else None


@dataclass
class TeamFigures:
    team: Team
    months: list[tuple[Figures, list[Figures]]]  # (all timescales, each timescale) per month, newest first


def first_month(now: datetime, months: int = MONTHS) -> date:
    this_month = timezone.localtime(now).date().replace(day=1)
    return add_months(this_month, -(months - 1))


def performance_figures(user, teams: list[Team], *, now: datetime | None = None,
                        months: int = MONTHS) -> list[TeamFigures]:  # fmt: skip
    """Per team, per month (newest first), per timescale: of the deadlines due in that month up to
    now, met on time, met late and still overdue. One query, on the (team, due_at) index."""
    now = now or timezone.now()
    since = datetime.combine(first_month(now, months), time.min, timezone.get_current_timezone())
    rows = (
        Deadline.objects.filter(team__in=teams, due_at__gte=since, due_at__lt=now)
        .exclude(status=Deadline.Status.CANCELLED)
        .annotate(month=TruncMonth("due_at"))
        .values("team_id", "month", "key")
        .annotate(
            met=Count("pk", filter=Q(status=Deadline.Status.MET)),
            late=Count("pk", filter=Q(status=Deadline.Status.MET_LATE)),
            overdue=Count("pk", filter=Q(status=Deadline.Status.OPEN)),
        )
    )
    policy = policy_for(user.authority) if teams else None
    by_team: dict[int, dict[date, list[Figures]]] = {team.pk: {} for team in teams}
    for row in rows:
        month = _as_date(row["month"])
        what = timescale_what(policy, row["key"])
        figures = Figures(month, row["key"], what, row["met"], row["late"], row["overdue"])
        by_team[row["team_id"]].setdefault(month, []).append(figures)
    result = []
    for team in teams:
        months_of_team = []
        for month, figures in sorted(by_team[team.pk].items(), reverse=True):
            figures.sort(key=lambda f: f.what)
            total = Figures(month, "", "All timescales", *(sum(getattr(f, n) for f in figures)
                                                           for n in ("met", "late", "overdue")))  # fmt: skip
            months_of_team.append((total, figures))
        result.append(TeamFigures(team, months_of_team))
    return result


def _as_date(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


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
