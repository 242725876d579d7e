import pytest
from django.core.management import call_command

from cases.demo import DEMO_AUTHORITIES, DEMO_PASSWORD
from cases.demo_children import DEMO_CHILDREN
from cases.models import Authority, Case, Child, Deadline, Referral, RoleAssignment, Team, User
from cases.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_complete(capsys):
    call_command("seed_demo")
    counts = (
        Authority.objects.count(),
        Team.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        Authority.objects.count(),
        Team.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    )
    assert {a.slug for a in Authority.objects.all()} == {slug for slug, _ in DEMO_AUTHORITIES}
    for authority in Authority.objects.all():
        assert authority.teams.count() == 2
        held = set(RoleAssignment.objects.filter(user__authority=authority).values_list("role", flat=True))
        assert held == set(Role.values), authority.slug
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    assert "social-worker@barnet.casework.test" in printed


def test_every_demo_user_can_sign_in(client):
    call_command("seed_demo", quiet_logins=True)
    for user in User.objects.all():
        response = client.post("/sign-in/", {"username": user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.email
        assert client.get("/").status_code == 200
        client.post("/sign-out/")


def test_demo_has_a_newly_qualified_worker_per_authority():
    call_command("seed_demo", quiet_logins=True)
    assert User.objects.filter(newly_qualified=True, newly_qualified_from__isnull=False).count() == len(
        DEMO_AUTHORITIES
    )


def test_every_demo_authority_has_children_at_every_stage_with_its_own_deadlines():
    call_command("seed_demo", quiet_logins=True)
    call_command("seed_demo", quiet_logins=True)
    for authority in Authority.objects.all():
        # and planning's care leaver, Jordan Price, with his pathway plan
        assert Child.objects.filter(authority=authority).count() == len(DEMO_CHILDREN) + 1, authority.slug
        assert Referral.objects.filter(authority=authority, decision="").count() == 4  # incl. a re-referral
        assert Referral.objects.filter(authority=authority).exclude(rereferral_of=None).count() == 1
        assert Case.objects.filter(authority=authority, worker=None, closed_at=None).count() == 1
        assert Case.objects.filter(authority=authority, closed_at__isnull=False).count() == 1
        assert Child.objects.filter(authority=authority, restricted=True).count() == 1
    # Wiltshire decides a child-protection referral within 2 hours; York gives 1 working day.
    cp = {"cp_referral"}
    wiltshire = Deadline.objects.get(authority__slug="wiltshire", key="contact_decision", conditions=sorted(cp),
                                     status="open")
    assert wiltshire.rule == "2 hours"
    york = Deadline.objects.filter(authority__slug="york", key="child_seen_after_allocation").first()
    assert york.rule == "5 working_days" and york.assignee.email == "social-worker@york.casework.test"


def test_every_demo_authority_has_an_assessment_awaiting_its_manager():
    from assessments.models import Assessment

    call_command("seed_demo", quiet_logins=True)
    call_command("seed_demo", quiet_logins=True)
    for authority in Authority.objects.all():
        waiting = Assessment.objects.get(authority=authority, status="submitted")
        assert waiting.case.team.name == "Assessment team" and waiting.child.first_name == "Ethan"
        assert Assessment.objects.filter(authority=authority, status="draft").count() == 1


def test_every_demo_authority_has_a_section_47_enquiry_under_way():
    from assessments.enquiry_models import Section47Enquiry, StrategyDiscussion

    call_command("load_authorities", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", quiet_logins=True)
    call_command("seed_demo", quiet_logins=True)
    for authority in Authority.objects.all():
        discussion = StrategyDiscussion.objects.get(authority=authority)
        assert discussion.child.first_name == "Ruby" and discussion.decision == "s47"
        enquiry = Section47Enquiry.objects.get(strategy_discussion=discussion)
        assert enquiry.child_seen_at and not enquiry.outcome
        # The clocks the enquiry runs on are each authority's own: at least the conference clock is open.
        assert Deadline.objects.filter(child=discussion.child, key="icpc", status="open").exists()
