from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_pages_need_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


def test_sign_in_lands_on_my_work(client, social_worker):
    response = sign_in(client, social_worker.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("my-work")
    page = client.get("/")
    assert page.status_code == 200
    assert "Sam Okafor" in page.content.decode()


def test_email_is_case_insensitive(client, social_worker):
    assert sign_in(client, social_worker.email.upper()).status_code == 302


@pytest.mark.parametrize("email", ["wrong-password", "nobody@council.test"])
def test_failure_says_the_same_whether_or_not_the_account_exists(client, social_worker, email):
    email = social_worker.email if email == "wrong-password" else email
    response = sign_in(client, email, "not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter a correct email address and password" in body
    assert "Error: Sign in" in body


def test_empty_form_names_each_field(client):
    body = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your email address</a>' in body
    assert '<a href="#id_password">Enter your password</a>' in body
    assert 'class="govuk-input govuk-input--error"' in body


def test_lockout_after_repeated_failures(client, social_worker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, social_worker.email, "wrong").status_code == 200
    locked = sign_in(client, social_worker.email, "wrong")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert sign_in(client, social_worker.email).status_code == 429
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_lockout_counts_every_spelling_of_one_account(client, social_worker):
    """Sign-in ignores case and surrounding spaces, so the lock does too: changing them buys no guesses."""
    spellings = [social_worker.email, social_worker.email.upper(), f"  {social_worker.email} ",
                 social_worker.email.title(), social_worker.email.swapcase()]  # fmt: skip
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT - 1]:
        assert sign_in(client, spelling, "wrong").status_code == 200
    assert sign_in(client, spellings[-1], "wrong").status_code == 429
    for spelling in spellings:
        assert sign_in(client, spelling).status_code == 429
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_space_padded_email_signs_in(client, social_worker):
    assert sign_in(client, f" {social_worker.email.upper()}  ").status_code == 302


def test_lockout_looks_the_same_for_an_unknown_account(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "nobody@council.test", "wrong")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


def test_lockout_ends_after_the_cool_off(client, social_worker):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, social_worker.email, "wrong")
        assert sign_in(client, social_worker.email).status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        assert sign_in(client, social_worker.email).status_code == 302


def test_sign_out_is_a_post_and_ends_the_session(client, social_worker):
    client.force_login(social_worker)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response["Location"] == reverse("signed-out")
    assert client.get("/").status_code == 302


def test_idle_timeout_ends_the_session(client, social_worker):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, social_worker.email)
        clock.shift(idle - timedelta(minutes=1))
        assert client.get("/").status_code == 200  # activity slides the expiry forward
        clock.shift(idle - timedelta(minutes=1))
        assert client.get("/").status_code == 200
        clock.shift(idle + timedelta(seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_keep_alive_slides_the_expiry(client, social_worker):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, social_worker.email)
        clock.shift(idle - timedelta(minutes=2))
        assert client.post("/session/keep-alive/").status_code == 204
        clock.shift(idle - timedelta(minutes=2))
        assert client.get("/").status_code == 200


def test_the_countdown_posts_to_sign_out_and_the_page_explains(client, social_worker):
    client.force_login(social_worker)
    response = client.post("/signed-out/", {"reason": "timeout"})
    assert response["Location"] == "/signed-out/?reason=timeout"
    assert "You have been signed out" in client.get(response["Location"]).content.decode()
    assert client.get("/").status_code == 302


def test_a_plain_get_of_the_timed_out_page_signs_nobody_out(client, social_worker):
    """A link or an image on another site pointing here must not end someone's session."""
    client.force_login(social_worker)
    client.get("/signed-out/?reason=timeout")
    assert client.get("/").status_code == 200


def test_the_timeout_post_needs_the_csrf_token(social_worker):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(social_worker)
    assert strict.post("/signed-out/", {"reason": "timeout"}).status_code == 403
    assert strict.get("/").status_code == 200


def test_pages_carry_the_timeout_warning_settings(client, social_worker):
    client.force_login(social_worker)
    body = client.get("/").content.decode()
    assert f'data-session-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in body
    assert 'id="timeout-warning"' in body


def test_next_is_followed_only_within_the_site(client, social_worker):
    response = client.post(
        SIGN_IN + "?next=https://evil.example/", {"username": social_worker.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("my-work")
