"""Writing audits: the programme (cases picked or sampled, assigned to auditors), running an
audit (sections by the case's tags, system checks pre-answered, answers with evidence, overrides
with a reason), the grade, actions on the ledger, the worker's and manager's responses,
moderation by a second auditor, and the lock. A locked audit refuses every change here.

Template edits by an authority admin make a new version: an audit keeps the version it began on."""

import random
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.dates import LATEST, date_in_range
from cases.models import Case, Deadline, LegalStatus, Team, User
from cases.roles import Role
from cases.selectors.children import AUTHORITY_WIDE, children_visible_to, not_restricted_from
from cases.selectors.people import has_role, teams_managed_by
from cases.services.deadlines import deadline_meet, deadline_open_agreed
from cases.services.writes import locked, save_as

from .checks import Record, check_for
from .loading import version_as_data, version_fill
from .models import (
    Answer,
    Audit,
    AuditAction,
    AuditProgramme,
    AuditResponse,
    AuditTemplate,
    TemplateItem,
    TemplateVersion,
)
from .period import AuditPeriod
from .tags import case_tags, items_for, sections_for_case

ACTION_KEY = "audit_action"
LOCKED_MESSAGE = "This audit is complete and locked: it cannot be changed"
# Statuses a sample may be drawn by (the child in need, child protection, looked after, care leaver).
SAMPLE_STATUSES = {
    LegalStatus.Kind.CHILD_IN_NEED: "Child in need",
    LegalStatus.Kind.CHILD_PROTECTION: "Child protection",
    LegalStatus.Kind.LOOKED_AFTER: "Looked after",
    LegalStatus.Kind.CARE_LEAVER: "Care leaver",
}


def is_auditor(user, authority_id: int | None = None) -> bool:
    return has_role(user, Role.QA_AUDITOR) and (authority_id is None or user.authority_id == authority_id)


