"""Assessment pages: start, write (drafts saved by hand or automatically), sign-off, the manager's
queue, the child's list and the PDF. Views are thin: selectors read, services write and check."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.forms.assessments import (
    ApproveForm,
    AssessmentForm,
    ProgressReviewForm,
    ReturnForm,
    StartForm,
    TrackForm,
)
from assessments.models.assessments import Assessment
from assessments.selectors.assessments import (
    approvers_of,
    assessment_for,
    assessments_awaiting_sign_off,
    assessments_of_child,
    completion_deadline_of,
    may_sign_off,
    writers_of,
)
from assessments.services.assessments import (
    assessment_approve,
    assessment_change_track,
    assessment_progress_review,
    assessment_return,
    assessment_save,
    assessment_start,
    assessment_submit,
    tracks_for,
)
from cases.access_log import logs_access
from cases.concurrency import EditConflict, form_after_conflict, their_changes
from cases.pdf import pdf_response
from cases.roles import Role
from cases.selectors.children import can_write_case, case_for, manages_case, open_case_for
from cases.selectors.people import has_role
from cases.selectors.work import WorkWindow, authority_of
from cases.view_helpers import autosave_response, require, show_errors, visible_child


def _visible_assessment(request, pk):
    return assessment_for(request.user, pk)


@require_GET
@logs_access(visible_child)
def child_assessments(request, pk, subject):
    child, case = subject, open_case_for(subject)
    can_start = case is not None and (can_write_case(request.user, case) or manages_case(request.user, case))
    context = {"child": child, "case": case, "assessments": assessments_of_child(child), "can_start": can_start}
    return render(request, "assessments/child_assessments.html", context)


@require_http_methods(["GET", "POST"])
def start(request, pk):
    case = case_for(request.user, pk)
    require(case.is_open and (can_write_case(request.user, case) or manages_case(request.user, case)))
    in_progress = case.assessments.exclude(status=Assessment.Status.APPROVED).first()
    if in_progress is not None:
        messages.info(request, "This case already has an assessment in progress")
        return redirect("assessment", pk=in_progress.pk)
    form = StartForm(request.POST or None, tracks=tracks_for(case.authority))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_start(case=case, started_by=request.user, track=form.cleaned_data["track"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Assessment started")
            return redirect("assessment-edit", pk=assessment.pk)
    return render(request, "assessments/start.html", {"form": form, "case": case, "child": case.child})


@require_GET
@logs_access(_visible_assessment)
def detail(request, pk, subject):
    return render(request, "assessments/detail.html", _detail_context(request, subject))


def _detail_context(request, assessment, *, decided_form=None, refused: str = "", writers=None) -> dict:
    """The assessment page. A manager who may sign it off gets Return, then Approve (asking why it
    was late only when it is); anyone else sees who will. `decided_form` is a sign-off form
    posted back with its errors, or with the reason it was refused and the text kept."""
    case = assessment.case
    submitted = assessment.status == Assessment.Status.SUBMITTED
    if submitted and writers is None:
        writers = writers_of(assessment)
    deadline = completion_deadline_of(assessment)
    late_due = _late_due(deadline)
    signs_off = submitted and not refused and may_sign_off(request.user, assessment, writers)
    approving = isinstance(decided_form, ApproveForm)
    forms = {"approve_form": decided_form if approving and not refused else ApproveForm(due_at=late_due),
             "return_form": decided_form if decided_form is not None and not approving and not refused
             else ReturnForm()}  # fmt: skip
    return {
        "assessment": assessment, "child": assessment.child, "case": case,
        "transitions": assessment.transitions.select_related("by"),
        "deadline": deadline,
        "can_edit": assessment.editable and can_write_case(request.user, case),
        "may_sign_off": signs_off,
        "own_work": submitted and request.user.pk in writers,
        "who_approves": approvers_in_words(approvers_of(assessment, writers), request.user) if submitted else "",
        **forms,
        "refused_form": decided_form if refused else None,
        "error_form": decided_form if decided_form is not None and decided_form.errors else None,
        "can_change_track": assessment.status != Assessment.Status.APPROVED and manages_case(request.user, case),
        "review_form": ProgressReviewForm(),
    }  # fmt: skip


def _late_due(deadline) -> object:
    """When the still-open completion deadline fell due, if it has passed; otherwise None."""
    if deadline is not None and deadline.status == deadline.Status.OPEN and deadline.due_at < timezone.now():
        return deadline.due_at
    return None


@require_http_methods(["GET", "POST"])
@logs_access(_visible_assessment)
def edit(request, pk, subject):
    assessment = subject
    require(assessment.editable and can_write_case(request.user, assessment.case))
    form = AssessmentForm.of(assessment, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_save(assessment=assessment, saved_by=request.user,
                                         version=form.cleaned_data["version"], **form.content())  # fmt: skip
            if "submit" in request.POST:
                assessment_submit(assessment=assessment, submitted_by=request.user)
        except EditConflict as conflict:
            return _edit_conflict(request, conflict)
        except ValidationError as error:
            # What was typed stays in the form; a submission refused for gaps is still saved.
            form = AssessmentForm.of(assessment_for(request.user, pk), request.POST)
            form.is_valid()
            show_errors(form, error)
        else:
            if "submit" in request.POST:
                messages.success(request, "Submitted to your manager for sign-off")
                return redirect("assessment", pk=assessment.pk)
            messages.success(request, f"Draft saved at {timezone.localtime():%H:%M}")
            return redirect("assessment-edit", pk=assessment.pk)
    context = {"form": form, "assessment": assessment, "child": assessment.child, "case": assessment.case}
    return render(request, "assessments/edit.html", context)


def _edit_conflict(request, conflict: EditConflict):
    current = conflict.current
    form = form_after_conflict(conflict, request.POST, AssessmentForm.of)
    context = {"form": form, "assessment": current, "child": current.child, "case": current.case,
               "theirs": their_changes(conflict)}  # fmt: skip
    return render(request, "assessments/edit.html", context, status=409)


@require_POST
def autosave(request, pk):
    """The page saves the draft every minute and before the session times out."""
    assessment = assessment_for(request.user, pk)
    require(assessment.editable and can_write_case(request.user, assessment.case))
    return autosave_response(AssessmentForm.of(assessment, request.POST), lambda form: assessment_save(
        assessment=assessment, saved_by=request.user, version=form.cleaned_data["version"], **form.content()))


@require_POST
def decide(request, pk):
    """Approve or return. Anyone refused (not a manager of the team, or the assessment is their own
    work) gets the page back with what they typed and why, never an error page that loses it."""
    assessment = assessment_for(request.user, pk)
    approving = request.POST.get("decision") == "approve"
    form = (ApproveForm(request.POST, due_at=_late_due(completion_deadline_of(assessment))) if approving
            else ReturnForm(request.POST))  # fmt: skip
    writers = writers_of(assessment) if assessment.status == Assessment.Status.SUBMITTED else set()
    refused = _refusal(request.user, assessment, writers)
    if not refused and form.is_valid():
        try:
            if approving:
                assessment_approve(assessment=assessment, manager=request.user, **form.cleaned_data)
            else:
                assessment_return(assessment=assessment, manager=request.user, **form.cleaned_data)
        except PermissionDenied:
            refused = _refusal(request.user, assessment, writers_of(assessment)) or "You cannot sign this off"
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Assessment approved" if approving else "Assessment returned to the worker")
            return redirect("assessment", pk=assessment.pk)
    if refused:
        form.is_valid()
        form.add_error(None, refused)
    context = _detail_context(request, assessment, decided_form=form, refused=refused, writers=writers)
    return render(request, "assessments/detail.html", context, status=403 if refused else 200)


def _refusal(user, assessment, writers) -> str:
    """Why this person may not approve or return the assessment, and who may; "" if they may."""
    if assessment.status != Assessment.Status.SUBMITTED:
        return f"This assessment is {assessment.get_status_display().lower()}: it is not waiting for sign-off"
    if may_sign_off(user, assessment, writers):
        return ""
    who = approvers_in_words(approvers_of(assessment, writers))
    if user.pk in writers and manages_case(user, assessment.case):
        return f"You cannot sign off this assessment because you wrote or submitted it. {who}"
    return f"Your role does not allow you to sign off this assessment. {who}"


def approvers_in_words(approvers, reader=None) -> str:
    """"It will be signed off by Priya Shah (manager of Assessment team) or a service manager
    (Joanna Wright)", with the reader as "you"."""
    if not approvers:
        return "Nobody else may sign it off yet: ask your authority admin to give a manager the role."

    def names(users) -> str:
        return ", ".join("you" if reader is not None and user.pk == reader.pk else user.full_name for user in users)

    who = [f"{names(approvers.team_managers)} (manager of {approvers.team})" if approvers.team_managers else "",
           f"a service manager ({names(approvers.service_managers)})" if approvers.service_managers else ""]
    return f"It will be signed off by {' or '.join(part for part in who if part)}."


