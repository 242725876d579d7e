"""A user of one authority sees nothing of another: in the admin, in selectors, anywhere."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import User
from cases.roles import Role
from cases.selectors import teams_visible_to, users_visible_to
from cases.services import access_log_record
from tests.factories import TeamFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(other_authority):
    return UserFactory(authority=other_authority, full_name="Olivia Otherplace", email="olivia@york.test")


@pytest.fixture
def stranger_team(other_authority):
    return TeamFactory(authority=other_authority, name="York looked-after team")


def test_admin_lists_only_own_authority(client, authority_admin, social_worker, stranger, stranger_team):
    client.force_login(authority_admin)
    users = client.get("/admin/cases/user/").content.decode()
    assert social_worker.full_name in users
    assert "Olivia Otherplace" not in users
    teams = client.get("/admin/cases/team/").content.decode()
    assert "York looked-after team" not in teams
    authorities = client.get("/admin/cases/authority/").content.decode()
    assert "City of York Council" not in authorities


@pytest.mark.parametrize(
    "url",
    [
        "/admin/cases/user/{stranger}/change/",
        "/admin/cases/user/{stranger}/history/",
        "/admin/cases/team/{team}/change/",
        "/admin/cases/team/{team}/history/",
        "/admin/cases/authority/{authority}/change/",
    ],
)
def test_admin_other_authority_records_are_404(client, authority_admin, stranger, stranger_team, url):
    client.force_login(authority_admin)
    url = url.format(stranger=stranger.pk, team=stranger_team.pk, authority=stranger_team.authority_id)
    assert client.get(url).status_code == 404


def test_admin_cannot_move_a_user_into_another_authority(client, authority_admin, other_authority):
    client.force_login(authority_admin)
    response = client.post(
        "/admin/cases/user/add/",
        {
            "email": "new.worker@barnet.test",
            "full_name": "New Worker",
            "authority": other_authority.pk,
            "password1": "a-long-enough-passphrase-2026",
            "password2": "a-long-enough-passphrase-2026",
            "usable_password": "true",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email="new.worker@barnet.test").exists()


def test_admin_creates_a_user_in_own_authority(client, authority_admin, authority):
    client.force_login(authority_admin)
    response = client.post(
        "/admin/cases/user/add/",
        {
            "email": "new.worker@barnet.test",
            "full_name": "New Worker",
            "authority": authority.pk,
            "password1": "a-long-enough-passphrase-2026",
            "password2": "a-long-enough-passphrase-2026",
            "usable_password": "true",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="new.worker@barnet.test")
    assert created.authority == authority
    assert created.history.count() == 1


def test_team_choices_in_the_admin_are_own_authority_only(client, authority_admin, team, stranger_team):
    client.force_login(authority_admin)
    body = client.get(f"/admin/cases/user/{authority_admin.pk}/change/").content.decode()
    assert "Assessment team" in body
    assert "York looked-after team" not in body


def test_nothing_is_deleted_from_the_admin(client, authority_admin, social_worker):
    client.force_login(authority_admin)
    assert client.get(f"/admin/cases/user/{social_worker.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=social_worker.pk).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.AUTHORITY_ADMIN])
def test_other_roles_cannot_use_the_admin(client, authority, team, role):
    user = staff(role, authority=authority, team=team, is_staff=True)
    client.force_login(user)
    assert client.get("/admin/cases/user/").status_code == 403


def test_superuser_sees_every_authority(client, social_worker, stranger):
    root = User.objects.create_superuser("root@casework.test", "a-long-enough-passphrase", full_name="Root")
    client.force_login(root)
    body = client.get("/admin/cases/user/").content.decode()
    assert social_worker.full_name in body and "Olivia Otherplace" in body


def test_selectors_start_from_the_users_authority(social_worker, stranger, stranger_team, team):
    assert stranger_team not in teams_visible_to(social_worker)
    assert team in teams_visible_to(social_worker)
    assert stranger not in users_visible_to(social_worker)


def test_access_log_refuses_another_authoritys_record(social_worker, stranger_team):
    with pytest.raises(ValidationError):
        access_log_record(user=social_worker, subject=stranger_team, path="/")
