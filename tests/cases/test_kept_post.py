"""Nothing typed is lost to a session that ended: a form posted after it ended is kept, its author
signs in again, and it is saved then (with the version check); anyone else signing in on the same
browser gets nothing. Autosaves and keep-alives are told plainly that the session has ended."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from assessments.models.assessments import Assessment
from assessments.services.assessments import assessment_save, assessment_start
from cases.middleware import LAST_USER_COOKIE
from cases.roles import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(people, case):
    started = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    return assessment_save(assessment=started, saved_by=people[Role.SOCIAL_WORKER], version=started.version,
                           child_views="Started before the visit.")  # fmt: skip


def sign_in(client, user) -> None:
    response = client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content


def the_session_ends() -> None:
    """What the server does when the idle limit passes: the session is gone (the browser still
    holds its cookies, as a phone that slept does)."""
    Session.objects.all().delete()


def draft_post(assessment, text: str, version: int | None = None) -> dict:
    return {"version": version or assessment.version, "child_views": text, "analysis": "", "save": "draft"}


def test_a_draft_saved_after_the_session_ended_is_saved_once_its_author_signs_in_again(client, people, assessment):
    worker = people[Role.SOCIAL_WORKER]
    sign_in(client, worker)
    assert LAST_USER_COOKIE in client.cookies
    the_session_ends()

    response = client.post(f"/assessments/{assessment.pk}/edit/", draft_post(assessment, "Seen alone; she is happy."))

    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")
    page = client.get(response["Location"]).content.decode()
    assert "It has been kept: sign in again and it will be saved" in page
    assessment.refresh_from_db()
    assert assessment.child_views == "Started before the visit."
    sign_in(client, worker)
    back = client.get(f"/assessments/{assessment.pk}/edit/", follow=True)
    assessment.refresh_from_db()
    assert assessment.child_views == "Seen alone; she is happy."
    assert "You were signed out before your text was saved. It was saved at" in back.content.decode()
    # Made again once only: the next visit to the page is an ordinary one.
    client.get(f"/assessments/{assessment.pk}/edit/")
    assert Assessment.objects.get(pk=assessment.pk).version == assessment.version


def test_someone_else_signing_in_on_the_same_browser_gets_nothing(client, people, assessment):
    sign_in(client, people[Role.SOCIAL_WORKER])
    the_session_ends()
    client.post(f"/assessments/{assessment.pk}/edit/", draft_post(assessment, "Not for the manager's eyes yet."))

    sign_in(client, people[Role.TEAM_MANAGER])
    client.get(f"/assessments/{assessment.pk}/edit/")

    assessment.refresh_from_db()
    assert assessment.child_views == "Started before the visit."


def test_a_kept_draft_written_on_an_old_version_is_refused_not_saved_over_a_newer_one(client, people, assessment):
    worker = people[Role.SOCIAL_WORKER]
    sign_in(client, worker)
    opened = assessment.version
    the_session_ends()
    client.post(f"/assessments/{assessment.pk}/edit/", draft_post(assessment, "Written on the phone.", opened))
    assessment_save(assessment=assessment, saved_by=people[Role.TEAM_MANAGER], version=opened,
                    child_views="Added by the manager meanwhile.")  # fmt: skip

    sign_in(client, worker)
    page = client.get(f"/assessments/{assessment.pk}/edit/").content.decode()

    assessment.refresh_from_db()
    assert assessment.child_views == "Added by the manager meanwhile."
    assert "Written on the phone." in page and "Added by the manager meanwhile." in page


def test_signing_out_on_purpose_keeps_nothing(client, people, assessment):
    sign_in(client, people[Role.SOCIAL_WORKER])
    client.post("/sign-out/")
    assert client.cookies[LAST_USER_COOKIE].value == ""

    client.post(f"/assessments/{assessment.pk}/edit/", draft_post(assessment, "Typed after signing out."))

    assert "casework_kept_post" not in client.session
    sign_in(client, people[Role.SOCIAL_WORKER])
    client.get(f"/assessments/{assessment.pk}/edit/")
    assessment.refresh_from_db()
    assert assessment.child_views == "Started before the visit."


def test_a_post_without_its_csrf_token_is_refused_not_kept(people, assessment):
    client = Client(enforce_csrf_checks=True)
    sign_in_page = client.get("/sign-in/")
    token = sign_in_page.cookies["csrftoken"].value
    client.post("/sign-in/", {"username": people[Role.SOCIAL_WORKER].email, "password": TEST_PASSWORD,
                              "csrfmiddlewaretoken": token})  # fmt: skip
    the_session_ends()

    response = client.post(f"/assessments/{assessment.pk}/edit/", draft_post(assessment, "Forged."))

    assert response.status_code == 403
    assert "casework_kept_post" not in client.session


def test_an_autosave_and_a_keep_alive_after_the_session_ended_are_told_so(client, people, assessment):
    sign_in(client, people[Role.SOCIAL_WORKER])
    the_session_ends()

    autosave = client.post(f"/assessments/{assessment.pk}/autosave/", draft_post(assessment, "Autosaved."),
                           headers={"X-Casework-Autosave": "1"})  # fmt: skip
    keep_alive = client.post("/session/keep-alive/")

    assert autosave.status_code == 401 and autosave.json()["signed_out"] is True
    assert keep_alive.status_code == 401
    assert "casework_kept_post" not in client.session


def test_the_signed_out_page_takes_the_person_back_to_their_page_and_says_what_became_of_it(client, people):
    sign_in(client, people[Role.SOCIAL_WORKER])
    response = client.post("/signed-out/", {"reason": "timeout", "next": "/assessments/7/edit/", "saved_at": "10:42"})

    page = client.get(response["Location"]).content.decode()

    assert "Your draft was saved at 10:42, before you were signed out." in page
    assert 'href="/sign-in/?next=/assessments/7/edit/"' in page
    kept = client.get("/signed-out/?reason=timeout&next=/x/&kept=1").content.decode()
    assert "What you had not saved yet is kept on this device" in kept
    elsewhere = client.get("/signed-out/?reason=timeout&next=https://evil.example/").content.decode()
    assert "evil.example" not in elsewhere
