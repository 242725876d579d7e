"""Shared set-up for the audit tests: templates loaded, and an audit on a case at each stage."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from audits.models import Audit
from audits.services import (
    audit_answer,
    audit_assign,
    audit_mark_rest_not_applicable,
    audit_moderate,
    audit_start,
    audit_submit,
)
from cases.roles import Role
from tests.factories import staff


def load_templates(*slugs) -> None:
    call_command("load_audit_templates", *slugs, stdout=open("/dev/null", "w"))  # noqa: SIM115


def second_auditor(people):
    return people.setdefault("second_auditor", staff(Role.QA_AUDITOR, authority=people[Role.QA_AUDITOR].authority))


def started(people, case) -> Audit:
    load_templates(case.authority.slug)
    auditor = people[Role.QA_AUDITOR]
    audit = audit_assign(assigned_by=auditor, case=case, auditor=auditor)
    return audit_start(audit=audit, auditor=auditor)


def answered(people, case) -> Audit:
    audit = started(people, case)
    for code in audit.section_codes:
        audit_mark_rest_not_applicable(audit=audit, auditor=people[Role.QA_AUDITOR], section_code=code)
    return audit


def submitted(people, case, grade="good") -> Audit:
    audit = answered(people, case)
    return audit_submit(audit=audit, auditor=people[Role.QA_AUDITOR], grade=grade, strengths="Knows the child well",
                        areas_for_development="Update the chronology", child_voice="Zoë's words are recorded")


def moderated(people, case) -> Audit:
    audit = submitted(people, case)
    return audit_moderate(audit=audit, moderator=second_auditor(people), agree=True)


def due_in(days: int):
    return timezone.localdate() + timedelta(days=days)


def answer_all(audit, auditor, option="met"):
    return audit_answer(audit=audit, auditor=auditor, answers={
        r.item_id: {"option": option} for r in audit.responses.all() if not r.system_answer
    })
