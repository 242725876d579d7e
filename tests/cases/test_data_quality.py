"""The data-quality list: which open children lack something the returns need, for the managers
who can get it recorded, by team and worker."""

import pytest

from cases.codes import Ethnicity
from cases.roles import Role
from tests.factories import TeamFactory, allocate_new_child, staff

pytestmark = pytest.mark.django_db


def test_a_manager_sees_which_children_lack_a_field_and_where_to_record_it(client, people, leeds):
    unknown = allocate_new_child(people, leeds, first_name="Nia", last_name="Okafor", ethnicity=Ethnicity.NOBT)
    allocate_new_child(people, leeds, first_name="Sam", last_name="Ward", ethnicity=Ethnicity.WBRI)
    client.force_login(people[Role.TEAM_MANAGER])
    summary = client.get("/data-quality/").content.decode()
    assert 'href="/data-quality/ethnicity/"' in summary and "Ethnicity" in summary
    page = client.get("/data-quality/ethnicity/").content.decode()
    assert "Nia Okafor" in page and "Sam Ward" not in page
    assert f'href="/children/{unknown.pk}/details/change/"' in page
    assert people[Role.SOCIAL_WORKER].full_name in page  # the worker who can record it


def test_other_teams_other_authorities_and_restricted_children_are_left_out(client, people, leeds, other_authority):
    elsewhere = TeamFactory(authority=leeds, name="Children looked after")
    their_people = {role: staff(role, authority=leeds, team=elsewhere) for role in Role} | {"team": elsewhere}
    allocate_new_child(their_people, leeds, first_name="Other", last_name="Team", ethnicity=Ethnicity.NOBT)
    hidden = allocate_new_child(people, leeds, first_name="Hidden", last_name="Child", ethnicity=Ethnicity.NOBT)
    hidden.restricted = True
    hidden.save()
    far_team = TeamFactory(authority=other_authority)
    outside = {role: staff(role, authority=other_authority, team=far_team) for role in Role} | {"team": far_team}
    allocate_new_child(outside, other_authority, first_name="Far", last_name="Away", ethnicity=Ethnicity.NOBT)
    client.force_login(people[Role.TEAM_MANAGER])
    page = client.get("/data-quality/ethnicity/").content.decode()
    assert "Other Team" not in page and "Hidden Child" not in page and "Far Away" not in page
    client.force_login(people[Role.SERVICE_MANAGER])
    page = client.get("/data-quality/ethnicity/").content.decode()
    assert "Other Team" in page and "Hidden Child" not in page and "Far Away" not in page


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_and_service_managers_see_it(client, people, role):
    client.force_login(people[role])
    allowed = role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    for path in ("/data-quality/", "/data-quality/ethnicity/"):
        assert client.get(path).status_code == (200 if allowed else 403), path
    assert ('href="/data-quality/"' in client.get("/").content.decode()) == allowed
    if allowed:
        assert client.get("/data-quality/no-such-thing/").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/data-quality/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize("path", ["/data-quality/", "/data-quality/ethnicity/"])
def test_a_bounded_query_count_at_two_sizes(client, people, leeds, path, django_assert_max_num_queries):
    client.force_login(people[Role.SERVICE_MANAGER])
    client.get(path)
    for extra in (1, 12):
        for n in range(extra):
            allocate_new_child(people, leeds, first_name=f"Child{n}", ethnicity=Ethnicity.NOBT)
        # Session, user, roles, the bell, teams, then one count per needed field (the summary; the
        # placement details and the review participation added two) or the count, the page and the
        # by-worker counts (a field's list).
        with django_assert_max_num_queries(16):
            assert client.get(path).status_code == 200
