from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cases.selectors import role_assignments_for
from cases.selectors.children import caseload_for, next_deadlines_for_cases, team_caseloads
from cases.selectors.digests import timescale_what
from cases.selectors.people import teams_managed_by
from cases.selectors.timescales import TimescalesNotLoaded, policy_for
from cases.selectors.work import (
    WorkWindow,
    allocation_queue,
    authority_of,
    deadlines_listed,
    own_deadline_counts,
    referral_queue,
    team_overdue_by_worker,
    worker_named,
)
from cases.work_panels import panels_for

PAGE_SIZE = 25
# The team page names the most urgent of each queue; the heading says how many there are in all.
QUEUE_SHOWN = 50


def my_work(request):
    """The home page: how much of the person's work is overdue, due today and due soon, a team
    manager's team by worker, the panels other apps add, and the worker's caseload."""
    cases = list(caseload_for(request.user))
    now = timezone.now()
    soonest = next_deadlines_for_cases(cases, now)
    rows = [{"case": case, "next": soonest.get(case.pk), "overdue": getattr(soonest.get(case.pk), "overdue", 0)}
            for case in cases]  # fmt: skip
    window = WorkWindow.of(authority_of(request.user), now) if request.user.authority_id else None
    context = {"assignments": role_assignments_for(request.user), "rows": rows, "now": now,
               "panels": panels_for(request.user), "window": window,
               "counts": own_deadline_counts(request.user, window) if window else None,
               "team_overdue": team_overdue_by_worker(request.user, window) if window else [],
               "manages_team": bool(teams_managed_by(request.user))}  # fmt: skip
    return render(request, "cases/my_work.html", context)


TITLES = {"overdue": "Overdue", "today": "Due today", "soon": "Due soon"}


def my_deadlines(request, when):
    """The deadlines behind one of My work's counts; a team manager may name one of their teams'
    workers (`?worker=`) to see that person's."""
    if request.user.authority_id is None:
        raise Http404("No such list")
    window = WorkWindow.of(authority_of(request.user))
    worker_param = request.GET.get("worker", "")
    worker = worker_named(request.user, worker_param) if worker_param else None
    items = deadlines_listed(request.user, when, window, worker=worker_param)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    what = _what(window.slug)
    rows = [{"deadline": deadline, "what": what(deadline.key),
             "late": window.working_days_late(deadline.due_at) if when == "overdue" else None}
            for deadline in page]  # fmt: skip
    context = {"when": when, "title": TITLES[when], "window": window, "page": page, "rows": rows,
               "worker_param": worker_param, "worker": worker,
               "manages": bool(teams_managed_by(request.user))}  # fmt: skip
    return render(request, "cases/work_deadlines.html", context)


def _what(authority):
    """What each deadline is for, in words, from the authority's timescales."""
    try:
        policy = policy_for(authority)
    except TimescalesNotLoaded:
        return lambda key: key.replace("_", " ").capitalize()
    return lambda key: timescale_what(policy, key)


def team(request):
    """A manager's front door and caseloads: referrals awaiting decision (child protection first,
    each with its decide-by date), unallocated cases (each with its allocate-by date), and each
    worker's open cases with their overdue counts."""
    if not teams_managed_by(request.user):
        raise PermissionDenied
    window = WorkWindow.of(authority_of(request.user))
    by_worker: dict = {}
    for case in team_caseloads(request.user, now=window.now):
        if case.worker is None:
            continue
        row = by_worker.setdefault(case.worker, {"worker": case.worker, "cases": [], "overdue": 0})
        row["cases"].append({"case": case, "overdue": case.overdue})
        row["overdue"] += case.overdue
    referrals, unallocated = _queue(referral_queue(request.user)), _queue(allocation_queue(request.user))
    context = {
        "referrals": [(referral, _lateness(referral.decide_by, window)) for referral in referrals[0]],
        "referral_count": referrals[1],
        "unallocated": [(case, _lateness(case.allocate_by, window)) for case in unallocated[0]],
        "unallocated_count": unallocated[1],
        "workers": list(by_worker.values()),
    }
    return render(request, "cases/team.html", context)


def _queue(queryset) -> tuple[list, int]:
    """The first QUEUE_SHOWN items and how many there are in all (counted only when there are more)."""
    shown = list(queryset[:QUEUE_SHOWN])
    return shown, len(shown) if len(shown) < QUEUE_SHOWN else queryset.count()


def _lateness(due_at, window: WorkWindow) -> int | None:
    """Working days overdue (0 on the due day), or None when not yet due or there is no due date."""
    if due_at is None or due_at >= window.now:
        return None
    return window.working_days_late(due_at)


@login_not_required
def accessibility_statement(request):
    return render(request, "accessibility.html")
