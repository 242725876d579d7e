import pytest
from django.core.management import call_command

from cases.demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_social_worker_signs_in_to_my_work(page, axe):
    call_command("seed_demo", quiet_logins=True, authorities=["leeds"])
    page.goto("/")
    assert page.url.endswith("/sign-in/?next=/")
    assert_accessible(axe, page)

    page.get_by_label("Email address").fill("social-worker@leeds.casework.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert "Sam Okafor" in page.locator("main").inner_text()
    assert "Leeds City Council" in page.locator("header").inner_text()
    assert "Social worker in Assessment team" in page.locator("main").inner_text()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signed-out/")
    assert page.get_by_role("heading", level=1).inner_text() == "You have signed out"


def test_sign_in_errors_are_announced_and_accessible(page, axe):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter your email address" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(axe, page)


def test_timeout_warning_appears_and_stay_signed_in_keeps_the_session(page, axe, settings, social_worker):
    from tests.factories import TEST_PASSWORD

    settings.SESSION_COOKIE_AGE = 60
    settings.SESSION_WARNING_SECONDS = 57  # warn after 3 seconds
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(social_worker.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(state="visible")
    assert_accessible(axe, page)
    with page.expect_response("**/session/keep-alive/") as keep_alive:
        page.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 204
    dialog.wait_for(state="hidden")
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "My work"


def test_idle_page_signs_the_user_out_visibly(page, settings, social_worker):
    from tests.factories import TEST_PASSWORD

    settings.SESSION_COOKIE_AGE = 4
    settings.SESSION_WARNING_SECONDS = 3
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(social_worker.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/signed-out/?reason=timeout*", timeout=15_000)
    assert page.get_by_role("heading", level=1).inner_text() == "You have been signed out"
    page.goto("/")
    assert "/sign-in/" in page.url