def current_version(authority) -> TemplateVersion | None:
    return (
        TemplateVersion.objects.filter(template__authority=authority, status=TemplateVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def _require_auditor(user, authority_id: int) -> None:
    if not is_auditor(user, authority_id):
        raise PermissionDenied


def _locked_for_update(audit: Audit) -> Audit:
    """The audit, locked for this transaction; a complete (locked) audit refuses every change."""
    fresh = locked(Audit, pk=audit.pk, related=["version", "case__child", "authority"])
    if fresh.is_locked:
        raise ValidationError(LOCKED_MESSAGE)
    return fresh


def _save(record, by: User, **kwargs) -> None:
    record.full_clean()
    save_as(record, by, **kwargs)


@transaction.atomic
def programme_create(*, created_by: User, month: date | None, name: str = "") -> AuditProgramme:
    _require_auditor(created_by, created_by.authority_id)
    if month is None:
        raise ValidationError({"month": "Enter the month the audits are for"})
    month = month.replace(day=1)
    programme = AuditProgramme(authority_id=created_by.authority_id, month=month, created_by=created_by,
                               name=(name or "").strip() or f"Case audits, {month:%B %Y}")  # fmt: skip
    _save(programme, created_by)
    return programme


@transaction.atomic
def audit_assign(*, assigned_by: User, case: Case, auditor: User, programme: AuditProgramme | None = None) -> Audit:
    """Pick a case to audit and give it to an auditor (the picker themselves, or a colleague)."""
    _require_auditor(assigned_by, case.authority_id)
    if not children_visible_to(assigned_by).filter(pk=case.child_id).exists():
        raise PermissionDenied
    (audit,) = _new_audits(assigned_by=assigned_by, cases=[case], auditors=[auditor], programme=programme)
    if programme is not None and Audit.objects.filter(case=case, programme=programme).exists():
        raise ValidationError({"case": f"{case.child} is already in this programme"})
    _save(audit, assigned_by)
    return audit


def _new_audits(*, assigned_by: User, cases: list[Case], auditors: list[User],
                programme: AuditProgramme | None) -> list[Audit]:  # fmt: skip
    """Unsaved audits of these cases (all of one authority), given to the auditors in turn, once
    the auditors, the programme and the authority's template are checked."""
    authority = cases[0].authority
    for auditor in {auditor.pk: auditor for auditor in auditors}.values():
        if not is_auditor(auditor, authority.pk):
            raise ValidationError({"auditor": "Choose a quality assurance auditor in your authority"})
    if programme is not None and programme.authority_id != authority.pk:
        raise PermissionDenied
    version = current_version(authority)
    if version is None:
        raise ValidationError({"case": "Your authority has no audit template loaded"})
    return [Audit(authority_id=case.authority_id, programme=programme, version=version, case=case,
                  child_id=case.child_id, team_id=case.team_id, worker_id=case.worker_id,
                  auditor=auditors[index % len(auditors)], assigned_by=assigned_by)
            for index, case in enumerate(cases)]  # fmt: skip


def sample_candidates(user, *, team: Team | None = None, status: str = ""):
    """Open cases of the authority the auditor may see, in a team and with a status if chosen."""
    cases = Case.objects.filter(authority_id=user.authority_id, closed_at__isnull=True)
    if has_role(user, *AUTHORITY_WIDE):
        # Every child of the authority bar the few restricted from this user: read through the
        # restricted children alone, not by joining each open case to its child.
        cases = cases.filter(not_restricted_from(user, "child"))
    else:
        cases = cases.filter(child__in=children_visible_to(user))
    if team is not None:
        cases = cases.filter(team=team)
    if status:
        cases = cases.filter(statuses__kind=status, statuses__ended_on__isnull=True).distinct()
    return cases.order_by("pk")


@transaction.atomic
def programme_sample(*, programme: AuditProgramme, drawn_by: User, size: int | None, auditors: list[User],
                     team: Team | None = None, status: str = "", seed: int | None = None) -> list[Audit]:  # fmt: skip
    """Draw a random sample of open cases (by team and status) into the month's programme, shared
    among the auditors in turn. Cases already in the programme are not drawn again."""
    _require_auditor(drawn_by, programme.authority_id)
    errors = {}
    if not size or size < 1:
        errors["size"] = "Enter how many cases to sample, 1 or more"
    elif size > 50:
        errors["size"] = "Sample at most 50 cases at a time"
    if status and status not in SAMPLE_STATUSES:
        errors["status"] = "Choose a status from the list"
    if team is not None and team.authority_id != programme.authority_id:
        errors["team"] = "Choose a team in your authority"
    if not auditors:
        errors["auditors"] = "Choose at least one auditor"
    if errors:
        raise ValidationError(errors)
    already = Audit.objects.filter(programme=programme).values_list("case_id", flat=True)
    # Drawn from the ids alone: a large authority has thousands of open cases and only the few
    # drawn are loaded.
    pool = list(sample_candidates(drawn_by, team=team, status=status).exclude(pk__in=already)
                .values_list("pk", flat=True))  # fmt: skip
    if not pool:
        raise ValidationError({"size": "No open cases match: choose another team or status"})
    # A fair draw, not a secret: a seed makes a sample repeatable in tests.
    drawn = random.Random(seed).sample(pool, min(size, len(pool)))  # noqa: S311
    cases = Case.objects.select_related("child", "authority").in_bulk(drawn)
    audits = _new_audits(assigned_by=drawn_by, cases=[cases[pk] for pk in drawn], auditors=auditors,
                         programme=programme)  # fmt: skip
    # The pool holds only open cases of the authority the drawer may see that the programme does
    # not hold yet, and the references come from rows just read: checking each again would cost a
    # query per reference per audit.
    for audit in audits:
        audit.full_clean(exclude=DRAWN_REFERENCES)
    return bulk_create_with_history(audits, Audit, default_user=drawn_by)


DRAWN_REFERENCES = ["authority", "programme", "version", "case", "child", "team", "worker", "auditor", "assigned_by"]


def _option_for(version: TemplateVersion, item: TemplateItem, answer: str) -> str:
    for option in version.options(item.response_set):
        if option["counts_as"] == answer:
            return option["value"]
    return ""


def _prefill(audit: Audit, items, period: AuditPeriod) -> None:
    """A response row for each item, the system checks answered from the record of the period,
    with the records they read."""
    existing = set(audit.responses.values_list("item_id", flat=True))
    record = Record(audit.case, period)
    rows = []
    for item in items:
        if item.pk in existing:
            continue
        response = AuditResponse(audit=audit, item=item)
        check = check_for(item.code)
        result = check(record) if check is not None else None
        if result is not None:
            response.system_answer, response.system_evidence = result.answer, result.evidence
            response.system_sources = result.sources_data()
            response.answer, response.option = result.answer, _option_for(audit.version, item, result.answer)
        rows.append(response)
    AuditResponse.objects.bulk_create(rows)


@transaction.atomic
def audit_start(*, audit: Audit, auditor: User) -> Audit:
    """The auditor opens the audit: the audit period is set (the last year of the case), the
    sections and items that match the child's history in it are chosen, and the items the record
    can answer are pre-answered with the evidence."""
    audit = _locked_for_update(audit)
    if audit.auditor_id != auditor.pk:
        raise PermissionDenied
    if audit.status != Audit.Status.ASSIGNED:
        return audit
    period = AuditPeriod.for_case(audit.case, timezone.localdate())
    tags = case_tags(audit.case, period)
    sections = sections_for_case(audit.version, tags)
    audit.section_codes = [section.code for section in sections]
    audit.period_start, audit.period_end = period.start, period.end
    audit.status, audit.started_at = Audit.Status.IN_PROGRESS, timezone.now()
    _save(audit, auditor)
    _prefill(audit, items_for(sections, tags), period)
    return audit


def _require_running(audit: Audit, auditor: User) -> None:
    if audit.auditor_id != auditor.pk:
        raise PermissionDenied
    if audit.status != Audit.Status.IN_PROGRESS:
        raise ValidationError("Only an audit in progress can be changed this way")


@transaction.atomic
def audit_sections_set(*, audit: Audit, auditor: User, section_codes: list[str]) -> Audit:
    """Add or drop sections. Answers in a dropped section are kept (nothing written is deleted)
    and count again if it is added back."""
    audit = _locked_for_update(audit)
    _require_running(audit, auditor)
    known = {section.code: section for section in audit.version.sections.all()}
    chosen = [code for code in known if code in set(section_codes or [])]
    if not chosen:
        raise ValidationError({"sections": "Choose at least one section to audit"})
    if set(section_codes) - set(known):
        raise ValidationError({"sections": "Choose sections from this template"})
    audit.section_codes = chosen
    _save(audit, auditor)
    period = AuditPeriod.of(audit)
    items = items_for([known[code] for code in chosen], case_tags(audit.case, period))
    _prefill(audit, items, period)
    audit.responses.update(included=False)
    audit.responses.filter(item__in=items).update(included=True)
    return audit


@transaction.atomic
def audit_answer(*, audit: Audit, auditor: User, answers: dict[int, dict]) -> Audit:
    """Record answers: {item id: {"option", "evidence", "override_reason"}}. An answer that
    differs from the system check needs a reason; every answer is checked before any is saved."""
    audit = _locked_for_update(audit)
    _require_running(audit, auditor)
    responses = {r.item_id: r for r in audit.responses.select_related("item").filter(item_id__in=list(answers))}
    errors, now = {}, timezone.now()
    for item_id, given in answers.items():
        response = responses.get(item_id)
        if response is None:
            raise ValidationError("That item is not part of this audit")
        options = {o["value"]: o["counts_as"] for o in audit.version.options(response.item.response_set)}
        option = (given.get("option") or "").strip()
        evidence = (given.get("evidence") or "").strip()
        reason = (given.get("override_reason") or "").strip()
        if not option:
            if evidence and not response.answer:
                errors[f"option_{item_id}"] = f"Choose an answer for “{response.item.short_text}”"
            elif evidence:
                response.evidence, response.answered_by, response.answered_at = evidence, auditor, now
            continue
        if option not in options:
            errors[f"option_{item_id}"] = f"Choose one of the answers offered for “{response.item.short_text}”"
            continue
        answer = options[option]
        if response.system_answer and answer != response.system_answer and not reason:
            errors[f"override_{item_id}"] = (f"Give the reason you differ from the system check for "
                                              f"“{response.item.short_text}”")  # fmt: skip
            continue
        response.option, response.answer, response.evidence = option, answer, evidence
        response.override_reason = reason if response.system_answer and answer != response.system_answer else ""
        response.answered_by, response.answered_at = auditor, now
    if errors:
        raise ValidationError(errors)
    for response in responses.values():
        save_as(response, auditor)
    return audit


@transaction.atomic
def audit_mark_rest_not_applicable(*, audit: Audit, auditor: User, section_code: str) -> int:
    """Answer every unanswered item of one section "not applicable" (long sections where most
    items do not fit the case). Returns how many were answered."""
    audit = _locked_for_update(audit)
    _require_running(audit, auditor)
    if section_code not in audit.section_codes:
        raise ValidationError("That section is not part of this audit")
    pending = list(audit.responses.select_related("item").filter(item__section__code=section_code, answer=""))
    for response in pending:
        response.answer = Answer.NOT_APPLICABLE
        response.option = _option_for(audit.version, response.item, Answer.NOT_APPLICABLE)
        response.answered_by, response.answered_at = auditor, timezone.now()
        save_as(response, auditor)
    return len(pending)


def audit_responses(audit: Audit):
    """The responses of the sections being audited, in template order."""
    return audit.responses.filter(included=True).select_related("item__section")


@transaction.atomic
def audit_submit(*, audit: Audit, auditor: User, grade: str, strengths: str, areas_for_development: str,
                 child_voice: str = "") -> Audit:  # fmt: skip
    """The overall grade on the authority's scale, with strengths and areas for development. Every
    item of the chosen sections must be answered first."""
    audit = _locked_for_update(audit)
    _require_running(audit, auditor)
    errors = {}
    if grade not in dict(audit.version.grades()):
        errors["grade"] = "Choose the overall grade"
    if not (strengths or "").strip():
        errors["strengths"] = "Enter the strengths you found"
    if not (areas_for_development or "").strip():
        errors["areas_for_development"] = "Enter the areas for development"
    unanswered = audit_responses(audit).filter(answer="").count()
    if unanswered:
        errors["__all__"] = f"Answer every item first: {unanswered} not answered yet"
    if errors:
        raise ValidationError(errors)
    audit.grade, audit.strengths = grade, strengths.strip()
    audit.areas_for_development, audit.child_voice = areas_for_development.strip(), (child_voice or "").strip()
    audit.status, audit.submitted_at = Audit.Status.SUBMITTED, timezone.now()
    _save(audit, auditor)
    return audit


def action_owners(audit: Audit) -> list[User]:
    """Who an action may be given to: the child's allocated worker first (the default), the worker
    when the audit was set up if the case has moved on since, then the managers of the team."""
    owners = User.objects.filter(is_active=True, authority_id=audit.authority_id,
                                 role_assignments__role=Role.TEAM_MANAGER,
                                 role_assignments__team_id=audit.team_id)  # fmt: skip
    people = list(owners.distinct().order_by("full_name"))
    for worker in (audit.worker, audit.case.worker):
        if worker is not None and worker.is_active:
            if worker in people:
                people.remove(worker)
            people.insert(0, worker)
    return people


@transaction.atomic
def audit_action_add(*, audit: Audit, by: User, what: str, owner: User | None, due_on: date | None,
                     item: TemplateItem | None = None) -> AuditAction:  # fmt: skip
    """An action for the worker or a manager with an agreed date: a deadline on the ledger for the
    owner, so it shows on their My work and in their digest."""
    audit = _locked_for_update(audit)
    if not (audit.auditor_id == by.pk or (audit.moderator_id == by.pk)):
        raise PermissionDenied
    if audit.status == Audit.Status.ASSIGNED:
        raise ValidationError("Start the audit before setting actions")
    errors = {}
    if not (what or "").strip():
        errors["what"] = "Enter what is to be done"
    if owner is None or owner not in action_owners(audit):
        errors["owner"] = "Choose the worker or a manager of the team"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due by"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The due date must be today or later"
    elif not date_in_range(due_on):
        errors["due_on"] = f"The due date must be before {LATEST.year + 1}"
    if item is not None and item.version_id != audit.version_id:
        errors["item"] = "Choose an item of this audit"
    if errors:
        raise ValidationError(errors)
    action = AuditAction(audit=audit, authority_id=audit.authority_id, item=item, what=what.strip(), owner=owner,
                         due_on=due_on, created_by=by)  # fmt: skip
    _save(action, by)
    case = audit.case
    deadline_open_agreed(authority=audit.authority, key=ACTION_KEY, subject=action, due_on=due_on,
                         what=f"Action from a case audit: {action.what}", agreed_at=action.created_at,
                         team=case.team, assignee=owner, case=case)  # fmt: skip
    return action


def _action_deadline(action: AuditAction) -> Deadline | None:
    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(AuditAction), subject_id=action.pk,
                                   key=ACTION_KEY, status=Deadline.Status.OPEN).first()  # fmt: skip


@transaction.atomic
def audit_action_done(*, action: AuditAction, by: User, note: str) -> AuditAction:
    """The owner says the action is done. The follow-up outlives the audit's lock: the action is the
    owner's to close, and closing it meets its deadline (late if after the agreed date)."""
    action = locked(AuditAction, pk=action.pk)
    if action.owner_id != by.pk:
        raise PermissionDenied
    if action.status == AuditAction.Status.DONE:
        raise ValidationError({"done_note": "This action is already done"})
    if not (note or "").strip():
        raise ValidationError({"done_note": "Say what was done"})
    action.status, action.done_note, action.done_at = AuditAction.Status.DONE, note.strip(), timezone.now()
    _save(action, by)
    deadline = _action_deadline(action)
    if deadline is not None:
        deadline_meet(deadline=deadline, met_at=action.done_at)
    return action


def may_respond_as(user, audit: Audit) -> str | None:
    """"worker" for the audited worker, "manager" for a manager of the audited team."""
    if audit.worker_id == user.pk:
        return "worker"
    if audit.team_id in {team.pk for team in teams_managed_by(user)}:
        return "manager"
    return None


@transaction.atomic
def audit_respond(*, audit: Audit, by: User, text: str) -> Audit:
    """The worker's or the manager's written response to the findings, before the audit is locked."""
    audit = _locked_for_update(audit)
    role = may_respond_as(by, audit)
    if role is None:
        raise PermissionDenied
    if audit.status not in (Audit.Status.SUBMITTED, Audit.Status.MODERATED):
        raise ValidationError("The audit can be responded to once it is graded")
    if not (text or "").strip():
        raise ValidationError({"response": "Enter your response"})
    if role == "worker":
        audit.worker_response, audit.worker_responded_at = text.strip(), timezone.now()
    else:
        audit.manager_response, audit.manager_responded_at = text.strip(), timezone.now()
        audit.manager_responded_by = by
    _save(audit, by)
    return audit


@transaction.atomic
def audit_moderate(*, audit: Audit, moderator: User, agree: bool, grade: str = "", reason: str = "") -> Audit:
    """A second auditor (never the one who graded) agrees the grade or changes it with a reason."""
    audit = _locked_for_update(audit)
    _require_auditor(moderator, audit.authority_id)
    if moderator.pk == audit.auditor_id:
        raise PermissionDenied("A second auditor moderates: not the one who graded the audit")
    if audit.status != Audit.Status.SUBMITTED:
        raise ValidationError("Only a graded audit awaiting moderation can be moderated")
    reason = (reason or "").strip()
    if agree:
        audit.moderated_grade = ""
    else:
        errors = {}
        if grade not in dict(audit.version.grades()):
            errors["grade"] = "Choose the grade you are changing it to"
        elif grade == audit.grade:
            errors["grade"] = "Choose a different grade, or agree the auditor's grade"
        if not reason:
            errors["reason"] = "Give the reason for changing the grade"
        if errors:
            raise ValidationError(errors)
        audit.moderated_grade = grade
    audit.moderator, audit.moderation_reason, audit.moderated_at = moderator, reason, timezone.now()
    audit.status = Audit.Status.MODERATED
    _save(audit, moderator)
    return audit


@transaction.atomic
def audit_lock(*, audit: Audit, by: User) -> Audit:
    """Complete the audit: nothing in it changes after this."""
    audit = _locked_for_update(audit)
    if by.pk not in (audit.auditor_id, audit.moderator_id):
        raise PermissionDenied
    if audit.status != Audit.Status.MODERATED:
        raise ValidationError("An audit is completed once it has been moderated")
    audit.status, audit.locked_at, audit.locked_by = Audit.Status.COMPLETE, timezone.now(), by
    _save(audit, by)
    return audit


@transaction.atomic
def audit_reassign(*, audit: Audit, by: User, auditor: User) -> Audit:
    audit = _locked_for_update(audit)
    _require_auditor(by, audit.authority_id)
    if not is_auditor(auditor, audit.authority_id):
        raise ValidationError({"auditor": "Choose a quality assurance auditor in your authority"})
    if audit.status not in (Audit.Status.ASSIGNED, Audit.Status.IN_PROGRESS):
        raise ValidationError("A graded audit keeps its auditor")
    audit.auditor = auditor
    _save(audit, by)
    return audit


@transaction.atomic
def template_item_revise(*, admin: User, item: TemplateItem, text: str, timescale: str, change_note: str
                         ) -> TemplateVersion:  # fmt: skip
    """An authority admin rewords an item: a new version of the whole template (the one in use is
    retired, never changed), so every audit keeps the wording it was answered on."""
    template = locked(AuditTemplate, pk=item.version.template_id)
    if not has_role(admin, Role.AUTHORITY_ADMIN) or admin.authority_id != template.authority_id:
        raise PermissionDenied
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Enter what the auditor checks"
    if not (change_note or "").strip():
        errors["change_note"] = "Say what changed and why"
    if item.version.status != TemplateVersion.Status.PUBLISHED:
        errors["__all__"] = "This version has been replaced: edit the version in use"
    if errors:
        raise ValidationError(errors)
    old = item.version
    data = version_as_data(old)
    for section in data:
        for row in section["items"]:
            if row["code"] == item.code:
                row["text"], row["timescale"] = text.strip(), (timescale or "").strip()
    number = template.versions.order_by("-number").values_list("number", flat=True).first() + 1
    old.status = TemplateVersion.Status.RETIRED
    _save(old, admin)
    version = TemplateVersion(template=template, number=number, source_edition=old.source_edition,
                              grade_scale=old.grade_scale, response_sets=old.response_sets, created_by=admin,
                              change_note=f"{item.code}: {change_note.strip()}",
                              content_hash=old.content_hash)  # fmt: skip
    _save(version, admin)
    version_fill(version, data)
    return version
