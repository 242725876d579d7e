"""Plans and meetings pages: the child's "Plans and meetings" tab, recording conferences, core
groups and reviews (the chair records conferences and reviews), booking a meeting ahead, a plan
with its versions, approval and actions, a meeting with what is still waiting on it, and PDFs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access_log import logs_access
from cases.dates import long_date
from cases.pdf import pdf_response
from cases.roles import Role
from cases.selectors.children import can_write_case, child_for, manages_case, open_case_for
from cases.selectors.people import has_role
from cases.view_helpers import require, save_edit, show_errors, visible_child
from planning.forms import (
    ActionForm,
    AdoptionOrderForm,
    AdoptionReversedForm,
    AdoptionStepChoiceForm,
    AdoptionStepForm,
    BookingForm,
    CareCheckForm,
    CoreGroupForm,
    InitialConferenceForm,
    LookedAfterReviewForm,
    MatchForm,
    MeetingForm,
    ParticipationForm,
    PlacedForAdoptionForm,
    PlacedWithAdoptersForm,
    PlanEndForm,
    PlanReviseForm,
    PlanStartForm,
    PrivateFosteringAbsenceForm,
    PrivateFosteringNotificationForm,
    PrivateFosteringReturnForm,
    ReviewConferenceForm,
)
from planning.models import AdoptionStep, Meeting, Plan
from planning.selectors import (
    action_for,
    care_checks_of,
    conflicts_for,
    described,
    meeting_for,
    meetings_of,
    pep_review_expected,
    pf_absences_of,
    pf_notifications_of,
    plan_for,
    planning_deadlines_of,
    plans_of,
    pre_proceedings_of,
    versions_of,
)
from planning.services import plan_start
from planning.services.adoption import (
    adoption_step_record,
    adoption_steps_of,
    asks_adopters,
    asks_move_reason,
    can_record_step,
    recordable_steps,
)
from planning.services.child_in_need import cin_meeting_record
from planning.services.clocks import open_on
from planning.services.conferences import core_group_record, icpc_record, rcpc_record
from planning.services.leaving_care import pathway_review_record
from planning.services.looked_after import (
    TAB_TASKS,
    care_check_record,
    case_task_done,
    lac_review_participation_correct,
    lac_review_record,
    may_correct_participation,
    placement_meeting_record,
)
from planning.services.meetings import MANAGERS_ONLY, TASKS, chairs, meeting_book, meeting_task_done, writes_meeting
from planning.services.plans import (
    can_write_plan,
    plan_action_add,
    plan_action_close,
    plan_approve,
    plan_authors,
    plan_end,
    plan_revise,
)
from planning.services.pre_proceedings import can_record_pre_proceedings
from planning.services.private_fostering import (
    can_record_notification,
    open_absence,
    pf_absence_return,
    pf_absence_start,
    pf_notification_record,
)
from planning.views.outcomes import yearly_outcomes


def _case_of(request, pk):
    child = child_for(request.user, pk)
    return child, open_case_for(child)


@require_GET
@logs_access(visible_child)
def child_plans(request, pk, subject):
    child, user = subject, request.user
    case = open_case_for(child)
    plans, meetings = plans_of(child), meetings_of(child)
    open_kinds = {plan.kind for plan in plans if plan.is_open}
    writes = case is not None and can_write_plan(user, case)
    looked_after = case is not None and case.statuses.filter(kind="lac", ended_on=None).exists()
    context = {
        "child": child, "case": case, "plans": plans, "meetings": meetings, "checks": care_checks_of(child),
        "deadlines": planning_deadlines_of(child), "conflicts": conflicts_for(child.authority),
        "is_chair": case is not None and chairs(user, case), "can_write": writes,
        "can_start_plan": writes and not chairs(user, case), "has_cp_plan": "cp" in open_kinds,
        "bookings": [meeting for meeting in meetings if not meeting.is_held], "open_kinds": open_kinds,
        "looked_after": looked_after, "adoption_steps": adoption_steps_of(child),
        "can_record_adoption": writes and looked_after,
        "notifications": pf_notifications_of(child), "tab_tasks": TAB_TASKS, "absences": pf_absences_of(child),
        "pep_review": pep_review_expected(child.authority),
        "can_notify": case is not None and can_record_notification(user, case),
        "can_record_pre_proceedings": case is not None and can_record_pre_proceedings(user, case),
    }  # fmt: skip
    context["pre_proceedings"] = pre_proceedings = pre_proceedings_of(child)
    context["can_start_pre_proceedings"] = (context["can_record_pre_proceedings"]
                                            and not any(record.is_open for record in pre_proceedings))  # fmt: skip
    context |= yearly_outcomes(user, child, case, writes=writes, looked_after=looked_after)
    return render(request, "planning/child_plans.html", context)


def _meeting_page(request, pk, form_class, title, save, *, chair_only: bool, intro: str = ""):
    child, case = _case_of(request, pk)
    require(case is not None and (chairs(request.user, case) if chair_only else can_write_plan(request.user, case)))
    booking = None
    if request.GET.get("booking"):
        booking = get_object_or_404(Meeting, pk=request.GET["booking"], case=case, held_at=None)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = save(case, form, booking)
        except ValidationError as error:
            show_errors(form, error, field_for={"held_at": "held_on"})
        else:
            messages.success(request, f"{meeting} recorded")
            return redirect("meeting", pk=meeting.pk)
    context = {"form": form, "child": child, "case": case, "title": title, "intro": intro, "booking": booking}
    return render(request, "planning/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def initial_conference_new(request, pk):
    def save(case, form, booking):
        return icpc_record(case=case, chair=request.user, booking=booking, **form.values())

    intro = ("A decision for a plan starts the child protection plan and status, the first core group and the "
             "first review conference.")  # fmt: skip
    return _meeting_page(request, pk, InitialConferenceForm, "Record an initial child protection conference", save,
                         chair_only=True, intro=intro)  # fmt: skip


@require_http_methods(["GET", "POST"])
def core_group_new(request, pk):
    def save(case, form, booking):
        return core_group_record(case=case, recorded_by=request.user, **form.values())

    return _meeting_page(request, pk, CoreGroupForm, "Record a core group meeting", save, chair_only=False,
                         intro="Recording it meets the core group that is due and opens the next.")  # fmt: skip


@require_http_methods(["GET", "POST"])
def review_conference_new(request, pk):
    def save(case, form, booking):
        return rcpc_record(case=case, chair=request.user, booking=booking, **form.values())

    intro = "If the plan continues, the next review is due at your authority's interval; if it ends, the status ends."
    return _meeting_page(request, pk, ReviewConferenceForm, "Record a review child protection conference", save,
                         chair_only=True, intro=intro)  # fmt: skip


# kind in the URL -> (service, title, chair only, what recording it does)
MEETINGS = {
    "cin": (cin_meeting_record, "Record a child in need meeting", False,
            "The first meeting on the plan is the initial meeting; each later one is a review, and the next is due "
            "at your authority's cadence."),
    "placement-planning": (placement_meeting_record, "Record a placement planning meeting", False,
                           "For the current placement."),
    "pathway-review": (pathway_review_record, "Record a pathway plan review", False,
                       "The next review is due at your authority's interval."),
}  # fmt: skip


@require_http_methods(["GET", "POST"])
def meeting_new(request, pk, kind):
    if kind not in MEETINGS:
        raise Http404
    service, title, chair_only, intro = MEETINGS[kind]

    def save(case, form, booking):
        booked = {"booking": booking} if service is cin_meeting_record else {}
        return service(case=case, recorded_by=request.user, **booked, **form.values())

    return _meeting_page(request, pk, MeetingForm, title, save, chair_only=chair_only, intro=intro)


@require_http_methods(["GET", "POST"])
def lac_review_new(request, pk):
    def save(case, form, booking):
        return lac_review_record(case=case, chair=request.user, booking=booking, **form.values())

    return _meeting_page(request, pk, LookedAfterReviewForm, "Record a looked-after review", save, chair_only=True,
                         intro="The first review meets its clock and opens the second; later reviews the interval.")


@require_http_methods(["GET", "POST"])
def care_check_new(request, pk):
    child, case = _case_of(request, pk)
    adviser = has_role(request.user, Role.PERSONAL_ADVISER)  # records their own contact (the service checks)
    require(case is not None and (can_write_plan(request.user, case) or (adviser and case.is_open)))
    form = CareCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = care_check_record(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{check} recorded")
            return redirect("child-plans", pk=child.pk)
    context = {"form": form, "child": child, "case": case, "title": "Record a health assessment, SDQ, PEP or contact"}
    return render(request, "planning/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def adoption_step_choose(request, pk):
    """Record an adoption step, first page: which step. The next page asks only what that step needs."""
    child, case = _case_of(request, pk)
    require(case is not None and can_write_plan(request.user, case))
    kinds = recordable_steps(request.user, case)
    form = AdoptionStepChoiceForm(request.POST if request.method == "POST" else None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        return redirect("adoption-step-new", pk=child.pk, kind=form.cleaned_data["kind"])
    intro = ("Each step opens or meets the adoption timescales your authority sets. The adoption order ends "
             "the child's looked-after status." if kinds else "There is no adoption step to record: the child "
             "is not looked after, or every step is recorded.")  # fmt: skip
    context = {"form": form if kinds else None, "child": child, "case": case, "title": "Record an adoption step",
               "intro": intro}  # fmt: skip
    return render(request, "planning/adoption_choose.html", context)


@require_http_methods(["GET", "POST"])
def adoption_step_new(request, pk, kind):
    if kind not in AdoptionStep.Kind.values:
        raise Http404
    child, case = _case_of(request, pk)
    require(case is not None and can_record_step(request.user, case, kind))
    form_class = _step_form(case, kind)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            step = adoption_step_record(case=case, kind=kind, recorded_by=request.user, **form.cleaned_data,
                                        adopters_asked="adopters_number" in form.fields)  # fmt: skip
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Recorded: {step.get_kind_display()[0].lower()}{step.get_kind_display()[1:]}")
            return redirect("child-plans", pk=child.pk)
    if kind == AdoptionStep.Kind.PLACED and not asks_move_reason(case):
        # The page asks the reason for the move only where the DfE records one. Decided only when the
        # page is drawn: a recorded step takes the reason whenever given, and the service, reading the
        # current placement under the case's lock, says whether one was needed, so it is read once.
        del form.fields["move_reason"]
    context = {"form": form, "child": child, "case": case, "title": AdoptionStep.Kind(kind).label}
    return render(request, "planning/meeting_form.html", context)


def _step_form(case, kind: str):
    """Each step's page asks only what it needs: the adopters' details on the match (or on the
    placement where the match did not record them), the reason on a reversal."""
    if kind == AdoptionStep.Kind.REVERSED:
        return AdoptionReversedForm
    if kind == AdoptionStep.Kind.MATCH:
        return MatchForm
    if kind == AdoptionStep.Kind.PLACED:
        return PlacedWithAdoptersForm if asks_adopters(case, kind) else PlacedForAdoptionForm
    if kind == AdoptionStep.Kind.HEARING:
        return AdoptionOrderForm
    return AdoptionStepForm


@require_POST
def case_task(request, pk):
    child, case = _case_of(request, pk)
    require(case is not None and can_write_plan(request.user, case))
    key = request.POST.get("key", "")
    try:
        case_task_done(case=case, key=key, recorded_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Recorded: {TAB_TASKS[key].lower()}")
    return redirect("child-plans", pk=child.pk)


@require_http_methods(["GET", "POST"])
def pf_notification_new(request, pk):
    child, case = _case_of(request, pk)
    require(case is not None and can_record_notification(request.user, case))
    form = PrivateFosteringNotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pf_notification_record(case=case, recorded_by=request.user, **form.values())
        except ValidationError as error:
            show_errors(form, error, field_for={"received_at": "received_on"})
        else:
            messages.success(request, "Private fostering notification recorded")
            return redirect("child-plans", pk=child.pk)
    intro = ("The first notification of an arrangement starts the private fostering status; the first visit is "
             "due from the day the notice was received, where your authority sets a timescale.")  # fmt: skip
    context = {"form": form, "child": child, "case": case, "title": "Record a private fostering notification",
               "intro": intro}  # fmt: skip
    return render(request, "planning/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def pf_absence_new(request, pk):
    """Record that the child left the private foster carer or, while they are away, their return."""
    child, case = _case_of(request, pk)
    require(case is not None and can_record_notification(request.user, case))
    away = open_absence(case)
    form = (PrivateFosteringReturnForm if away else PrivateFosteringAbsenceForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if away:
                pf_absence_return(case=case, recorded_by=request.user, **form.cleaned_data)
            else:
                pf_absence_start(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Return recorded" if away else "Absence recorded")
            return redirect("child-plans", pk=child.pk)
    if away:
        title, intro = "Record the child's return", f"The child left the carer on {long_date(away.left_on)}."
    else:
        title = "Record an absence from the private foster carer"
        intro = ("Where your authority sets a limit, an absence longer than it ends the arrangement, and the child's "
                 "return starts it again.")  # fmt: skip
    context = {"form": form, "child": child, "case": case, "title": title, "intro": intro}
    return render(request, "planning/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_book_new(request, pk):
    child, case = _case_of(request, pk)
    require(case is not None and can_write_plan(request.user, case))
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_book(case=case, kind=form.cleaned_data["kind"], booked_by=request.user,
                                   scheduled_at=form.cleaned_data["scheduled_at"],
                                   exclusion_expected=form.cleaned_data["exclusion_expected"])  # fmt: skip
        except ValidationError as error:
            show_errors(form, error, field_for={"scheduled_at": "scheduled_on"})
        else:
            messages.success(request, f"{meeting} booked")
            return redirect("meeting", pk=meeting.pk)
    context = {"form": form, "child": child, "case": case, "title": "Book a conference or review",
               "intro": "The reports your authority expects before the meeting go on the ledger."}  # fmt: skip
    return render(request, "planning/meeting_form.html", context)


def _visible_meeting(request, pk):
    return meeting_for(request.user, pk)


@require_GET
@logs_access(_visible_meeting)
def meeting_detail(request, pk, subject):
    meeting = subject
    waiting = [(deadline, TASKS[deadline.key]) for deadline in described(open_on(meeting), meeting.authority)
               if deadline.key in TASKS]  # fmt: skip
    context = {"meeting": meeting, "child": meeting.child, "waiting": waiting,
               "can_write": writes_meeting(request.user, meeting),
               "can_correct_participation": may_correct_participation(request.user, meeting),
               "managers_only": () if manages_case(request.user, meeting.case) else MANAGERS_ONLY}  # fmt: skip
    return render(request, "planning/meeting.html", context)


@require_POST
def meeting_task(request, pk):
    meeting = meeting_for(request.user, pk)
    require(writes_meeting(request.user, meeting))
    try:
        meeting_task_done(meeting=meeting, key=request.POST.get("key", ""), done_at=None, recorded_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Recorded: {TASKS[request.POST['key']].lower()}")
    return redirect("meeting", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def meeting_participation(request, pk):
    meeting = meeting_for(request.user, pk)
    if not (meeting.kind == Meeting.Kind.LAC_REVIEW and meeting.is_held):
        raise Http404("Only a held looked-after review records the child's participation")
    require(may_correct_participation(request.user, meeting))
    form = ParticipationForm.for_meeting(meeting, data=request.POST or None)
    edited = save_edit(
        request, form,
        lambda: lac_review_participation_correct(meeting=meeting, recorded_by=request.user, **form.cleaned_data),
        lambda current, data: ParticipationForm.for_meeting(current, data=data),
    )  # fmt: skip
    if edited.saved:
        messages.success(request, "The child's participation in the review is saved")
        return redirect("meeting", pk=meeting.pk)
    form, theirs = edited.form, edited.theirs
    held = long_date(timezone.localdate(meeting.held_at))
    context = {"form": form, "child": meeting.child, "case": meeting.case, "theirs": theirs,
               "title": "Correct the child's participation in the review",
               "intro": f"The looked-after review held on {held}. The DfE's looked-after return (SSDA903) asks "
                        "how the child took part in each review."}  # fmt: skip
    return render(request, "planning/participation_form.html", context | {"meeting": meeting})


@require_GET
@logs_access(_visible_meeting)
def meeting_pdf(request, pk, subject):
    meeting = subject
    require(meeting.is_held)
    name = f"{meeting.kind}-{meeting.child.reference}-{timezone.localdate(meeting.held_at):%Y-%m-%d}.pdf"
    return pdf_response(request, "planning/meeting_print.html", {"meeting": meeting, "child": meeting.child}, name)


def _visible_plan(request, pk):
    return plan_for(request.user, pk)


@require_GET
@logs_access(_visible_plan)
def plan_detail(request, pk, subject):
    plan, user = subject, request.user
    writes = plan.is_open and can_write_plan(user, plan.case)
    context = {
        "plan": plan, "child": plan.child, "actions": list(plan.actions.select_related("owner")),
        "versions": versions_of(plan), "deadlines": described(open_on(plan), plan.authority), "can_write": writes,
        "can_approve": plan.approval == Plan.Approval.AWAITING and manages_case(user, plan.case)
        and user.pk not in plan_authors(plan),
        "action_form": ActionForm(authority=plan.authority) if writes else None,
        "can_end": plan.is_open and plan.kind != Plan.Kind.CHILD_PROTECTION
        and (can_write_case(user, plan.case) or manages_case(user, plan.case)),
    }  # fmt: skip
    return render(request, "planning/plan.html", context)


@require_GET
@logs_access(_visible_plan)
def plan_pdf(request, pk, subject):
    plan = subject
    context = {"plan": plan, "child": plan.child, "actions": list(plan.actions.select_related("owner"))}
    return pdf_response(request, "planning/plan_print.html", context, f"{plan.kind}-plan-{plan.child.reference}.pdf")


@require_http_methods(["GET", "POST"])
def plan_new(request, pk):
    child, case = _case_of(request, pk)
    require(case is not None and can_write_plan(request.user, case) and not chairs(request.user, case))
    form = PlanStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_start(case=case, written_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{plan} started")
            return redirect("plan", pk=plan.pk)
    context = {"form": form, "child": child, "case": case, "title": "Start a plan"}
    return render(request, "planning/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def plan_revise_page(request, pk):
    plan = plan_for(request.user, pk)
    require(plan.is_open and can_write_plan(request.user, plan.case))
    initial = {"version": plan.version, "outcomes": plan.outcomes, "contingency": plan.contingency}
    form = PlanReviseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_revise(plan=plan, revised_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{plan} saved as version {plan.version + 1}")
            return redirect("plan", pk=plan.pk)
    title = f"Revise the {str(plan)[0].lower()}{str(plan)[1:]}"
    context = {"form": form, "child": plan.child, "case": plan.case, "title": title}
    return render(request, "planning/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def plan_end_page(request, pk):
    plan = plan_for(request.user, pk)
    require(plan.is_open and plan.kind != Plan.Kind.CHILD_PROTECTION
            and (can_write_case(request.user, plan.case) or manages_case(request.user, plan.case)))  # fmt: skip
    form = PlanEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_end(plan=plan, ended_by=request.user, ended_on=form.cleaned_data["ended_on"],
                     reason=form.cleaned_data["end_reason"])  # fmt: skip
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{plan} ended")
            return redirect("plan", pk=plan.pk)
    title = f"End the {str(plan)[0].lower()}{str(plan)[1:]}"
    context = {"form": form, "child": plan.child, "case": plan.case, "title": title,
               "intro": "Its open actions and clocks stop, each with the reason."}  # fmt: skip
    return render(request, "planning/meeting_form.html", context)


@require_POST
def plan_approve_page(request, pk):
    plan = plan_for(request.user, pk)
    require(manages_case(request.user, plan.case) and request.user.pk != plan.written_by_id)
    try:
        plan_approve(plan=plan, approved_by=request.user, version=int(request.POST.get("version") or 0))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{plan} version {plan.version} approved")
    return redirect("plan", pk=plan.pk)


@require_POST
def plan_action_new(request, pk):
    plan = plan_for(request.user, pk)
    require(plan.is_open and can_write_plan(request.user, plan.case))
    form = ActionForm(request.POST, authority=plan.authority)
    if form.is_valid():
        try:
            plan_action_add(plan=plan, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Action added")
            return redirect("plan", pk=plan.pk)
    context = {"plan": plan, "child": plan.child, "actions": list(plan.actions.select_related("owner")),
               "versions": versions_of(plan), "deadlines": described(open_on(plan), plan.authority), "can_write": True,
               "action_form": form}  # fmt: skip
    return render(request, "planning/plan.html", context, status=400)


@require_POST
def plan_action_done(request, pk):
    action = action_for(request.user, pk)
    try:
        plan_action_close(action=action, done=request.POST.get("done") != "no", closed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("plan", pk=action.plan_id)
