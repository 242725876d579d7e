"""Pages for what the DfE's returns ask beyond the plans and placements: a looked-after child's
deprivation of liberty orders and previous permanence (on the placements tab), and pre-proceedings
with family group decision making (on the plans and meetings tab)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cases.dates import long_date
from cases.selectors.children import child_for, open_case_for
from cases.view_helpers import require, show_errors
from planning.forms import (
    LibertyOrderEndForm,
    LibertyOrderForm,
    PreProceedingsForm,
    PreProceedingsStartForm,
    PreviousPermanenceForm,
    yes_no_initial,
)
from planning.selectors import liberty_order_for, liberty_orders_of, pre_proceedings_for
from planning.services.liberty import can_record_liberty, liberty_order_end, liberty_order_start
from planning.services.permanence import (
    can_record_previous_permanence,
    previous_permanence_of,
    previous_permanence_record,
)
from planning.services.pre_proceedings import (
    FIELDS,
    can_record_pre_proceedings,
    pre_proceedings_start,
    pre_proceedings_update,
)


def looked_after_orders(user, child, case) -> dict:
    """For the placements tab: the child's deprivation of liberty orders and previous permanence."""
    looked_after = case is not None and case.statuses.filter(kind="lac", ended_on=None).exists()
    orders = liberty_orders_of(child)
    return {
        "liberty_orders": orders, "looked_after": looked_after,
        "can_record_liberty": looked_after and can_record_liberty(user, case),
        "can_start_liberty": looked_after and can_record_liberty(user, case)
        and all(order.ended_on for order in orders),
        "previous_permanence": previous_permanence_of(case),
        "can_record_previous_permanence": looked_after and can_record_previous_permanence(user, case),
    }  # fmt: skip


def _looked_after_case(request, pk):
    child = child_for(request.user, pk)
    case = open_case_for(child)
    looked_after = case is not None and case.statuses.filter(kind="lac", ended_on=None).exists()
    return child, case if looked_after else None


@require_http_methods(["GET", "POST"])
def liberty_order_new(request, pk):
    child, case = _looked_after_case(request, pk)
    require(case is not None and can_record_liberty(request.user, case))
    form = LibertyOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            liberty_order_start(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Deprivation of liberty order recorded")
            return redirect("child-placements", pk=child.pk)
    intro = "A court order authorising the deprivation of the child's liberty. Record when it ends on its own page."
    context = {"form": form, "child": child, "case": case, "title": "Record a deprivation of liberty order",
               "intro": intro}  # fmt: skip
    return render(request, "planning/placement_form.html", context)


@require_http_methods(["GET", "POST"])
def liberty_order_end_page(request, pk):
    order = liberty_order_for(request.user, pk)
    require(order.ended_on is None and can_record_liberty(request.user, order.case))
    form = LibertyOrderEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            liberty_order_end(order=order, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Recorded that the deprivation of liberty order ended")
            return redirect("child-placements", pk=order.child_id)
    context = {"form": form, "child": order.child, "title": "End the deprivation of liberty order",
               "intro": f"The order started on {long_date(order.started_on)}."}  # fmt: skip
    return render(request, "planning/placement_form.html", context)


@require_http_methods(["GET", "POST"])
def previous_permanence_new(request, pk):
    """Record, or correct, whether the child had a previous permanence order."""
    child, case = _looked_after_case(request, pk)
    require(case is not None and can_record_previous_permanence(request.user, case))
    current = previous_permanence_of(case)
    initial = {}
    if current is not None:
        initial = {"code": current.code, "made_by": current.made_by}
        if current.made_on is not None:
            known = current.made_on_known
            initial |= {"made_year": current.made_on.year,
                        "made_month": current.made_on.month if known in ("day", "month") else None,
                        "made_day": current.made_on.day if known == "day" else None}  # fmt: skip
    form = PreviousPermanenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            previous_permanence_record(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Previous permanence recorded")
            return redirect("child-placements", pk=child.pk)
    intro = ("Asked when a child starts to be looked after: whether they left care before through adoption, a "
             "special guardianship order or a child arrangements order. For those, give the authority that arranged "
             "it and the date of the order; leave the day, or the day and month, blank if they are not known.")
    context = {"form": form, "child": child, "case": case, "title": "Previous permanence", "intro": intro}
    return render(request, "planning/placement_form.html", context)


@require_http_methods(["GET", "POST"])
def pre_proceedings_new(request, pk):
    child = child_for(request.user, pk)
    case = open_case_for(child)
    require(case is not None and can_record_pre_proceedings(request.user, case))
    form = PreProceedingsStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pre_proceedings_start(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Pre-proceedings recorded")
            return redirect("child-plans", pk=child.pk)
    intro = ("From the legal planning meeting's decision. Fill in the rest as it happens, on this record's "
             "update page.")  # fmt: skip
    context = {"form": form, "child": child, "case": case, "title": "Record pre-proceedings", "intro": intro}
    return render(request, "planning/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def pre_proceedings_edit(request, pk):
    record = pre_proceedings_for(request.user, pk)
    require(can_record_pre_proceedings(request.user, record.case))
    initial = {name: getattr(record, name) for name in FIELDS}
    initial |= {"fgdm_offered": yes_no_initial(record.fgdm_offered), "fgdm_held": yes_no_initial(record.fgdm_held)}
    form = PreProceedingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pre_proceedings_update(record=record, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Pre-proceedings updated")
            return redirect("child-plans", pk=record.child_id)
    context = {"form": form, "child": record.child, "case": record.case, "title": "Update pre-proceedings",
               "intro": "Earlier answers are kept in the record's history."}  # fmt: skip
    return render(request, "planning/meeting_form.html", context)