@require_POST
def progress_review(request, pk):
    assessment = assessment_for(request.user, pk)
    form = ProgressReviewForm(request.POST)
    if form.is_valid():
        try:
            assessment_progress_review(assessment=assessment, manager=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Progress review recorded")
    else:
        require(manages_case(request.user, assessment.case))
        messages.error(request, form.errors["note"][0])
    return redirect("assessment", pk=assessment.pk)


@require_http_methods(["GET", "POST"])
def change_track(request, pk):
    assessment = assessment_for(request.user, pk)
    require(manages_case(request.user, assessment.case))
    form = TrackForm(request.POST or None, tracks=tracks_for(assessment.authority))
    if request.method == "POST" and form.is_valid():
        try:
            deadline = assessment_change_track(assessment=assessment, manager=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            due = f": now due {timezone.localtime(deadline.due_at):%a %d %b %Y}" if deadline else ""
            messages.success(request, f"Track changed{due}")
            return redirect("assessment", pk=assessment.pk)
    context = {"form": form, "assessment": assessment, "child": assessment.child, "case": assessment.case}
    return render(request, "assessments/track.html", context)


def awaiting(request):
    require(has_role(request.user, Role.TEAM_MANAGER, Role.SERVICE_MANAGER))
    page = Paginator(assessments_awaiting_sign_off(request.user), 25).get_page(request.GET.get("page"))
    window = WorkWindow.of(authority_of(request.user))
    rows = [(assessment, window.working_days_late(assessment.due_at)
             if assessment.due_at and assessment.due_at < window.now else None) for assessment in page]  # fmt: skip
    return render(request, "assessments/awaiting.html", {"page": page, "rows": rows})


@require_GET
@logs_access(_visible_assessment)
def pdf(request, pk, subject):
    assessment = subject
    require(assessment.status == Assessment.Status.APPROVED)
    context = {"assessment": assessment, "child": assessment.child,
               "transitions": assessment.transitions.select_related("by")}  # fmt: skip
    name = f"assessment-{assessment.child.reference}-{timezone.localdate(assessment.approved_at):%Y-%m-%d}.pdf"
    return pdf_response(request, "assessments/print.html", context, name)
