from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from cases.selectors import role_assignments_for
from cases.selectors.children import (
    caseload_for,
    cases_unallocated,
    open_deadlines_for_cases,
    referrals_awaiting_decision,
    team_caseloads,
)
from cases.selectors.people import teams_managed_by
from cases.work_panels import panels_for


def my_work(request):
    """The home page: the worker's caseload with each child's next deadline and what is overdue."""
    cases = list(caseload_for(request.user))
    deadlines = open_deadlines_for_cases(cases)
    now = timezone.now()
    rows = [
        {"case": case, "next": (deadlines.get(case.pk) or [None])[0],
         "overdue": sum(1 for d in deadlines.get(case.pk, []) if d.due_at < now)}
        for case in cases
    ]  # fmt: skip
    context = {"assignments": role_assignments_for(request.user), "rows": rows, "now": now,
               "panels": panels_for(request.user)}  # fmt: skip
    return render(request, "cases/my_work.html", context)


def team(request):
    """A manager's front door and caseloads: referrals awaiting decision, unallocated cases, and
    each worker's open cases with their overdue counts."""
    if not teams_managed_by(request.user):
        raise PermissionDenied
    cases = list(team_caseloads(request.user))
    deadlines = open_deadlines_for_cases(cases)
    now = timezone.now()
    by_worker: dict = {}
    for case in cases:
        if case.worker is None:
            continue
        row = by_worker.setdefault(case.worker, {"worker": case.worker, "cases": [], "overdue": 0})
        overdue = sum(1 for d in deadlines.get(case.pk, []) if d.due_at < now)
        row["cases"].append({"case": case, "overdue": overdue})
        row["overdue"] += overdue
    context = {
        "referrals": referrals_awaiting_decision(request.user)[:50],
        "unallocated": cases_unallocated(request.user)[:50],
        "workers": list(by_worker.values()),
    }
    return render(request, "cases/team.html", context)


@login_not_required
def accessibility_statement(request):
    return render(request, "accessibility.html")
