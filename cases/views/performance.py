"""Performance for team and service managers: the share of deadlines met on time by month, for
all their teams and then per team; one team's months per timescale on request; the overdue items
behind the figures; and a CSV of the figures, streamed."""

import csv
import re
from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.dates import date_in_range
from cases.forms.performance import PerformanceFilterForm
from cases.selectors.digests import timescale_what
from cases.selectors.performance import (
    overdue_items,
    performance_overview,
    performance_rows,
    performance_team,
    performance_teams,
    team_performance,
)
from cases.selectors.timescales import policy_for

PAGE_SIZE = 25
# A team's months per timescale: three months a page keeps a team with many timescales short.
MONTHS_A_PAGE = 3
# A timescale key as the catalogue spells them; anything else (a NUL byte, say) names no timescale.
KEY_SHAPE = re.compile(r"[a-z0-9_]{1,64}")


def _chosen_teams(request) -> list:
    """The teams asked for: all this person may read, or the one named (404 if not one of them)."""
    teams = performance_teams(request.user)
    team = request.GET.get("team")
    return [performance_team(request.user, team, teams)] if team else teams


def performance(request):
    teams = performance_teams(request.user)
    form = PerformanceFilterForm(request.GET or None, teams=teams)
    context = {"form": form, "query": request.GET.urlencode()}
    if request.GET.get("team"):
        team = performance_team(request.user, request.GET["team"], teams)
        months = Paginator(team_performance(request.user, team), MONTHS_A_PAGE).get_page(request.GET.get("page"))
        context |= {"team": team, "page": months}
        return render(request, "cases/alerts/performance_team.html", context)
    context["overview"] = performance_overview(teams)
    return render(request, "cases/alerts/performance.html", context)


class _Echo:
    """A file that hands back what is written, so csv.writer makes one line at a time."""

    def write(self, line: str) -> str:
        return line


def performance_csv(request):
    teams = _chosen_teams(request)
    response = StreamingHttpResponse(_csv_lines(request.user, teams), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="performance-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def _csv_lines(user, teams):
    writer = csv.writer(_Echo())
    yield writer.writerow(["Team", "Month", "Timescale key", "Timescale", "Due", "Met on time", "Met late",
                           "Overdue (still open)", "Met on time (%)"])  # fmt: skip
    # One chunk per team and month: a chunk per line costs more to send than to write. The team's
    # name and the month are the same on each of the chunk's lines, so they are made once.
    team, name = None, ""
    for each, month in performance_rows(user, teams):
        if each is not team:
            team, name = each, _csv_safe(each.name)
        when = f"{month.total.month:%Y-%m}"
        yield "".join(writer.writerow([name, when, row.key, _csv_safe(row.what), row.met + row.late + row.overdue,
                                       row.met, row.late, row.overdue,
                                       "" if row.on_time_percent is None else row.on_time_percent])
                      for row in month.rows)  # fmt: skip


def _csv_safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is quoted (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def performance_overdue(request):
    teams = _chosen_teams(request)
    key = request.GET.get("key", "")
    if key and not KEY_SHAPE.fullmatch(key):
        raise Http404("No such timescale")
    month = _month(request.GET.get("month", ""))
    page = Paginator(overdue_items(request.user, teams, key=key, month=month), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    policy = policy_for(request.user.authority)
    context = {"page": page, "what": timescale_what(policy, key) if key else "", "month": month,
               "team": teams[0] if request.GET.get("team") else None, "now": timezone.now()}  # fmt: skip
    return render(request, "cases/alerts/overdue.html", context)


def _month(text: str) -> date | None:
    if not text:
        return None
    try:
        month = date.fromisoformat(f"{text}-01")
    except ValueError:
        raise Http404("No such month") from None
    if not date_in_range(month):
        raise Http404("No such month")
    return month
