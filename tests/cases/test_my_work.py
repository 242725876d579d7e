import pytest

from cases.roles import Role
from tests.factories import RoleAssignmentFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


def test_my_work_shows_name_role_and_team(client, social_worker):
    client.force_login(social_worker)
    body = client.get("/").content.decode()
    assert '<h1 class="govuk-heading-l">My work</h1>' in body
    assert "Sam Okafor" in body
    assert "Social worker in Assessment team" in body
    assert "London Borough of Barnet" in body


@pytest.mark.parametrize("role", list(Role))
def test_every_role_can_open_my_work(client, user_of_each_role, role):
    client.force_login(user_of_each_role[role])
    response = client.get("/")
    assert response.status_code == 200
    assert Role(role).label in response.content.decode()


def test_admin_link_only_for_authority_admins(client, user_of_each_role):
    for role, user in user_of_each_role.items():
        client.force_login(user)
        body = client.get("/").content.decode()
        assert ('href="/admin/"' in body) == (role == Role.AUTHORITY_ADMIN), role


def test_newly_qualified_start_is_shown(client, team):
    from datetime import date

    worker = staff(Role.SOCIAL_WORKER, team=team, newly_qualified=True, newly_qualified_from=date(2026, 9, 1))
    client.force_login(worker)
    assert "Since 1 September 2026" in client.get("/").content.decode()


@pytest.mark.parametrize("extra_roles", [0, 20])
def test_my_work_query_count_does_not_grow_with_roles(
    client, social_worker, django_assert_max_num_queries, extra_roles
):
    for _ in range(extra_roles):
        RoleAssignmentFactory(user=social_worker, team=TeamFactory(authority=social_worker.authority))
    client.force_login(social_worker)
    client.get("/")  # the process's caches (content types) are warm, as on a running server
    # Session, user, roles, caseload, its statuses, the bell's unread count, one per My work panel
    # other apps add (returned assessments, awaiting sign-off, visits to write up, actions from
    # supervision, actions from case audits, actions from plans, actions from visits), and for the
    # three counts the authority with its alert settings, its calendar's revision and one count.
    with django_assert_max_num_queries(18):
        assert client.get("/").status_code == 200


def test_accessibility_statement_is_public(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "WCAG" in response.content.decode()


def test_unknown_page_is_a_govuk_404(client, social_worker):
    client.force_login(social_worker)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_pages_send_a_strict_content_security_policy(client, social_worker):
    client.force_login(social_worker)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
