from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    return client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD})


@pytest.fixture
def enrolled_worker(social_worker):
    TOTPDevice.objects.create(user=social_worker, name="phone", confirmed=True)
    return social_worker


def test_enrolled_user_must_enter_a_code_before_any_page(client, enrolled_worker):
    sign_in(client, enrolled_worker)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/security-code/")
    page = client.get(response["Location"])
    assert "Enter your security code" in page.content.decode()
    # The navigation is withheld until the second factor is passed.
    assert "govuk-service-navigation__list" not in page.content.decode()


def test_wrong_code_is_refused_with_a_field_error(client, enrolled_worker):
    sign_in(client, enrolled_worker)
    body = client.post("/sign-in/security-code/", {"code": "000000"}).content.decode()
    assert '<a href="#id_code">The security code is not correct or has expired' in body
    assert client.get("/").status_code == 302


def test_malformed_code_says_what_is_wrong(client, enrolled_worker):
    sign_in(client, enrolled_worker)
    body = client.post("/sign-in/security-code/", {"code": "12ab"}).content.decode()
    assert "Enter the 6-digit security code" in body


def test_right_code_opens_the_service(client, enrolled_worker):
    sign_in(client, enrolled_worker)
    device = TOTPDevice.objects.get(user=enrolled_worker)
    response = client.post("/sign-in/security-code/?next=/", {"code": current_code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_without_otp_required_an_unenrolled_user_goes_straight_in(client, social_worker, settings):
    settings.OTP_REQUIRED = False
    sign_in(client, social_worker)
    assert client.get("/").status_code == 200


def test_otp_required_sends_an_unenrolled_user_to_set_up(client, social_worker, settings):
    settings.OTP_REQUIRED = True
    sign_in(client, social_worker)
    response = client.get("/")
    assert response["Location"] == "/account/authenticator-app/"
    page = client.get("/account/authenticator-app/").content.decode()
    assert "Set up your authenticator app" in page
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.post("/account/authenticator-app/", {"code": "000000"}).status_code == 200
        clock.shift(timedelta(seconds=5))  # django-otp throttles attempts just after a failure
        device.refresh_from_db()
        response = client.post("/account/authenticator-app/", {"code": current_code(device)})
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_otp_required_blocks_the_admin_too(client, authority_admin, settings):
    settings.OTP_REQUIRED = True
    sign_in(client, authority_admin)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("otp_required", [False, True])
def test_the_password_alone_cannot_set_up_another_app(client, enrolled_worker, settings, otp_required):
    """Signed in with the password only, someone who has an app is sent to the security code, and no
    new secret is shown or accepted."""
    settings.OTP_REQUIRED = otp_required
    sign_in(client, enrolled_worker)
    page = client.get("/account/authenticator-app/")
    assert page.status_code == 302 and page["Location"].startswith("/sign-in/security-code/")
    assert not TOTPDevice.objects.filter(user=enrolled_worker, confirmed=False).exists()
    response = client.post("/account/authenticator-app/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/security-code/")
    assert TOTPDevice.objects.filter(user=enrolled_worker).count() == 1
    assert client.get("/").status_code == 302


def test_adding_a_second_app_needs_the_code_then_the_password_again(client, enrolled_worker):
    sign_in(client, enrolled_worker)
    first = TOTPDevice.objects.get(user=enrolled_worker)
    client.post("/sign-in/security-code/", {"code": current_code(first), "next": "/"})
    page = client.get("/account/authenticator-app/").content.decode()
    assert "Add another authenticator app" in page and "Your password" in page
    new = TOTPDevice.objects.get(user=enrolled_worker, confirmed=False)
    refused = client.post("/account/authenticator-app/", {"password": "not-it", "code": current_code(new)})
    assert "Enter your correct password" in refused.content.decode()
    new.refresh_from_db()
    assert not new.confirmed
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        new.refresh_from_db()
        added = client.post("/account/authenticator-app/", {"password": TEST_PASSWORD, "code": current_code(new)})
    assert added.status_code == 302
    assert TOTPDevice.objects.filter(user=enrolled_worker, confirmed=True).count() == 2
