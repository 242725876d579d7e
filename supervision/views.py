"""Supervision pages: the supervision overview (your own, and your team's due and overdue),
recording a session, a session's record and the worker's signature, and the child's record of
case discussions and management oversight."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access_log import logs_access
from cases.models import User
from cases.roles import Role
from cases.selectors.children import case_for, caseload_for, manages_case, open_case_for
from cases.selectors.people import has_role
from cases.view_helpers import require, show_errors, visible_child

from .forms import OversightForm, SessionForm, SignForm
from .selectors import (
    case_supervision_due,
    discussions_in,
    discussions_of,
    oversight_of,
    session_for,
    sessions_visible_to,
    supervised_by,
    worker_supervision_due,
)
from .services import oversight_record, supervises, supervision_record, supervision_sign

PAGE_SIZE = 25
SUPERVISION_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


@require_GET
def overview(request):
    user = request.user
    require(has_role(user, *SUPERVISION_ROLES))
    own = Paginator(sessions_visible_to(user).filter(worker=user).select_related("supervisor"), PAGE_SIZE)
    context = {"history": own.get_page(request.GET.get("page")), "own_due": worker_supervision_due([user]).get(user.pk)}
    if has_role(user, Role.TEAM_MANAGER, Role.SERVICE_MANAGER):
        workers = Paginator(supervised_by(user), PAGE_SIZE).get_page(request.GET.get("team_page"))
        due = worker_supervision_due(workers.object_list)
        children = Paginator(case_supervision_due(user), PAGE_SIZE).get_page(request.GET.get("children_page"))
        context |= {"workers": workers, "team": [(worker, due.get(worker.pk)) for worker in workers],
                    "children": children}  # fmt: skip
    return render(request, "supervision/overview.html", context)


@require_http_methods(["GET", "POST"])
def session_new(request, worker_pk):
    worker = get_object_or_404(User, pk=worker_pk, authority_id=request.user.authority_id)
    require(supervises(request.user, worker))
    form = SessionForm(request.POST or None, cases=caseload_for(worker))
    if request.method == "POST" and form.is_valid():
        try:
            session = supervision_record(supervisor=request.user, worker=worker, **form.values(worker))
        except ValidationError as error:
            show_errors(form, error, field_for={"held_at": "held_on"})
        else:
            messages.success(request, f"Supervision with {worker} recorded")
            return redirect("supervision-session", pk=session.pk)
    return render(request, "supervision/session_new.html", {"form": form, "worker": worker})


@require_GET
def session_detail(request, pk):
    session = session_for(request.user, pk)
    may_sign = session.worker_id == request.user.pk and not session.worker_signed_at
    discussions, withheld = discussions_in(session, request.user)
    context = {"session": session, "discussions": discussions, "withheld": withheld,
               "sign_form": SignForm() if may_sign else None}  # fmt: skip
    return render(request, "supervision/session.html", context)


@require_POST
def session_sign(request, pk):
    session = session_for(request.user, pk)
    form = SignForm(request.POST)
    form.is_valid()
    try:
        supervision_sign(session=session, worker=request.user, comment=form.cleaned_data.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You have signed the supervision record")
    return redirect("supervision-session", pk=session.pk)


@require_GET
@logs_access(visible_child)
def child_supervision(request, pk, subject):
    child = subject
    case = open_case_for(child)
    context = {"child": child, "case": case, "discussions": discussions_of(child), "oversight": oversight_of(child),
               "can_add": case is not None and manages_case(request.user, case)}  # fmt: skip
    return render(request, "supervision/child.html", context)


@require_http_methods(["GET", "POST"])
def oversight_new(request, pk):
    case = case_for(request.user, pk)
    require(case.is_open and manages_case(request.user, case))
    form = OversightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            oversight_record(case=case, manager=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Management oversight recorded")
            return redirect("child-supervision", pk=case.child_id)
    context = {"form": form, "child": case.child, "case": case, "title": "Record management oversight"}
    return render(request, "supervision/oversight_new.html", context)
