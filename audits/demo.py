"""Demo audits: in every authority with a template, the QA auditor's programme for this month has
one completed audit (graded, an action for the social worker on My work, the worker's and
manager's responses, moderated by a second auditor, locked) and one sampled case waiting to be
audited. A second auditor (`second-qa-auditor@<slug>.casework.test`) exists to moderate."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases.demo import DEMO_PASSWORD
from cases.models import Case, RoleAssignment, User
from cases.roles import Role

from .loading import audit_templates_load
from .models import AuditProgramme
from .services import (
    audit_action_add,
    audit_assign,
    audit_lock,
    audit_mark_rest_not_applicable,
    audit_moderate,
    audit_respond,
    audit_start,
    audit_submit,
    current_version,
    programme_create,
    programme_sample,
)

SECOND_AUDITOR = "Daniel Osei"


def second_auditor_email(slug: str) -> str:
    return f"second-qa-auditor@{slug}.casework.test"


def _second_auditor(authority) -> User:
    email = second_auditor_email(authority.slug)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, authority=authority, full_name=SECOND_AUDITOR)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.QA_AUDITOR, team=None)
    return user


@transaction.atomic
def seed_demo_audits(authority, staff) -> None:
    if current_version(authority) is None:
        audit_templates_load(slugs={authority.slug})
    if current_version(authority) is None or AuditProgramme.objects.filter(authority=authority).exists():
        return
    auditor, worker, manager = staff[Role.QA_AUDITOR], staff[Role.SOCIAL_WORKER], staff[Role.TEAM_MANAGER]
    moderator = _second_auditor(authority)
    held = Case.objects.filter(authority=authority, worker=worker, closed_at=None)
    case = held.filter(child__first_name="Ethan").first() or held.order_by("pk").first()
    if case is None:
        return
    programme = programme_create(created_by=auditor, month=timezone.localdate())
    audit = audit_start(audit=audit_assign(assigned_by=auditor, case=case, auditor=auditor, programme=programme),
                        auditor=auditor)  # fmt: skip
    for code in audit.section_codes:
        audit_mark_rest_not_applicable(audit=audit, auditor=auditor, section_code=code)
    audit = audit_submit(audit=audit, auditor=auditor, grade="good",
                         strengths="The worker knows the child well; visits are purposeful and recorded promptly.",
                         areas_for_development="The chronology lists events without analysing their impact.",
                         child_voice="The child's own words about school appear in the last two visit records.")
    audit_action_add(audit=audit, by=auditor, what="Add an analysis of the last six months to the chronology",
                     owner=worker, due_on=timezone.localdate() + timedelta(days=14))  # fmt: skip
    audit_respond(audit=audit, by=worker, text="Agreed: I will add the analysis before the next review.")
    audit_respond(audit=audit, by=manager, text="We will check the chronology in supervision next month.")
    audit = audit_moderate(audit=audit, moderator=moderator, agree=True)
    audit_lock(audit=audit, by=moderator)
    programme_sample(programme=programme, drawn_by=auditor, size=1, auditors=[auditor], seed=8)
