"""Supervision pages for every role: the overview, recording a session through the form (as
without JavaScript), the session's record with its private wellbeing, the worker's signature,
the child's record and management oversight."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Authority, Deadline
from cases.roles import Role
from supervision.models import SupervisionSession
from supervision.services import supervision_record
from tests.factories import TeamFactory, allocate_new_child, staff
from tests.queries import page_query_counts
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db


def recorded(people, case):
    discussed = {"case": case, "discussion": "Settled at school", "decisions": "Keep going"}
    return supervision_record(supervisor=people[Role.TEAM_MANAGER], worker=people[Role.SOCIAL_WORKER],
                              held_at=timezone.now() - timedelta(hours=1), kind="formal", wellbeing="Private worry",
                              discussions=[discussed])  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_every_supervision_page_for_every_role(client, people, case, role):
    session = recorded(people, case)
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    manages = role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    expected = {
        "/supervision/": 200 if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER) else 403,
        f"/supervision/new/{people[Role.SOCIAL_WORKER].pk}/": 200 if manages else 403,
        # The worker, their supervisor and the supervisor's managers; for anyone else it does not exist.
        f"/supervision/sessions/{session.pk}/": 200 if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER,
                                                                Role.SERVICE_MANAGER) else 404,
        f"/children/{case.child_id}/supervision/": 200 if sees else 404,
        f"/cases/{case.pk}/oversight/new/": 200 if manages else 403 if sees else 404,
    }  # fmt: skip
    assert {path: client.get(path).status_code for path in expected} == expected


def test_wellbeing_is_private_and_the_child_record_shows_only_the_discussion(client, people, case, leeds):
    session = recorded(people, case)
    colleague = staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"])
    client.force_login(colleague)
    assert client.get(f"/supervision/sessions/{session.pk}/").status_code == 404
    client.force_login(people[Role.QA_AUDITOR])
    child_page = client.get(f"/children/{case.child_id}/supervision/").content.decode()
    assert "Settled at school" in child_page and "Private worry" not in child_page
    client.force_login(staff(Role.SERVICE_MANAGER, authority=Authority.objects.get(slug="york")))
    assert client.get(f"/supervision/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/children/{case.child_id}/supervision/").status_code == 404


def test_a_restricted_childs_discussion_shows_only_to_those_named_on_the_record(client, people, case):
    """The supervisor, not named on the child's restricted record, reads the session but not the
    child's name, discussion or decisions; the worker, named on it, reads them all."""
    session = recorded(people, case)
    child = case.child
    child.restricted = True
    child.save(update_fields=["restricted"])
    child.restricted_to.set([people[Role.SOCIAL_WORKER]])
    client.force_login(people[Role.TEAM_MANAGER])
    assert client.get(f"/children/{child.pk}/").status_code == 404
    page = client.get(f"/supervision/sessions/{session.pk}/").content.decode()
    assert child.first_name not in page and "Settled at school" not in page and "Keep going" not in page
    assert "1 other case discussed is on a restricted record" in page
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/supervision/sessions/{session.pk}/").content.decode()
    assert child.first_name in page and "Settled at school" in page


def test_a_manager_records_a_session_through_the_form_and_the_worker_signs(client, people, case, leeds):
    second = allocate_new_child(people, leeds, first_name="Amir").cases.get()
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    client.force_login(manager)
    today, due = timezone.localdate(), timezone.localdate() + timedelta(days=14)
    form = {"kind": "formal", "held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year,
            "held_time": "00:01", "wellbeing": "Managing well",
            f"discussion_{case.pk}": "Zoë's school place", f"decisions_{case.pk}": "Apply for a new school",
            f"action_{case.pk}": "Visit the school", f"action_by_{case.pk}_0": due.day,
            f"action_by_{case.pk}_1": due.month, f"action_by_{case.pk}_2": due.year,
            f"discussion_{second.pk}": "Amir's health", f"decisions_{second.pk}": "Chase the dentist"}  # fmt: skip
    refused = client.post(f"/supervision/new/{worker.pk}/", form | {f"decisions_{second.pk}": ""})
    assert "Enter the discussion and the decisions for Amir" in refused.content.decode()
    assert not SupervisionSession.objects.exists()
    response = client.post(f"/supervision/new/{worker.pk}/", form)
    session = SupervisionSession.objects.get()
    assert response.status_code == 302 and session.discussions.count() == 2
    for child_id in (case.child_id, second.child_id):
        assert "Decisions:" in client.get(f"/children/{child_id}/supervision/").content.decode()
    client.force_login(worker)
    assert "Visit the school" in client.get("/").content.decode()  # the action on My work
    client.post(f"/supervision/sessions/{session.pk}/sign/", {"comment": "Agreed."})
    session.refresh_from_db()
    assert session.worker_signed_at and session.worker_comment == "Agreed."
    assert Deadline.objects.filter(key="supervision_interval", status="open", subject_id=worker.pk).exists()


def test_oversight_through_the_page_with_bad_input(client, people, case):
    client.force_login(people[Role.TEAM_MANAGER])
    refused = client.post(f"/cases/{case.pk}/oversight/new/", {"decision": "Step down", "rationale": ""})
    assert "Enter the rationale for the decision" in refused.content.decode()
    client.post(f"/cases/{case.pk}/oversight/new/", {"decision": "Step down", "rationale": "Risks reduced"})
    assert "Risks reduced" in client.get(f"/children/{case.child_id}/supervision/").content.decode()


def test_pages_have_bounded_queries(client, people, case, leeds, django_assert_max_num_queries):
    recorded(people, case)
    client.force_login(people[Role.TEAM_MANAGER])
    paths = ["/supervision/", f"/children/{case.child_id}/supervision/",
             f"/supervision/sessions/{SupervisionSession.objects.get().pk}/"]  # fmt: skip

    def counts():
        return page_query_counts(client, paths, django_assert_max_num_queries)

    small = counts()
    for index in range(4):
        worker = staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"])
        other = allocate_new_child(people | {Role.SOCIAL_WORKER: worker}, leeds, first_name=f"C{index}").cases.get()
        supervision_record(supervisor=people[Role.TEAM_MANAGER], worker=worker, kind="formal",
                           held_at=timezone.now() - timedelta(hours=1),
                           discussions=[{"case": other, "discussion": "a", "decisions": "b"}])  # fmt: skip
    team_of_other = TeamFactory(authority=leeds)
    staff(Role.SOCIAL_WORKER, authority=leeds, team=team_of_other)
    assert counts() == small


def test_a_service_managers_lists_are_paginated_each_on_its_own(client, people, leeds):
    for index in range(30):
        worker = staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"], full_name=f"Worker {index:02}")
        allocate_new_child(people | {Role.SOCIAL_WORKER: worker}, leeds, first_name=f"Child{index:02}")
    client.force_login(people[Role.SERVICE_MANAGER])
    first = client.get("/supervision/").content.decode()
    assert "Worker 00" in team_table(first) and "Worker 29" not in team_table(first)
    assert 'href="?team_page=2"' in first and 'href="?children_page=2"' in first
    second = client.get("/supervision/?team_page=2").content.decode()
    assert "Worker 29" in team_table(second) and "Worker 00" not in team_table(second)
    children = client.get("/supervision/?children_page=2").content.decode()
    assert "Worker 00" in team_table(children)  # the other list keeps its own page


def team_table(page: str) -> str:
    return page.split('id="team-supervision"')[1].split("</table>")[0]
