"""The front door and the child's record: search, new child (through the duplicate check), the
record itself, referral, decision and allocation. Views are thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.access_log import logs_access
from cases.forms.children import AllocationForm, ChildForm, ChildSearchForm, DecisionForm, ReferralForm
from cases.models import Case
from cases.record_sections import deadline_keys
from cases.roles import Role
from cases.selectors.children import (
    allocation_history,
    can_see_children,
    can_write_case,
    case_for,
    child_for,
    children_search,
    likely_matches,
    manages_case,
    open_case_for,
    previous_worker_of,
    referral_for,
)
from cases.selectors.people import has_role, teams_managed_by
from cases.selectors.work import WorkWindow, authority_of, deadline_of, earlier_referrals
from cases.services.children import (
    RECORDS_REFERRALS,
    case_allocate,
    child_create,
    referral_decide,
    referral_record,
    referrer_told,
    rereferral_rule,
)
from cases.services.statutory import can_change_statutory_details
from cases.view_helpers import require, show_errors, visible_child

PAGE_SIZE = 25
# Model field names whose errors belong to a differently named form field.
FIELD_FOR = {"received_at": "received_date"}






def children_list(request):
    require(can_see_children(request.user))
    form = ChildSearchForm(request.GET or None)
    page = None
    if request.GET and form.is_valid() and any(form.cleaned_data.values()):
        found = children_search(request.user, text=form.cleaned_data["q"], born_on=form.cleaned_data["born_on"],
                                nhs_number=form.cleaned_data["nhs_number"])  # fmt: skip
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    can_add = has_role(request.user, *RECORDS_REFERRALS)
    return render(request, "cases/children/search.html", {"form": form, "page": page, "can_add": can_add})


@require_http_methods(["GET", "POST"])
def child_new(request):
    require(has_role(request.user, *RECORDS_REFERRALS))
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirmed_new")
        if not confirmed:
            matches = likely_matches(request.user, first_name=data["first_name"], last_name=data["last_name"],
                                     born_on=data["date_of_birth"] or data["expected_date_of_birth"],
                                     nhs_number=data["nhs_number"])  # fmt: skip
            if matches:
                skip = ("csrfmiddlewaretoken", "confirmed_new")
                resubmit = [(k, v) for k, v in request.POST.items() if k not in skip]
                context = {"form": form, "matches": matches, "resubmit": resubmit}
                return render(request, "cases/children/matches.html", context)
        try:
            child = child_create(created_by=request.user, **data)
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Record created for {child}")
            return redirect("referral-new", pk=child.pk)
    return render(request, "cases/children/new.html", {"form": form})


OVERVIEW_DEADLINES = 20


@logs_access(visible_child)
def child_detail(request, pk, subject):
    child = subject
    case = open_case_for(child)
    deadlines = list(child.deadlines.filter(status="open").select_related("assignee")
                     .order_by("due_at")[:OVERVIEW_DEADLINES])
    visit_keys = deadline_keys("visits")
    context = {
        "child": child,
        "case": case,
        "overdue": [deadline for deadline in deadlines if deadline.is_overdue],
        "upcoming": [deadline for deadline in deadlines if not deadline.is_overdue],
        "next_visit": next((deadline for deadline in deadlines if deadline.key in visit_keys), None),
        # Fewer than the page shows: every open deadline is here, so "no visit due" is true.
        "all_deadlines_shown": len(deadlines) < OVERVIEW_DEADLINES,
        "referrals": child.referrals.select_related("team").order_by("-received_at")[:10],
        "chronology": child.chronology.select_related("written_by").order_by("-occurred_at", "-pk")[:20],
        "allocations": allocation_history(case) if case else [],
        "can_record_referral": has_role(request.user, *RECORDS_REFERRALS),
        "can_allocate": case is not None and case.team in teams_managed_by(request.user),
        "can_write": case is not None and can_write_case(request.user, case),
        "can_change_statutory": case is not None and can_change_statutory_details(request.user, child, case=case),
        "can_restrict": manages_case(request.user, case) if case else has_role(request.user, Role.SERVICE_MANAGER),
        "can_read_access_log": request.user.has_perm("cases.view_access_log"),
    }
    return render(request, "cases/children/detail.html", context)


@require_http_methods(["GET", "POST"])
def referral_new(request, pk):
    child = child_for(request.user, pk)
    require(has_role(request.user, *RECORDS_REFERRALS))
    form = ReferralForm(request.POST or None, authority=child.authority)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_record(recorded_by=request.user, child=child, team=form.cleaned_data["team"],
                                       **form.referral_fields())  # fmt: skip
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Referral recorded: {referral.team} will decide")
            return redirect("child", pk=child.pk)
    return render(request, "cases/children/referral_new.html", {"form": form, "child": child})


@require_http_methods(["GET", "POST"])
def referral_decide_view(request, pk):
    referral = referral_for(request.user, pk)
    require(referral.team in teams_managed_by(request.user))
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = referral_decide(referral=referral, decided_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Decision recorded: {decided.get_decision_display()}")
            case = Case.objects.filter(referral=decided).first()
            return redirect("case-allocate", pk=case.pk) if case else redirect("team")
    rereferral = rereferral_rule(referral) if referral.rereferral_of_id else ""
    deadline = deadline_of(referral, "contact_decision")
    context = {"form": form, "referral": referral, "rereferral": rereferral, "deadline": deadline,
               "late": _late(request, deadline), "earlier": earlier_referrals(referral)}  # fmt: skip
    return render(request, "cases/children/referral_decide.html", context)


@require_POST
def referrer_told_view(request, pk):
    referral = referral_for(request.user, pk)
    try:
        referrer_told(referral=referral, told_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Recorded that {referral.referrer_name} has been told the decision")
    return redirect("child", pk=referral.child_id)


@require_http_methods(["GET", "POST"])
def case_allocate_view(request, pk):
    case = case_for(request.user, pk)
    require(case.team in teams_managed_by(request.user))
    form = AllocationForm(request.POST or None, team=case.team, previous_worker=previous_worker_of(case))
    if request.method == "POST" and form.is_valid():
        try:
            case_allocate(case=case, worker=form.cleaned_data["worker"], team=case.team, allocated_by=request.user,
                          change_reason=form.cleaned_data.get("change_reason", ""))  # fmt: skip
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"{case.child} allocated to {form.cleaned_data['worker']}")
            return redirect("child", pk=case.child_id)
    deadline = deadline_of(case, "assessment_allocation")
    context = {"form": form, "case": case, "deadline": deadline, "late": _late(request, deadline)}
    return render(request, "cases/children/allocate.html", context)


def _late(request, deadline) -> int | None:
    """Working days an open deadline is overdue (0 on its due day), None if it is not."""
    if deadline is None or not deadline.is_overdue:
        return None
    return WorkWindow.of(authority_of(request.user)).working_days_late(deadline.due_at)
