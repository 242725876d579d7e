"""In-app alerts: deadlines newly overdue, sign-offs submitted, returned and approved; the bell in
the header and the notifications page, for every role."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Authority, Notification
from cases.roles import Role
from cases.selectors.alerts import unread_count
from cases.services.alerts import notify, overdue_alerts_raise
from tests.cases.alerts_world import NOW, build_world, deadline, end_of
from tests.factories import ASSESSMENT_SECTIONS, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(leeds):
    return build_world(leeds, Authority.objects.get(slug="york"))


def texts(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("text", flat=True))


# --- Newly overdue deadlines -----------------------------------------------------------------------


def test_a_deadline_gone_overdue_alerts_its_assignee_once(world):
    with time_machine.travel(NOW, tick=False):
        raised = overdue_alerts_raise()
        assert overdue_alerts_raise() == 0
    # Amy's and Rita's for Wendy; Carl's (October) and York's went overdue more than a week ago and are
    # left to the digests.
    assert raised == 2
    assert texts(world.worker) == [
        "Amy Archer: The child is seen on the first assessment visit was due 6 November 2026 23:59",
        "Rita Restricted: The child is seen on the first assessment visit was due 9 November 2026 23:59",
    ]
    assert not Notification.objects.filter(user__in=[world.outsider, world.other_worker]).exists()


def test_the_alert_job_runs_as_a_command_too(world):
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        deadline(world.carl, due_at=end_of(11), assignee=world.other_worker, team=world.support)
        out = __import__("io").StringIO()
        call_command("raise_overdue_alerts", stdout=out)
    assert out.getvalue().strip().endswith("alerts raised")
    assert any(text.startswith("Carl Cole") for text in texts(world.other_worker))


def test_while_nobody_holds_it_the_teams_managers_hear_but_only_of_children_they_may_see(world):
    deadline(world.amy, due_at=end_of(10), assignee=None, team=world.duty, key="assessment_allocation")
    deadline(world.rita, due_at=end_of(10), assignee=None, team=world.duty, key="assessment_allocation")
    with time_machine.travel(NOW, tick=False):
        overdue_alerts_raise()
    assert texts(world.manager) == ["Amy Archer: The assessment is given to a named social worker was due "
                                    "10 November 2026 23:59"]  # fmt: skip
    assert not Notification.objects.filter(user=world.other_manager).exists()


def test_a_notification_about_a_record_restricted_later_stops_showing(world, client):
    with time_machine.travel(NOW, tick=False):
        overdue_alerts_raise()
    assert unread_count(world.worker) == 2
    world.amy.restricted = True
    world.amy.save()
    world.amy.restricted_to.add(world.manager)
    assert unread_count(world.worker) == 1
    client.force_login(world.worker)
    body = client.get("/notifications/").content.decode()
    assert "Rita Restricted" in body and "Amy Archer" not in body
    hidden = Notification.objects.get(user=world.worker, child=world.amy)
    assert client.get(f"/notifications/{hidden.pk}/").status_code == 404


def test_notify_skips_people_who_may_not_see_the_child(world):
    created = notify(users=[world.worker, world.other_worker, world.outsider, world.service_manager],
                     kind=Notification.Kind.RETURNED, text="x", child=world.rita)  # fmt: skip
    assert [n.user for n in created] == [world.worker]


# --- Sign-off ------------------------------------------------------------------------------------


@pytest.fixture
def submitted(people, case):
    from assessments.services.assessments import assessment_save, assessment_start, assessment_submit

    worker = people[Role.SOCIAL_WORKER]
    assessment = assessment_start(case=case, started_by=worker)
    assessment = assessment_save(assessment=assessment, saved_by=worker, version=assessment.version,
                                 **ASSESSMENT_SECTIONS | {"child_views": "I like school", "analysis": "Needs are met"},
                                 outcome="nfa", factors=["21"])  # fmt: skip
    return assessment_submit(assessment=assessment, submitted_by=worker)


def test_a_submission_tells_the_teams_manager_and_nobody_else(people, submitted):
    manager, worker = people[Role.TEAM_MANAGER], people[Role.SOCIAL_WORKER]
    assert texts(manager) == [f"Zoë Brontë's assessment is awaiting your sign-off, from {worker.full_name}"]
    note = Notification.objects.get(user=manager)
    assert note.kind == Notification.Kind.AWAITING_SIGN_OFF and note.url == f"/assessments/{submitted.pk}/"
    assert Notification.objects.count() == 1


def test_a_return_and_an_approval_tell_the_worker(people, submitted):
    from assessments.services.assessments import assessment_approve, assessment_return, assessment_submit

    manager, worker = people[Role.TEAM_MANAGER], people[Role.SOCIAL_WORKER]
    assessment_return(assessment=submitted, manager=manager, reasons="Say more about school")
    assessment_submit(assessment=submitted, submitted_by=worker)
    assessment_approve(assessment=submitted, manager=manager, view="Agreed")
    assert [n.kind for n in Notification.objects.filter(user=worker).order_by("pk")] == ["returned", "approved"]
    assert texts(worker)[0] == f"Zoë Brontë's assessment was approved by {manager.full_name}"
    assert Notification.objects.filter(user=manager).count() == 2  # both submissions


def test_a_refused_transition_notifies_nobody(people, submitted):
    from django.core.exceptions import ValidationError

    from assessments.services.assessments import assessment_return

    with pytest.raises(ValidationError):
        assessment_return(assessment=submitted, manager=people[Role.TEAM_MANAGER], reasons=" ")
    assert not Notification.objects.filter(user=people[Role.SOCIAL_WORKER]).exists()


# --- The bell and the page -------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_the_bell_and_the_page(client, people, role):
    user = people[role]
    notify(users=[user], kind=Notification.Kind.OVERDUE, text=f"Something for {role}", url="/")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert 'href="/notifications/"' in body and '1<span class="govuk-visually-hidden"> unread</span>' in body
    page = client.get("/notifications/").content.decode()
    assert f"Something for {role}" in page and "Mark all as read" in page


def test_nobody_sees_anothers_notifications(client, people, leeds):
    mine, theirs = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    york_worker = staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york"))
    (other,) = notify(users=[theirs], kind=Notification.Kind.OVERDUE, text="For the manager only", url="/")
    (far,) = notify(users=[york_worker], kind=Notification.Kind.OVERDUE, text="For York only", url="/")
    client.force_login(mine)
    assert "For the manager only" not in client.get("/notifications/").content.decode()
    for note in (other, far):
        assert client.get(f"/notifications/{note.pk}/").status_code == 404
        assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_it(client, people):
    user = people[Role.SOCIAL_WORKER]
    (note,) = notify(users=[user], kind=Notification.Kind.OVERDUE, text="Go", url="/timescales/")
    (outside,) = notify(users=[user], kind=Notification.Kind.OVERDUE, text="Away", url="https://evil.example/")
    client.force_login(user)
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/timescales/"
    assert client.get(f"/notifications/{outside.pk}/")["Location"] == "/notifications/"
    assert unread_count(user) == 0


def test_mark_one_and_mark_all_as_read(client, people):
    user = people[Role.SOCIAL_WORKER]
    first, *_ = [notify(users=[user], kind="overdue", text=text)[0] for text in "abc"]
    client.force_login(user)
    assert client.get(f"/notifications/{first.pk}/read/").status_code == 405
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    assert unread_count(user) == 2
    response = client.post("/notifications/read/", follow=True)
    assert "2 notifications marked as read" in response.content.decode()
    assert unread_count(user) == 0
    assert "casework-bell__count" not in client.get("/").content.decode()


def test_the_bell_costs_one_query_and_none_for_someone_signed_out(client, people):
    user = people[Role.SOCIAL_WORKER]
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(user) == 0
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/sign-in/").content.decode()
    assert "casework-bell" not in body
    assert not any("cases_notification" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_notifications_page_has_a_bounded_query_count(client, people, extra, django_assert_max_num_queries):
    user = people[Role.SOCIAL_WORKER]
    for n in range(extra):
        notify(users=[user], kind=Notification.Kind.OVERDUE, text=f"Note {n}", url="/")
    client.force_login(user)
    client.get("/notifications/")
    # Session, user, roles, the bell, the page's count and rows, the session's stamp (in a savepoint).
    with django_assert_max_num_queries(10):
        assert client.get("/notifications/").status_code == 200
