"""The quick-start demo (`make run`): every authority's staff, children at every stage, and the
records each app adds, seeded once for this module because a full seed takes about 40 seconds.

Each test runs in its own transaction over the seeded data, so nothing one test does reaches
another. The module's tests stay together on one pytest-xdist process (`--dist loadfile`)."""

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command

from audits.demo import second_auditor_email
from audits.models import Audit, AuditProgramme
from cases.demo import DEMO_AUTHORITIES, DEMO_PASSWORD, demo_email
from cases.demo_children import DEMO_CHILDREN
from cases.models import Authority, Case, Child, Deadline, Referral, RoleAssignment, User
from cases.roles import Role
from tests.cases.test_digests import email_to, send_all
from tests.support import demo_seeded

pytestmark = pytest.mark.django_db

DEMO_APPS = ("cases", "assessments", "planning", "visits", "supervision", "audits")
SHIPPED = ["barnet", "st-helens", "leeds", "wiltshire", "york"]


@pytest.fixture(scope="module", autouse=True)
def demo(request, django_db_setup, django_db_blocker):
    with demo_seeded(request.node, django_db_blocker):
        yield


def demo_rows() -> dict[str, int]:
    """How many rows every model the demo writes holds, history included."""
    return {
        model._meta.label: model.objects.count()
        for app in DEMO_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label != "cases.AccessLog"
    }


def test_seeding_again_changes_nothing_and_prints_the_logins(capsys):
    before = demo_rows()
    call_command("seed_demo")
    assert demo_rows() == before
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    assert "social-worker@barnet.casework.test" in printed


def test_every_authority_has_two_teams_and_every_role():
    assert {a.slug for a in Authority.objects.all()} == {slug for slug, _ in DEMO_AUTHORITIES}
    for authority in Authority.objects.all():
        assert authority.teams.count() == 2
        held = set(RoleAssignment.objects.filter(user__authority=authority).values_list("role", flat=True))
        assert held == set(Role.values), authority.slug
    assert User.objects.filter(newly_qualified=True, newly_qualified_from__isnull=False).count() == len(
        DEMO_AUTHORITIES
    )


