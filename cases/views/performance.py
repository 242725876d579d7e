"""Performance for team and service managers: the share of deadlines met on time by month, per
team and per timescale, the overdue items behind the figures, and a CSV of the figures."""

import csv
import re
from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.dates import date_in_range
from cases.forms.performance import PerformanceFilterForm
from cases.selectors.digests import timescale_what
from cases.selectors.performance import overdue_items, performance_figures, performance_team, performance_teams
from cases.selectors.timescales import policy_for

PAGE_SIZE = 25
# A timescale key as the catalogue spells them; anything else (a NUL byte, say) names no timescale.
KEY_SHAPE = re.compile(r"[a-z0-9_]{1,64}")


def _chosen_teams(request) -> list:
    """The teams asked for: all this person may read, or the one named (404 if not one of them)."""
    teams = performance_teams(request.user)
    team = request.GET.get("team")
    return [performance_team(request.user, team)] if team else teams


def performance(request):
    teams = performance_teams(request.user)
    chosen = _chosen_teams(request)
    form = PerformanceFilterForm(request.GET or None, teams=teams)
    context = {"form": form, "figures": performance_figures(request.user, chosen), "query": request.GET.urlencode()}
    return render(request, "cases/alerts/performance.html", context)


def performance_csv(request):
    figures = performance_figures(request.user, _chosen_teams(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="performance-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Team", "Month", "Timescale key", "Timescale", "Due", "Met on time", "Met late",
                     "Overdue (still open)", "Met on time (%)"])  # fmt: skip
    for team in figures:
        for total, rows in team.months:
            for row in [total, *rows]:
                writer.writerow([_csv_safe(team.team.name), f"{row.month:%Y-%m}", row.key, _csv_safe(row.what),
                                 row.due, row.met, row.late, row.overdue,
                                 "" if row.on_time_percent is None else row.on_time_percent])  # fmt: skip
    return response


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
