"""The demo: in every authority with a template, the QA auditor's programme holds a completed,
moderated and locked audit whose action is on the social worker's My work, and a sampled case
that the auditor can audit in full through the pages on their own authority's template."""

import pytest
from django.core.management import call_command

from audits.demo import second_auditor_email
from audits.models import Audit, AuditProgramme
from cases.demo import demo_email
from cases.models import Deadline, User
from cases.roles import Role

pytestmark = pytest.mark.django_db

SHIPPED = ["barnet", "st-helens", "leeds", "wiltshire", "york"]


def test_every_demo_auditor_runs_a_full_audit_on_their_own_template(client, timescales_loaded):
    call_command("seed_demo", quiet_logins=True)
    call_command("seed_demo", quiet_logins=True)  # idempotent
    assert not AuditProgramme.objects.filter(authority__slug="england").exists()
    for slug in SHIPPED:
        auditor = User.objects.get(email=demo_email(Role.QA_AUDITOR, slug))
        worker = User.objects.get(email=demo_email(Role.SOCIAL_WORKER, slug))
        assert AuditProgramme.objects.filter(authority__slug=slug).count() == 1
        done = Audit.objects.get(authority__slug=slug, status=Audit.Status.COMPLETE)
        assert done.moderator.email == second_auditor_email(slug) and done.version.template.authority.slug == slug
        assert Deadline.objects.filter(key="audit_action", assignee=worker, status="open").exists()
        client.force_login(worker)
        assert "Actions from case audits" in client.get("/").content.decode()

        client.force_login(auditor)
        assert client.get(f"/audits/{done.pk}/report.pdf").status_code == 200
        audit = Audit.objects.get(authority__slug=slug, status=Audit.Status.ASSIGNED)
        client.post(f"/audits/{audit.pk}/start/")
        audit.refresh_from_db()
        assert audit.status == Audit.Status.IN_PROGRESS and audit.section_codes, slug
        for code in audit.section_codes:
            assert client.get(f"/audits/{audit.pk}/sections/{code}/").status_code == 200, (slug, code)
            client.post(f"/audits/{audit.pk}/sections/{code}/", {"rest": "not_applicable"})
        client.post(f"/audits/{audit.pk}/grade/", {"grade": "good", "strengths": "Thorough",
                                                   "areas_for_development": "Plans"})  # fmt: skip
        audit.refresh_from_db()
        assert audit.status == Audit.Status.SUBMITTED, slug
        assert not audit.responses.filter(included=True, answer="").exists()