def test_every_demo_user_can_sign_in(client):
    for user in User.objects.all():
        response = client.post("/sign-in/", {"username": user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.email
        assert client.get("/").status_code == 200
        client.post("/sign-out/")


def test_every_demo_authority_has_children_at_every_stage_with_its_own_deadlines():
    for authority in Authority.objects.all():
        # and planning's Jordan Price, 16, Amira Hassan, privately fostered, Lily Morgan, placed for
        # adoption, and Kayla Brooks, who has left care
        assert Child.objects.filter(authority=authority).count() == len(DEMO_CHILDREN) + 4, authority.slug
        assert Referral.objects.filter(authority=authority, decision="").count() == 4  # incl. a re-referral
        assert Referral.objects.filter(authority=authority).exclude(rereferral_of=None).count() == 1
        assert Case.objects.filter(authority=authority, worker=None, closed_at=None).count() == 1
        assert Case.objects.filter(authority=authority, closed_at__isnull=False).count() == 1
        assert Child.objects.filter(authority=authority, restricted=True).count() == 1
    # Wiltshire decides a child-protection referral within 2 hours; York gives 1 working day.
    wiltshire = Deadline.objects.get(
        authority__slug="wiltshire", key="contact_decision", conditions=["cp_referral"], status="open"
    )
    assert wiltshire.rule == "2 hours"
    york = Deadline.objects.filter(authority__slug="york", key="child_seen_after_allocation").first()
    assert york.rule == "5 working_days" and york.assignee.email == "social-worker@york.casework.test"


def test_every_demo_authority_has_a_care_leaver_with_the_oc3_answers_and_a_liberty_order_in_a_childrens_home():
    """The SSDA903's OC3 table needs a young person who left care around their 18th birthday, and
    its rule 709 a child under a deprivation of liberty order placed where the DfE expects (K2)."""
    from planning.models import CareLeaverContact, DeprivationOfLiberty, Placement

    for authority in Authority.objects.all():
        found = CareLeaverContact.objects.get(authority=authority)
        assert found.child.first_name == "Kayla" and (found.in_touch, found.activity) == ("YES", "F2")
        assert found.case.statuses.get(kind="care_leaver", ended_on=None)
        assert found.case.statuses.get(kind="lac").ended_on == Placement.objects.get(case=found.case).ended_on
        assert Placement.objects.get(case=found.case).end_reason == "E17"
        order = DeprivationOfLiberty.objects.get(authority=authority)
        placed = Placement.objects.get(case=order.case, ended_on=None)
        assert placed.placement_type == "K2" and placed.started_on <= order.started_on


def test_every_demo_authority_has_an_assessment_awaiting_its_manager():
    from assessments.models.assessments import Assessment

    for authority in Authority.objects.all():
        waiting = Assessment.objects.get(authority=authority, status="submitted")
        assert waiting.case.team.name == "Assessment team" and waiting.child.first_name == "Ethan"
        assert Assessment.objects.filter(authority=authority, status="draft").count() == 1


def test_every_demo_authority_has_a_section_47_enquiry_under_way():
    from assessments.models.enquiries import Section47Enquiry, StrategyDiscussion

    for authority in Authority.objects.all():
        first, discussion = StrategyDiscussion.objects.filter(authority=authority).order_by("held_at")
        assert discussion.child.first_name == "Ruby" and discussion.decision == "s47"
        # The enquiry behind her plan ended in the initial conference that started it.
        assert Section47Enquiry.objects.get(strategy_discussion=first).outcome == "icpc"
        enquiry = Section47Enquiry.objects.get(strategy_discussion=discussion)
        assert enquiry.child_seen_at and not enquiry.outcome
        # The clocks the enquiry runs on are each authority's own: at least the conference clock is open.
        assert Deadline.objects.filter(child=discussion.child, key="icpc", status="open").exists()


def test_workers_managers_and_service_managers_each_get_one_digest(client):
    send_all()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # The newly qualified worker's fortnightly supervision falls due within the week where the
    # authority sets that cadence.
    supervised = [f"newly-qualified-social-worker@{slug}.casework.test" for slug in ("barnet", "leeds", "york")]
    # Each QA auditor has an audit to do, where the authority has a checklist (England's demo has none).
    auditors = [f"qa-auditor@{slug}.casework.test" for slug in SHIPPED]
    expected = sorted([f"{role}@{slug}.casework.test" for slug, _ in DEMO_AUTHORITIES
                       for role in ("social-worker", "team-manager", "service-manager")]
                      + supervised + auditors)  # fmt: skip
    assert recipients == expected
    york = email_to("social-worker@york.casework.test").body
    assert "Tyler Evans" in york and "Ethan Doyle" in york and "Noah Fitzgerald" in york  # named on Noah's record
    assert "Noah Fitzgerald" not in email_to("service-manager@york.casework.test").body  # not named on it
    assert "Tyler Evans" in email_to("service-manager@york.casework.test").body  # weeks overdue: escalated
    assert send_all().startswith("0 digests sent") and len(mail.outbox) == len(expected)
    client.force_login(User.objects.get(email="social-worker@york.casework.test"))
    assert '<span class="casework-bell__count">' in client.get("/").content.decode()


def test_every_demo_auditor_runs_a_full_audit_on_their_own_template(client):
    """In every authority with a template, the QA auditor's programme holds a completed, moderated
    and locked audit whose action is on the worker's My work, and a sampled case the auditor can
    audit in full through the pages on their own authority's template."""
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



def test_every_demo_authority_shows_lilys_adoption_clocks():
    """Lily Morgan was placed for adoption four days ago: each authority's own adoption clocks run."""
    expected = {
        "barnet": {"adoption_best_interest_decision": "met", "adoption_match": "met", "adoption_move_in": "met"},
        "st-helens": {"adoption_application_prompt": "open", "adoptive_placement_first_visit": "open"},
        "leeds": {"placement_order_first_review": "cancelled", "placement_order_not_placed_check": "met",
                  "adoptive_placement_first_review": "open"},
        "wiltshire": {"placement_order_first_review": "cancelled", "adoptive_placement_first_review": "open",
                      "adoptive_placement_first_visit": "open"},
        "york": {},
    }
    for slug, keys in expected.items():
        lily = Deadline.objects.filter(authority__slug=slug, child__first_name="Lily", child__last_name="Morgan")
        adoption = {key: status for key, status in lily.values_list("key", "status")
                    if key.startswith(("adopt", "placement_order"))}  # fmt: skip
        assert adoption == keys, slug
