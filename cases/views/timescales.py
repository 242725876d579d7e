"""The Timescales page, the Deadline calculator and an authority admin's change to a timescale."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.explaining import deadline_for
from cases.forms.timescales import DeadlineCalculatorForm, TimescaleChangeForm
from cases.permissions import can_administer_authority
from cases.rules.config import ConfigError
from cases.rules.policy import UnknownTimescale
from cases.selectors.timescales import closure_days_for, configuration_for, policy_for, timescales_by_stage
from cases.services.deadlines import deadline_recalculate
from cases.services.timescales import timescale_change
from cases.timescale_rows import timescale_row

RECALCULATION_PREVIEW = 50


def _authority(request):
    if request.user.authority is None:
        raise Http404("Timescales belong to an authority")
    return request.user.authority


def timescale_list(request):
    authority = _authority(request)
    policy = policy_for(authority)
    search = request.GET.get("q", "").strip()[:100]
    stages = timescales_by_stage(policy, search)
    context = {
        "stages": stages,
        "search": search,
        "found": sum(stage.count for stage in stages),
        "configuration": configuration_for(authority),
        "closure_days": closure_days_for(authority, since=timezone.localdate()),
        "can_change": can_administer_authority.test(request.user),
    }
    return render(request, "cases/timescales/list.html", context)


def deadline_calculator(request):
    authority = _authority(request)
    policy = policy_for(authority)
    form = DeadlineCalculatorForm(request.GET or None, policy=policy)
    result = deadline = None
    if request.GET and form.is_valid():
        key, conditions = form.cleaned_data["key"], form.cleaned_data["conditions"]
        try:
            result = policy.due(key, form.start(), frozenset(conditions))
        except ValueError as error:
            form.add_error("start_date", str(error))
        else:
            deadline = deadline_for(result, authority, conditions)
    return render(request, "cases/timescales/calculator.html", {"form": form, "result": result, "deadline": deadline})


@require_http_methods(["GET", "POST"])
def timescale_change_view(request, key):
    if not can_administer_authority.test(request.user):
        raise PermissionDenied
    authority = _authority(request)
    policy = policy_for(authority)
    try:
        current = timescale_row(policy, key)
    except UnknownTimescale:
        raise Http404 from None
    form = TimescaleChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            timescale_change(
                authority=authority,
                key=key,
                duration=form.cleaned_data["duration"],
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
                changed_by=request.user,
            )
        except ConfigError as error:
            form.add_error("duration", str(error))
        else:
            messages.success(
                request,
                f"{current['name']} changed to {form.cleaned_data['duration']}. Deadlines already running keep "
                "their due dates until you recalculate them.",
            )
            return redirect("timescales")
    return render(request, "cases/timescales/change.html", {"form": form, "row": current})


@require_http_methods(["GET", "POST"])
def deadline_recalculation(request):
    """An authority admin previews, then applies, the latest timescales to open deadlines."""
    if not can_administer_authority.test(request.user):
        raise PermissionDenied
    authority = _authority(request)
    applying = request.method == "POST"
    report = deadline_recalculate(authority=authority, dry_run=not applying, recalculated_by=request.user)
    if applying:
        moved = len(report.changes)
        messages.success(request, f"{moved} open deadline{pluralize(moved)} moved to the current timescales")
        return redirect("deadline-recalculation")
    policy = policy_for(authority)
    changes = [
        {"what": policy.timescale(key).name or policy.timescale(key).what, "key": key, "old": old, "new": new}
        for _, key, old, new in report.changes[:RECALCULATION_PREVIEW]
    ]
    context = {"report": report, "changes": changes, "more": max(len(report.changes) - RECALCULATION_PREVIEW, 0)}
    return render(request, "cases/timescales/recalculate.html", context)
