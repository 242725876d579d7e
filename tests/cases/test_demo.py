import pytest
from django.core.management import call_command

from cases.demo import DEMO_AUTHORITIES, DEMO_PASSWORD
from cases.models import Authority, RoleAssignment, Team, User
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
