"""Closing and transferring a case, the manager's decision and queue, restricting a child's record
and reading who viewed it. Views are thin: selectors read (and 404 what the user may not see),
services write and check permission again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cases.access_log import logs_access
from cases.codes import ClosureReason
from cases.forms.closure import ClosureRequestForm, DecisionForm, RestrictionForm, TransferRequestForm
from cases.models import CaseClosure
from cases.roles import Role
from cases.selectors.children import can_write_case, case_for, manages_case, open_case_for
from cases.selectors.closure import (
    access_log_for_child,
    closure_request_for,
    closure_requests_awaiting,
    may_see_closure_request,
)
from cases.selectors.people import has_role
from cases.services import access_log_record
from cases.services.closure import (
    child_restrict,
    closure_decide,
    closure_gate,
    closure_request,
    may_restrict,
    transfer_request,
)
from cases.view_helpers import require, show_errors, visible_child

PAGE_SIZE = 25
# Service argument names whose errors belong to a differently named form field.
FIELD_FOR = {"approve": "decision"}






def _pending(case) -> CaseClosure | None:
    return case.closure_requests.filter(status=CaseClosure.Status.REQUESTED).select_related("requested_by").first()


def _case_page(request, case, template, form, **extra):
    context = {"case": case, "child": case.child, "form": form, "pending": _pending(case), **extra}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@logs_access(lambda request, pk: case_for(request.user, pk))
def case_close(request, pk, subject):
    case = subject
    require(can_write_case(request.user, case))
    form = ClosureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure_request(case=case, requested_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, "Closure requested: a manager will decide")
            return redirect("child", pk=case.child_id)
    gate = closure_gate(case)
    unmet = [item for item in gate if not item.met]
    return _case_page(request, case, "cases/closure/close.html", form, gate=gate, unmet=unmet)


@require_http_methods(["GET", "POST"])
@logs_access(lambda request, pk: case_for(request.user, pk))
def case_transfer(request, pk, subject):
    case = subject
    require(can_write_case(request.user, case))
    form = TransferRequestForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            transfer_request(case=case, requested_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Transfer to {form.cleaned_data['to_team']} requested: a manager will decide")
            return redirect("child", pk=case.child_id)
    return _case_page(request, case, "cases/closure/transfer.html", form, gate=closure_gate(case))


def closure_requests(request):
    require(has_role(request.user, Role.TEAM_MANAGER, Role.SERVICE_MANAGER))
    page = Paginator(closure_requests_awaiting(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/closure/queue.html", {"page": page})


@require_http_methods(["GET", "POST"])
def closure_request_decide(request, pk):
    closure = closure_request_for(request.user, pk)
    case = closure.case
    require(may_see_closure_request(request.user, closure))
    may_decide = (
        manages_case(request.user, case)
        and closure.requested_by_id != request.user.pk
        and closure.status == CaseClosure.Status.REQUESTED
        and case.is_open
    )
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        require(may_decide)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                closure_decide(request=closure, decided_by=request.user, approve=approve,
                               note=form.cleaned_data["note"])  # fmt: skip
            except ValidationError as error:
                show_errors(form, error, FIELD_FOR)
            else:
                outcome = "approved" if approve else "declined"
                messages.success(request, f"{closure.get_kind_display()} {outcome}")
                return redirect("closure-requests")
    gate = closure_gate(case) if case.is_open else []
    rows = [{"item": item, "at_request": closure.gate.get(item.code)} for item in gate]
    reason_label = ClosureReason(closure.reason).label if closure.reason in ClosureReason.values else ""
    context = {"closure": closure, "case": case, "child": case.child, "form": form, "gate_rows": rows,
               "reason_label": reason_label, "own_request": closure.requested_by_id == request.user.pk}  # fmt: skip
    response = render(request, "cases/closure/decide.html", context)
    if request.method == "GET":
        access_log_record(user=request.user, subject=case.child, path=request.get_full_path())
    return response


@require_http_methods(["GET", "POST"])
@logs_access(visible_child)
def child_restriction(request, pk, subject):
    child = subject
    require(may_restrict(request.user, child))
    initial = {
        "restricted": "yes" if child.restricted else "no",
        "named_users": list(child.restricted_to.all()) or [request.user],
    }
    form = RestrictionForm(request.POST or None, initial=initial, authority_id=child.authority_id)
    if request.method == "POST" and form.is_valid():
        restricted = form.cleaned_data["restricted"] == "yes"
        try:
            child_restrict(child=child, by=request.user, restricted=restricted,
                           named_users=form.cleaned_data["named_users"])  # fmt: skip
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, "Record restricted to the people named" if restricted else "Restriction lifted")
            return redirect("child", pk=child.pk)
    context = {"child": child, "case": open_case_for(child), "form": form}
    return render(request, "cases/closure/restriction.html", context)


@logs_access(visible_child)
def child_access_log(request, pk, subject):
    child = subject
    page = Paginator(access_log_for_child(request.user, child), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"child": child, "case": open_case_for(child), "page": page}
    return render(request, "cases/closure/access_log.html", context)
