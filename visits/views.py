"""Visit pages: the child's visits and schedule, recording a visit (one page: the kind and date
with the write-up, drafts saved by hand and automatically), the record and its PDF, Visits due,
and a manager's conditions on the schedule. Views are thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access_log import logs_access
from cases.concurrency import EditConflict, form_after_conflict, their_changes
from cases.pdf import pdf_response
from cases.roles import Role
from cases.selectors.children import can_write_case, case_for, child_for, manages_case, open_case_for
from cases.selectors.people import has_role, teams_managed_by
from cases.submissions import token_in
from cases.view_helpers import autosave_response, require, show_errors, visible_child

from .forms import ConditionsForm, NewVisitForm, VisitForm
from .models import Visit, VisitSchedule
from .selectors import (
    draft_started_with,
    kind_for,
    last_visits,
    next_visits_due,
    open_visit_deadlines,
    visit_actions_of,
    visit_for,
    visits_due_by_worker,
    visits_due_for,
    visits_of,
    week_ending,
)
from .services import (
    schedule_conditions_for,
    schedule_conditions_set,
    visit_action_done,
    visit_begin,
    visit_record,
    visit_save,
)

PAGE_SIZE = 25
SEES_VISITS_DUE = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


def _visible_visit(request, pk):
    return visit_for(request.user, pk)


@require_GET
@logs_access(visible_child)
def child_visits(request, pk, subject):
    child = subject
    case = open_case_for(child)
    page = Paginator(visits_of(child), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "child": child, "case": case, "page": page, **last_visits(child),
        "next_due": list(open_visit_deadlines(case)) if case else [],
        "can_record": case is not None and can_write_case(request.user, case),
        "can_set_conditions": case is not None and manages_case(request.user, case)
                              and bool(schedule_conditions_for(case.authority)),
    }  # fmt: skip
    return render(request, "visits/child_visits.html", context)


def _case_to_record_on(request, pk):
    child = child_for(request.user, pk)
    case = open_case_for(child)
    require(case is not None and can_write_case(request.user, case))
    return child, case


FIELD_FOR = {"visited_at": "visited_on", "actions": "action_what_0"}


@require_http_methods(["GET", "POST"])
def visit_new(request, pk):
    """Record a visit on one page. The first save (by hand or automatic) starts the draft; a
    refused record leaves that draft saved, and the page goes on as its write-up."""
    child, case = _case_to_record_on(request, pk)
    form = NewVisitForm.starting(case, kind_for(case), request.POST or None)
    if request.method == "POST" and form.is_valid():
        started_with = token_in(request)
        try:
            visit = visit_begin(case=case, recorded_by=request.user, started_with=started_with,
                                version=form.cleaned_data["version"], **form.content())  # fmt: skip
            if "record" in request.POST:
                visit = visit_record(visit=visit, recorded_by=request.user)
        except EditConflict as conflict:
            return _edit_conflict(request, conflict)
        except ValidationError as error:
            draft = draft_started_with(request.user, case, started_with)
            if draft is not None:
                form = VisitForm.of(draft, request.POST)
                form.is_valid()
            show_errors(form, error, field_for=FIELD_FOR)
            return render(request, "visits/edit.html", {"form": form, "visit": draft, "child": child, "case": case})
        return _saved(request, visit)
    return render(request, "visits/edit.html", {"form": form, "visit": None, "child": child, "case": case})


@require_POST
def visit_new_autosave(request, pk):
    """The one page's automatic save, before the visit has a page of its own: the first starts the
    draft, later ones save it (the page's once-only token finds it)."""
    _, case = _case_to_record_on(request, pk)
    started_with = token_in(request)
    if started_with is None:  # without the page's token, every automatic save would start another draft
        return JsonResponse({"saved": False, "message": "Your draft could not be saved automatically."}, status=400)
    return autosave_response(NewVisitForm(request.POST, authority_id=case.authority_id), lambda form: visit_begin(
        case=case, recorded_by=request.user, started_with=started_with, version=form.cleaned_data["version"],
        **form.content()))  # fmt: skip


def _saved(request, visit: Visit):
    if visit.status == Visit.Status.RECORDED:
        due = [timezone.localtime(upcoming.deadline.due_at) for upcoming in next_visits_due(visit.case)]
        when = f" The next visit is due by {due[0]:%A} {due[0].day} {due[0]:%B %Y}." if due else ""
        messages.success(request, f"Visit recorded.{when}")
        return redirect("visit", pk=visit.pk)
    messages.success(request, f"Draft saved at {timezone.localtime():%H:%M}")
    return redirect("visit-edit", pk=visit.pk)


@require_GET
@logs_access(_visible_visit)
def visit_detail(request, pk, subject):
    visit = subject
    recorded = visit.status == Visit.Status.RECORDED
    context = {"visit": visit, "child": visit.child, "case": visit.case,
               "can_edit": not recorded and can_write_case(request.user, visit.case),
               "next_due": next_visits_due(visit.case) if recorded and visit.case.is_open else None,
               "actions": visit_actions_of(visit, request.user)}  # fmt: skip
    return render(request, "visits/detail.html", context)


@require_http_methods(["GET", "POST"])
@logs_access(_visible_visit)
def visit_edit(request, pk, subject):
    visit = subject
    if visit.status == Visit.Status.RECORDED:
        # Back (or a second tab) after the visit was recorded: the write-up is finished, so the
        # page to show is the record itself, not a refusal to edit it.
        return redirect("visit", pk=visit.pk)
    require(can_write_case(request.user, visit.case))
    form = VisitForm.of(visit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_save(visit=visit, saved_by=request.user, version=form.cleaned_data["version"],
                               **form.content())  # fmt: skip
            if "record" in request.POST:
                visit = visit_record(visit=visit, recorded_by=request.user)
        except EditConflict as conflict:
            return _edit_conflict(request, conflict)
        except ValidationError as error:
            # What was typed stays in the form; a draft saved before a refused record is kept.
            form = VisitForm.of(visit_for(request.user, pk), request.POST)
            form.is_valid()
            show_errors(form, error, field_for=FIELD_FOR)
        else:
            return _saved(request, visit)
    return render(request, "visits/edit.html", {"form": form, "visit": visit, "child": visit.child, "case": visit.case})


def _edit_conflict(request, conflict: EditConflict):
    current = conflict.current
    form = form_after_conflict(conflict, request.POST, VisitForm.of)
    context = {"form": form, "visit": current, "child": current.child, "case": current.case,
               "theirs": their_changes(conflict)}  # fmt: skip
    return render(request, "visits/edit.html", context, status=409)


@require_POST
def visit_autosave(request, pk):
    """The page saves the draft every minute and before the session times out."""
    visit = visit_for(request.user, pk)
    require(visit.status == Visit.Status.DRAFT and can_write_case(request.user, visit.case))
    return autosave_response(VisitForm.of(visit, request.POST), lambda form: visit_save(
        visit=visit, saved_by=request.user, version=form.cleaned_data["version"], **form.content()))


@require_GET
@logs_access(_visible_visit)
def visit_pdf(request, pk, subject):
    visit = subject
    require(visit.status == Visit.Status.RECORDED)
    name = f"visit-{visit.child.reference}-{timezone.localdate(visit.visited_at):%Y-%m-%d}.pdf"
    return pdf_response(request, "visits/print.html", {"visit": visit, "child": visit.child}, name)


@require_POST
def visit_action_mark_done(request, pk, index):
    visit = visit_for(request.user, pk)
    try:
        visit_action_done(visit=visit, index=index, done_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Action marked as done")
    return redirect("visit", pk=visit.pk)


@require_GET
def visits_due(request):
    user = request.user
    require(has_role(user, *SEES_VISITS_DUE))
    manages = has_role(user, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    teams = list(teams_managed_by(user)) if manages else []
    team = next((team for team in teams if str(team.pk) == request.GET.get("team")), None)
    page = Paginator(visits_due_for(user, team=team), PAGE_SIZE).get_page(request.GET.get("page"))
    now, week_end = timezone.now(), week_ending(timezone.now())
    groups = {"overdue": [], "this_week": [], "later": []}
    for deadline in page:
        group = "overdue" if deadline.due_at < now else "this_week" if deadline.due_at < week_end else "later"
        groups[group].append(deadline)
    by_worker = visits_due_by_worker(user, team=team, now=now, week_end=week_end) if manages else []
    context = {"page": page, "groups": groups, "manages": manages, "teams": teams, "team": team, "by_worker": by_worker}
    return render(request, "visits/due.html", context)


@require_http_methods(["GET", "POST"])
def schedule_conditions(request, pk):
    case = case_for(request.user, pk)
    require(case.is_open and manages_case(request.user, case))
    current = VisitSchedule.objects.filter(case=case).first()
    choices = schedule_conditions_for(case.authority)
    form = ConditionsForm(request.POST or None, choices=choices,
                          initial={"conditions": current.conditions if current else []})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            schedule_conditions_set(case=case, set_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Visit conditions saved: the next visit has been recalculated")
            return redirect("child-visits", pk=case.child_id)
    context = {"form": form, "child": case.child, "case": case, "title": "Conditions for the child's visits"}
    return render(request, "visits/conditions.html", context)
