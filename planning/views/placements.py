"""Placement pages: the child's placements, a new placement, the end of one with none after it,
a correction of what was recorded about one, and a manager's record that a placement is agreed as
permanent."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.access_log import logs_access
from cases.selectors.children import can_write_case, child_for, manages_case, open_case_for
from cases.view_helpers import require, save_edit, show_errors, visible_child
from planning.forms import PermanenceForm, PlacementCorrectForm, PlacementEndForm, PlacementForm
from planning.selectors import has_current_placement, placement_for, placements_of
from planning.services.placements import (
    placement_agree_permanence,
    placement_correct,
    placement_end,
    placement_start,
)
from planning.views.orders import looked_after_orders
from planning.views.outcomes import missing_episodes


@require_GET
@logs_access(visible_child)
def child_placements(request, pk, subject):
    child = subject
    case = open_case_for(child)
    context = {
        "child": child, "case": case, "placements": placements_of(child),
        "can_record": case is not None and can_write_case(request.user, case),
        "can_agree": case is not None and manages_case(request.user, case),
    }  # fmt: skip
    context |= looked_after_orders(request.user, child, case)
    context |= missing_episodes(request.user, child, case)
    return render(request, "planning/placements.html", context)


@require_http_methods(["GET", "POST"])
def placement_new(request, pk):
    child = child_for(request.user, pk)
    case = open_case_for(child)
    require(case is not None and can_write_case(request.user, case))
    form = PlacementForm(request.POST or None, moving=has_current_placement(case))
    if request.method == "POST" and form.is_valid():
        try:
            placement = placement_start(case=case, recorded_by=request.user, **form.values())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Placement recorded: {placement}")
            return redirect("child-placements", pk=child.pk)
    context = {"form": form, "child": child, "case": case, "title": "Record a placement"}
    return render(request, "planning/placement_form.html", context)


@require_http_methods(["GET", "POST"])
def placement_end_page(request, pk):
    placement = placement_for(request.user, pk)
    require(placement.ended_on is None and can_write_case(request.user, placement.case))
    form = PlacementEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement_end(placement=placement, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Placement ended: {placement}")
            return redirect("child-placements", pk=placement.child_id)
    intro = (f"{placement}, since {placement.started_on.day} {placement.started_on:%B %Y}. Use this when the child "
             "leaves care or the placement ends with no other after it; to move the child, record their new "
             "placement instead.")  # fmt: skip
    context = {"form": form, "child": placement.child, "placement": placement, "intro": intro,
               "title": "End the placement"}  # fmt: skip
    return render(request, "planning/placement_form.html", context)


@require_http_methods(["GET", "POST"])
def placement_correct_page(request, pk):
    placement = placement_for(request.user, pk)
    require(can_write_case(request.user, placement.case))
    form = PlacementCorrectForm.for_placement(placement, data=request.POST or None)
    edited = save_edit(
        request, form, lambda: placement_correct(placement=placement, recorded_by=request.user, **form.values()),
        lambda current, data: PlacementCorrectForm.for_placement(current, data=data),
    )  # fmt: skip
    if edited.saved:
        messages.success(request, "The placement's details are corrected")
        return redirect("child-placements", pk=placement.child_id)
    form, theirs = edited.form, edited.theirs
    ended = f" to {placement.ended_on.day} {placement.ended_on:%B %Y}" if placement.ended_on else ""
    intro = (f"{placement}, from {placement.started_on.day} {placement.started_on:%B %Y}{ended}. Correct what was "
             "recorded, or add what the DfE needs that was not. The dates are not changed here: to move the child, "
             "record their new placement.")  # fmt: skip
    context = {"form": form, "child": placement.child, "placement": placement, "intro": intro, "theirs": theirs,
               "title": "Correct the placement's details"}  # fmt: skip
    return render(request, "planning/placement_form.html", context)


@require_http_methods(["GET", "POST"])
def placement_permanence(request, pk):
    placement = placement_for(request.user, pk)
    require(manages_case(request.user, placement.case))
    form = PermanenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement_agree_permanence(placement=placement, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Recorded that the placement is agreed as permanent")
            return redirect("child-placements", pk=placement.child_id)
    context = {"form": form, "child": placement.child, "placement": placement,
               "title": "Agree the placement as permanent"}  # fmt: skip
    return render(request, "planning/placement_form.html", context)
