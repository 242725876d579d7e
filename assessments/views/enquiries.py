"""Strategy discussion and section 47 pages. Thin: selectors read (404 for a child the user may
not see), services write and check who may."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.forms.enquiries import (
    DISCUSSION_FIELD_FOR,
    SEEN_FIELD_FOR,
    ChildSeenForm,
    OutcomeForm,
    StrategyDiscussionForm,
)
from assessments.selectors.enquiries import (
    deadlines_by_subject,
    deadlines_of,
    discussions_of_child,
    enquiry_for,
    strategy_discussion_clock,
    strategy_discussion_for,
)
from assessments.services.enquiries import (
    enquiry_conditions_for,
    s47_child_seen_record,
    s47_outcome_record,
    s47_outcome_shared_record,
    strategy_discussion_record,
    strategy_record_circulated,
)
from cases.access_log import logs_access
from cases.selectors.children import can_write_case, manages_case, open_case_for
from cases.view_helpers import require, show_errors, visible_child

PAGE_SIZE = 20
MAIN_FIELDS = ("held_on", "held_time", "chair", "information_shared", "decision", "rationale", "conditions")


def _writes(user, case) -> bool:
    return case is not None and case.is_open and (can_write_case(user, case) or manages_case(user, case))


def _child_of_discussion(request, pk):
    return strategy_discussion_for(request.user, pk).child


def _child_of_enquiry(request, pk):
    return enquiry_for(request.user, pk).child


@require_GET
@logs_access(visible_child)
def child_strategy(request, pk, subject):
    child, case = subject, open_case_for(subject)
    page = Paginator(discussions_of_child(child), PAGE_SIZE).get_page(request.GET.get("page"))
    records = [*page, *(enquiry for discussion in page for enquiry in discussion.started_enquiries)]
    deadlines = deadlines_by_subject(records)
    for record in records:
        record.deadlines = deadlines_of(record, deadlines)
    context = {"child": child, "case": case, "page": page, "clock": strategy_discussion_clock(case),
               "can_record": _writes(request.user, case)}  # fmt: skip
    return render(request, "assessments/enquiries/child_strategy.html", context)


@require_http_methods(["GET", "POST"])
@logs_access(visible_child)
def strategy_new(request, pk, subject):
    child, case = subject, open_case_for(subject)
    require(_writes(request.user, case))
    form = StrategyDiscussionForm(request.POST or None, case=case, conditions=enquiry_conditions_for(case.authority))
    if request.method == "POST" and form.is_valid():
        try:
            discussion = strategy_discussion_record(case=case, recorded_by=request.user, **form.discussion_fields())
        except ValidationError as error:
            show_errors(form, error, DISCUSSION_FIELD_FOR)
        else:
            messages.success(request, f"Strategy discussion recorded: {discussion.get_decision_display()}")
            return redirect("strategy-discussion", pk=discussion.pk)
    context = {"form": form, "child": child, "case": case, "main_fields": form.main_fields(MAIN_FIELDS)}
    return render(request, "assessments/enquiries/strategy_new.html", context)


@require_GET
@logs_access(_child_of_discussion)
def strategy_detail(request, pk, subject):
    discussion = strategy_discussion_for(request.user, pk)
    enquiries = list(discussion.enquiries.order_by("pk"))
    deadlines = deadlines_by_subject([discussion, *enquiries])
    context = {"discussion": discussion, "child": discussion.child, "case": discussion.case,
               "deadlines": deadlines_of(discussion, deadlines), "enquiries": enquiries,
               "can_write": _writes(request.user, discussion.case)}  # fmt: skip
    return render(request, "assessments/enquiries/strategy_detail.html", context)


@require_POST
def strategy_circulated(request, pk):
    discussion = strategy_discussion_for(request.user, pk)
    require(_writes(request.user, discussion.case))
    try:
        strategy_record_circulated(discussion=discussion, recorded_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Recorded that the record was sent to the participants")
    return redirect("strategy-discussion", pk=discussion.pk)


def _enquiry_page(request, enquiry, seen_form=None, outcome_form=None):
    deadlines = deadlines_by_subject([enquiry])
    # `form` is the one sent back with errors, so that the page title starts "Error:".
    writes = _writes(request.user, enquiry.case)
    context = {"enquiry": enquiry, "discussion": enquiry.strategy_discussion, "child": enquiry.child,
               "case": enquiry.case, "deadlines": deadlines_of(enquiry, deadlines), "can_write": writes,
               "seen_form": seen_form or ChildSeenForm(enquiry=enquiry),
               "outcome_form": outcome_form or OutcomeForm(),
               "form": seen_form or outcome_form}  # fmt: skip
    return render(request, "assessments/enquiries/s47_detail.html", context)


@require_GET
@logs_access(_child_of_enquiry)
def s47_detail(request, pk, subject):
    return _enquiry_page(request, enquiry_for(request.user, pk))


@require_POST
def s47_seen(request, pk):
    enquiry = enquiry_for(request.user, pk)
    require(_writes(request.user, enquiry.case))
    form = ChildSeenForm(request.POST, enquiry=enquiry)
    if form.is_valid():
        try:
            s47_child_seen_record(enquiry=enquiry, recorded_by=request.user, **form.seen_fields())
        except ValidationError as error:
            show_errors(form, error, SEEN_FIELD_FOR)
        else:
            messages.success(request, "Recorded seeing the child")
            return redirect("s47-enquiry", pk=enquiry.pk)
    return _enquiry_page(request, enquiry, seen_form=form)


@require_POST
def s47_outcome(request, pk):
    enquiry = enquiry_for(request.user, pk)
    require(_writes(request.user, enquiry.case))
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            s47_outcome_record(enquiry=enquiry, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Outcome of the enquiry recorded")
            return redirect("s47-enquiry", pk=enquiry.pk)
    return _enquiry_page(request, enquiry, outcome_form=form)


@require_POST
def s47_outcome_shared(request, pk):
    enquiry = enquiry_for(request.user, pk)
    require(_writes(request.user, enquiry.case))
    try:
        s47_outcome_shared_record(enquiry=enquiry, recorded_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Recorded that the outcome was sent to the agencies")
    return redirect("s47-enquiry", pk=enquiry.pk)
