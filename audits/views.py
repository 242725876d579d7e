"""Audit pages: the list and programmes (pick or sample cases, assign them), running an audit
(sections, answers, grade, actions), responses, moderation and the lock, the PDF report, the
results and their CSV, actions for their owners, and the templates (admins edit them)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access_log import logs_access
from cases.models import Case, Team, User
from cases.pdf import pdf_response
from cases.roles import Role
from cases.selectors.children import children_search, not_restricted_from
from cases.selectors.people import has_role
from cases.view_helpers import require, show_errors

from . import reports
from .forms import (
    ActionForm,
    AnswersForm,
    DoneForm,
    GradeForm,
    ItemEditForm,
    ModerateForm,
    PickForm,
    ProgrammeForm,
    ReassignForm,
    ReportFilterForm,
    RespondForm,
    SampleForm,
    SectionsForm,
)
from .models import Audit, AuditAction, AuditResponse, AuditTemplate, TemplateItem, TemplateSection
from .period import AuditPeriod
from .selectors import audit_for, audit_list, programme_for, programmes_of, sees_audit_pages
from .services import (
    action_owners,
    audit_action_add,
    audit_action_done,
    audit_answer,
    audit_assign,
    audit_lock,
    audit_mark_rest_not_applicable,
    audit_moderate,
    audit_reassign,
    audit_respond,
    audit_sections_set,
    audit_start,
    audit_submit,
    current_version,
    is_auditor,
    may_respond_as,
    programme_create,
    programme_sample,
    template_item_revise,
)
from .tags import TAG_LABELS, case_tags, sections_for_case

PAGE_SIZE = 25


def _auditors(user):
    return User.objects.filter(authority_id=user.authority_id, is_active=True,
                               role_assignments__role=Role.QA_AUDITOR).distinct().order_by("full_name")  # fmt: skip


def _audit_of(request, pk):
    """For @logs_access: the audit (its child's record is what the access log names)."""
    return audit_for(request.user, pk)


def _running(request, pk) -> tuple[Audit, HttpResponse | None]:
    """The audit, for its own auditor while it is in progress (403 for anyone else who sees it).
    Once graded it is locked: the page says so, by whom and when, to everyone who reads it. Not yet
    started, it sends the reader back to the audit, where the auditor starts it."""
    audit = audit_for(request.user, pk)
    if audit.status == Audit.Status.IN_PROGRESS:
        require(audit.auditor_id == request.user.pk)
        return audit, None
    if audit.status == Audit.Status.ASSIGNED:
        return audit, _not_started(request, audit)
    return audit, _locked_page(request, audit)


def _not_started(request, audit: Audit) -> HttpResponse:
    messages.info(request, "This audit has not started yet")
    return redirect("audit", pk=audit.pk)


def _lock_context(audit: Audit) -> dict:
    return {"audit": audit, "graded_on": audit.submitted_at, "moderated_on": audit.moderated_at,
            "locked_on": audit.locked_at}  # fmt: skip


def _locked_page(request, audit: Audit, template: str = "audits/locked.html", context=None) -> HttpResponse:
    """What a locked audit's answering pages show: nothing can change (a change sent is refused,
    409, and nothing is saved)."""
    status = 409 if request.method == "POST" else 200
    return render(request, template, _lock_context(audit) | (context or {}), status=status)


@require_GET
def audit_index(request):
    user = request.user
    require(sees_audit_pages(user))
    status = request.GET.get("status", "")
    audits = audit_list(user, status=status if status in Audit.Status.values else "",
                        mine=request.GET.get("mine") == "1")  # fmt: skip
    context = {"page": Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page")), "status": status,
               "statuses": Audit.Status.choices, "is_auditor": is_auditor(user), "mine": request.GET.get("mine"),
               "programmes": list(programmes_of(user)[:12]) if is_auditor(user) else []}  # fmt: skip
    return render(request, "audits/index.html", context)


@require_http_methods(["GET", "POST"])
def programme_new(request):
    require(is_auditor(request.user))
    form = ProgrammeForm(request.POST or None, initial={"month": timezone.localdate().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{programme.name} created")
            return redirect("audit-programme", pk=programme.pk)
    return render(request, "audits/programme_new.html", {"form": form})


def _programme_context(request, programme, sample_form=None, pick_form=None) -> dict:
    user = request.user
    audits = (programme.audits.filter(not_restricted_from(user, "child"))
              .select_related("child", "team", "auditor", "version").order_by("pk"))  # fmt: skip
    return {
        "programme": programme,
        "page": Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page")),
        "sample_form": sample_form or SampleForm(teams=Team.objects.filter(authority_id=user.authority_id),
                                                 auditors=_auditors(user), initial={"size": 5}),
        "pick_form": pick_form or PickForm(auditors=_auditors(user), initial={"auditor": user.pk}),
    }  # fmt: skip


@require_GET
def programme_detail(request, pk):
    programme = programme_for(request.user, pk)
    return render(request, "audits/programme.html", _programme_context(request, programme))


@require_POST
def programme_sample_view(request, pk):
    user = request.user
    programme = programme_for(user, pk)
    form = SampleForm(request.POST, teams=Team.objects.filter(authority_id=user.authority_id), auditors=_auditors(user))
    if form.is_valid():
        try:
            drawn = programme_sample(programme=programme, drawn_by=user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{len(drawn)} case{'s' if len(drawn) != 1 else ''} sampled and assigned")
            return redirect("audit-programme", pk=programme.pk)
    return render(request, "audits/programme.html", _programme_context(request, programme, sample_form=form),
                  status=400)  # fmt: skip


@require_POST
def programme_pick(request, pk):
    user = request.user
    programme = programme_for(user, pk)
    form = PickForm(request.POST, auditors=_auditors(user))
    if form.is_valid():
        child = children_search(user, text=form.cleaned_data["reference"]).first()
        case = child and Case.objects.filter(child=child).order_by("closed_at", "-opened_at").first()
        if case is None:
            form.add_error("reference", "No child with that ID has a case you can audit")
        else:
            try:
                audit_assign(assigned_by=user, case=case, auditor=form.cleaned_data["auditor"], programme=programme)
            except ValidationError as error:
                show_errors(form, error, field_for={"case": "reference"})
            else:
                messages.success(request, f"{child.full_name}'s case added to the programme")
                return redirect("audit-programme", pk=programme.pk)
    return render(request, "audits/programme.html", _programme_context(request, programme, pick_form=form),
                  status=400)  # fmt: skip


def _section_progress(audit: Audit) -> list[dict]:
    """Each chosen section with how many of its items are answered (one query)."""
    counts: dict[str, list[int]] = {}
    for code, answer in audit.responses.filter(included=True).values_list("item__section__code", "answer"):
        done_total = counts.setdefault(code, [0, 0])
        done_total[1] += 1
        done_total[0] += bool(answer)
    sections = audit.version.sections.filter(code__in=audit.section_codes)
    return [{"section": s, "done": counts.get(s.code, [0, 0])[0], "total": counts.get(s.code, [0, 0])[1]}
            for s in sections]  # fmt: skip


@require_GET
@logs_access(_audit_of)
def audit_detail(request, pk, subject):
    audit, user = subject, request.user
    actions = audit.actions.select_related("owner").order_by("due_on", "pk")
    responder = may_respond_as(user, audit)
    context = {
        "audit": audit,
        "is_auditor": audit.auditor_id == user.pk,
        "may_moderate": (audit.status == Audit.Status.SUBMITTED and is_auditor(user, audit.authority_id)
                         and user.pk != audit.auditor_id),
        "may_lock": audit.status == Audit.Status.MODERATED and user.pk in (audit.auditor_id, audit.moderator_id),
        "may_act": not audit.is_locked and audit.status != Audit.Status.ASSIGNED
                   and user.pk in (audit.auditor_id, audit.moderator_id),
        "respond_form": RespondForm() if responder and audit.status in (Audit.Status.SUBMITTED,
                                                                         Audit.Status.MODERATED) else None,
        "responder": responder,
        "sections": _section_progress(audit) if audit.status != Audit.Status.ASSIGNED else [],
        "actions": actions,
        "findings": reports.audit_findings(audit) if audit.submitted_at else None,
        "reassign_form": ReassignForm(auditors=_auditors(user), initial={"auditor": audit.auditor_id})
        if is_auditor(user, audit.authority_id) and audit.status in (Audit.Status.ASSIGNED, Audit.Status.IN_PROGRESS)
        else None,
    }  # fmt: skip
    return render(request, "audits/detail.html", context)


@require_POST
def audit_reassign_view(request, pk):
    audit = audit_for(request.user, pk)
    require(is_auditor(request.user, audit.authority_id))
    form = ReassignForm(request.POST, auditors=_auditors(request.user))
    if not form.is_valid():
        messages.error(request, "Choose a quality assurance auditor in your authority")
        return redirect("audit", pk=audit.pk)
    try:
        audit_reassign(audit=audit, by=request.user, auditor=form.cleaned_data["auditor"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The audit is now assigned to {form.cleaned_data['auditor']}")
    return redirect("audit", pk=audit.pk)


@require_POST
def audit_start_view(request, pk):
    audit = audit_for(request.user, pk)
    require(audit.auditor_id == request.user.pk)
    try:
        audit_start(audit=audit, auditor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("audit", pk=audit.pk)


@require_http_methods(["GET", "POST"])
def audit_sections(request, pk):
    audit, stopped = _running(request, pk)
    if stopped:
        return stopped
    period = AuditPeriod.of(audit)
    tags = case_tags(audit.case, period)
    matched = {s.code for s in sections_for_case(audit.version, tags)}
    form = SectionsForm(request.POST or None, version=audit.version, matched=matched,
                        initial={"sections": audit.section_codes})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            audit_sections_set(audit=audit, auditor=request.user, section_codes=form.cleaned_data["sections"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Sections updated")
            return redirect("audit", pk=audit.pk)
    shown = ", ".join(TAG_LABELS.get(tag, tag) for tag in sorted(tags))
    return render(request, "audits/sections.html", {"audit": audit, "form": form, "tags": shown,
                                                    "period": period})


@require_http_methods(["GET", "POST"])
def audit_section(request, pk, code):
    audit = audit_for(request.user, pk)
    if audit.status == Audit.Status.ASSIGNED:
        return _not_started(request, audit)
    if code not in audit.section_codes:
        raise Http404("That section is not part of this audit")
    section = get_object_or_404(TemplateSection, version=audit.version, code=code)
    responses = list(AuditResponse.objects.filter(audit=audit, item__section=section, included=True)
                     .select_related("item").order_by("item__order"))  # fmt: skip
    source = f"{audit.version.template.source_document}, {section.title}"
    if audit.status != Audit.Status.IN_PROGRESS:
        return _locked_page(request, audit, "audits/section_locked.html",
                            {"section": section, "responses": responses, "source": source,
                             "child_url": reverse("child", args=[audit.child_id])})  # fmt: skip
    require(audit.auditor_id == request.user.pk)
    form = AnswersForm(request.POST or None, version=audit.version, responses=responses)
    if request.method == "POST" and form.is_valid():
        try:
            audit_answer(audit=audit, auditor=request.user, answers=form.answers())
            if request.POST.get("rest") == "not_applicable":
                audit_mark_rest_not_applicable(audit=audit, auditor=request.user, section_code=code)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{section.title}: answers saved")
            following = audit.section_codes[audit.section_codes.index(code) + 1:]
            if following and request.POST.get("next"):
                return redirect("audit-section", pk=audit.pk, code=following[0])
            return redirect("audit", pk=audit.pk)
    context = {"audit": audit, "section": section, "form": form, "source": source,
               "period": AuditPeriod.of(audit), "child_url": reverse("child", args=[audit.child_id])}  # fmt: skip
    return render(request, "audits/section.html", context)


@require_http_methods(["GET", "POST"])
def audit_grade(request, pk):
    audit, stopped = _running(request, pk)
    if stopped:
        return stopped
    form = GradeForm(request.POST or None, version=audit.version,
                     initial={"grade": audit.grade, "strengths": audit.strengths, "child_voice": audit.child_voice,
                              "areas_for_development": audit.areas_for_development})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            audit_submit(audit=audit, auditor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Audit graded: it now goes to a second auditor to moderate")
            return redirect("audit", pk=audit.pk)
    return render(request, "audits/grade.html", {"audit": audit, "form": form})


@require_http_methods(["GET", "POST"])
def audit_action_new(request, pk):
    audit = audit_for(request.user, pk)
    require(request.user.pk in (audit.auditor_id, audit.moderator_id) and not audit.is_locked)
    owners = action_owners(audit)
    # Listed as action_owners orders them: the child's allocated worker first, and chosen.
    order = DbCase(*[When(pk=owner.pk, then=Value(index)) for index, owner in enumerate(owners)],
                   default=Value(len(owners)))  # fmt: skip
    form = ActionForm(request.POST or None, owners=User.objects.filter(pk__in=[o.pk for o in owners]).order_by(order),
                      initial={"owner": owners[0].pk if owners else None})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            audit_action_add(audit=audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Action set for {form.cleaned_data['owner']}")
            return redirect("audit", pk=audit.pk)
    return render(request, "audits/action_new.html", {"audit": audit, "form": form})


@require_POST
def audit_respond_view(request, pk):
    audit = audit_for(request.user, pk)
    require(may_respond_as(request.user, audit) is not None)
    form = RespondForm(request.POST)
    form.is_valid()
    try:
        audit_respond(audit=audit, by=request.user, text=form.cleaned_data.get("response", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your response is saved")
    return redirect("audit", pk=audit.pk)


@require_http_methods(["GET", "POST"])
def audit_moderate_view(request, pk):
    audit = audit_for(request.user, pk)
    require(is_auditor(request.user, audit.authority_id) and request.user.pk != audit.auditor_id)
    if audit.status != Audit.Status.SUBMITTED:
        raise Http404("This audit is not awaiting moderation")
    form = ModerateForm(request.POST or None, version=audit.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit_moderate(audit=audit, moderator=request.user, agree=data["decision"] == "agree",
                           grade=data["grade"], reason=data["reason"])  # fmt: skip
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Moderation recorded")
            return redirect("audit", pk=audit.pk)
    return render(request, "audits/moderate.html", {"audit": audit, "form": form})


@require_POST
def audit_lock_view(request, pk):
    audit = audit_for(request.user, pk)
    require(request.user.pk in (audit.auditor_id, audit.moderator_id))
    try:
        audit_lock(audit=audit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The audit is complete and locked")
    return redirect("audit", pk=audit.pk)


@require_GET
@logs_access(_audit_of)
def audit_pdf(request, pk, subject):
    audit = subject
    context = {"audit": audit, "findings": reports.audit_findings(audit),
               "responses": reports.responses_by_section(audit),
               "actions": audit.actions.select_related("owner").order_by("due_on", "pk")}  # fmt: skip
    name = f"audit-{audit.child.reference}-{timezone.localdate(audit.assigned_at):%Y-%m-%d}.pdf"
    return pdf_response(request, "audits/print.html", context, name)


def _action_for(user, pk) -> AuditAction:
    """The action, for its owner or anyone who reads its audit; 404 for everyone else."""
    actions = AuditAction.objects.filter(not_restricted_from(user, "audit__child"), authority_id=user.authority_id)
    action = get_object_or_404(actions.select_related("audit__child", "owner", "item"), pk=pk)
    if action.owner_id != user.pk:
        audit_for(user, action.audit_id)
    return action


@require_http_methods(["GET", "POST"])
def audit_action(request, pk):
    action = _action_for(request.user, pk)
    is_owner = action.owner_id == request.user.pk
    form = DoneForm(request.POST or None) if is_owner and action.status == AuditAction.Status.OPEN else None
    if request.method == "POST":
        require(form is not None)
        if form.is_valid():
            try:
                audit_action_done(action=action, by=request.user, note=form.cleaned_data["done_note"])
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Action marked done")
                return redirect("audit-action", pk=action.pk)
    sees_audit = is_owner is False or _reads(request.user, action.audit_id)
    context = {"action": action, "form": form, "audit_url": reverse("audit", args=[action.audit_id]) if sees_audit
               else None}  # fmt: skip
    return render(request, "audits/action.html", context)


def _reads(user, audit_pk) -> bool:
    try:
        audit_for(user, audit_pk)
    except Http404:
        return False
    return True


def _report_scope(request):
    user = request.user
    require(sees_audit_pages(user))
    teams = reports.report_teams(user)
    form = ReportFilterForm(request.GET or None, teams=teams)
    data = form.cleaned_data if form.is_valid() else {}
    return form, reports.Period.from_dates(data.get("start"), data.get("end")), data.get("team"), teams


@require_GET
def audit_reports(request):
    form, period, team, teams = _report_scope(request)
    results = reports.results(request.user, period=period, team=team)
    return render(request, "audits/reports.html", {"form": form, "period": period, "results": results,
                                                   "query": request.GET.urlencode()})  # fmt: skip


@require_GET
def audit_reports_csv(request):
    _form, period, team, _teams = _report_scope(request)
    return reports.csv_response(request.user, period=period, team=team)


@require_GET
def templates_index(request):
    user = request.user
    require(has_role(user, Role.QA_AUDITOR, Role.AUTHORITY_ADMIN))
    template = AuditTemplate.objects.filter(authority_id=user.authority_id).first()
    version = current_version(user.authority) if template else None
    sections = list(version.sections.all()) if version else []
    counts = dict(TemplateItem.objects.filter(version=version).values_list("section_id").annotate(n=Count("pk")))
    context = {"template": template, "version": version, "versions": template.versions.all() if template else [],
               "sections": [(s, counts.get(s.pk, 0)) for s in sections],
               "is_admin": has_role(user, Role.AUTHORITY_ADMIN)}  # fmt: skip
    return render(request, "audits/templates.html", context)


@require_GET
def template_section(request, pk):
    user = request.user
    require(has_role(user, Role.QA_AUDITOR, Role.AUTHORITY_ADMIN))
    section = get_object_or_404(TemplateSection.objects.select_related("version__template"), pk=pk,
                                version__template__authority_id=user.authority_id)  # fmt: skip
    page = Paginator(section.items.all(), 50).get_page(request.GET.get("page"))
    return render(request, "audits/template_section.html", {"section": section, "page": page,
                                                            "is_admin": has_role(user, Role.AUTHORITY_ADMIN)})


@require_http_methods(["GET", "POST"])
def template_item_edit(request, pk):
    user = request.user
    require(has_role(user, Role.AUTHORITY_ADMIN))
    item = get_object_or_404(TemplateItem.objects.select_related("version__template", "section"), pk=pk,
                             version__template__authority_id=user.authority_id)  # fmt: skip
    form = ItemEditForm(request.POST or None, initial={"text": item.text, "timescale": item.timescale})
    if request.method == "POST" and form.is_valid():
        try:
            version = template_item_revise(admin=user, item=item, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{item.code} changed: version {version.number} is now in use")
            return redirect("audit-templates")
    return render(request, "audits/item_edit.html", {"item": item, "form": form})

