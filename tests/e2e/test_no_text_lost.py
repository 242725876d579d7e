"""No text is lost, whatever the device does: a phone that sleeps past the idle limit and wakes,
"Save draft" pressed after the session ended, a laptop lid closed and opened, two tabs, and a
browser without JavaScript. In real Chromium on a 375 px phone viewport, on the assessment write-up
(the long form every social worker writes; the others share the same page script)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session

from assessments.models.assessments import Assessment
from assessments.services.assessments import assessment_save, assessment_start
from cases.roles import Role
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
WRITTEN = "She showed me her room and said she feels safe with her nan."


@pytest.fixture
def assessment(people, case):
    started = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    return assessment_save(assessment=started, saved_by=people[Role.SOCIAL_WORKER], version=started.version,
                           child_views="Started before the visit.")  # fmt: skip


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def sign_in(page, user):
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def open_write_up(page, user, assessment):
    page.goto(f"/sign-in/?next=/assessments/{assessment.pk}/edit/")
    sign_in(page, user)
    page.wait_for_url(f"**/assessments/{assessment.pk}/edit/")


def the_session_ends() -> None:
    """The server's side of the idle limit passing: the session is gone."""
    Session.objects.all().delete()


def page_time(page) -> datetime:
    """The page's own clock (Playwright's, once installed), which the test moves on."""
    return datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, tz=UTC)


def views_box(page):
    return page.locator("textarea[name=child_views]")


def stored(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).child_views


def signs_in_again_and_finds_the_text_saved(page, user, assessment):
    page.get_by_role("link", name="Sign in again").click()
    sign_in(page, user)
    page.wait_for_url(f"**/assessments/{assessment.pk}/edit/")
    page.locator("#device-copy-restored").wait_for()
    assert "Your unsaved text was restored" in page.locator("#device-copy-restored").inner_text()
    assert views_box(page).input_value() == WRITTEN
    page.get_by_text("Draft saved automatically at").wait_for()
    assert stored(assessment) == WRITTEN


def test_a_phone_that_sleeps_past_the_limit_and_wakes_keeps_the_text(phone, axe, settings, people, assessment):
    settings.SESSION_COOKIE_AGE, settings.SESSION_WARNING_SECONDS = 120, 30
    worker = people[Role.SOCIAL_WORKER]
    phone.clock.install()
    open_write_up(phone, worker, assessment)
    views_box(phone).fill(WRITTEN)
    phone.clock.pause_at(page_time(phone) + timedelta(seconds=1))
    the_session_ends()

    # Woken: the page's timers catch up all at once.
    phone.clock.fast_forward("02:30")
    phone.clock.resume()

    phone.wait_for_url(lambda url: "/signed-out/?reason=timeout" in url)
    assert "What you had not saved yet is kept on this device" in phone.locator("#draft-state").inner_text()
    assert_accessible(axe, phone)
    signs_in_again_and_finds_the_text_saved(phone, worker, assessment)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_laptop_lid_closed_and_opened_keeps_the_text(phone, settings, people, assessment):
    settings.SESSION_COOKIE_AGE, settings.SESSION_WARNING_SECONDS = 120, 30
    worker = people[Role.SOCIAL_WORKER]
    phone.clock.install()
    open_write_up(phone, worker, assessment)
    views_box(phone).fill(WRITTEN)
    # The lid closes: timers stop while the clock runs on; it opens ten minutes later.
    # Playwright reads a bare number as seconds, so the instants are datetimes: a number of
    # milliseconds would leap the clock ahead by millennia and fire every timer (an autosave
    # among them) before the session ended.
    now = page_time(phone) + timedelta(seconds=1)
    phone.clock.pause_at(now)
    the_session_ends()
    phone.clock.set_system_time(now + timedelta(minutes=10))
    phone.clock.resume()
    phone.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    phone.wait_for_url(lambda url: "/signed-out/?reason=timeout" in url)
    signs_in_again_and_finds_the_text_saved(phone, worker, assessment)


def test_save_draft_after_the_session_ended_saves_it_once_signed_in_again(phone, settings, people, assessment):
    worker = people[Role.SOCIAL_WORKER]
    open_write_up(phone, worker, assessment)
    views_box(phone).fill(WRITTEN)
    the_session_ends()

    phone.get_by_role("button", name="Save draft").click()

    phone.wait_for_url(lambda url: "/sign-in/" in url)
    assert "It has been kept: sign in again and it will be saved" in phone.locator("#kept-post").inner_text()
    sign_in(phone, worker)
    phone.wait_for_url(f"**/assessments/{assessment.pk}/edit/")
    assert "You were signed out before your text was saved. It was saved at" in phone.content()
    assert stored(assessment) == WRITTEN and views_box(phone).input_value() == WRITTEN


def test_without_javascript_the_server_keeps_the_posted_text(browser, live_server, settings, people, assessment):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    worker = people[Role.SOCIAL_WORKER]
    open_write_up(page, worker, assessment)
    views_box(page).fill(WRITTEN)
    the_session_ends()

    page.get_by_role("button", name="Save draft").click()
    sign_in(page, worker)

    page.wait_for_url(f"**/assessments/{assessment.pk}/edit/")
    assert "It was saved at" in page.content() and stored(assessment) == WRITTEN
    context.close()


def test_typing_in_one_tab_keeps_both_signed_in(phone, settings, people, assessment):
    settings.SESSION_COOKIE_AGE, settings.SESSION_WARNING_SECONDS = 8, 3
    worker = people[Role.SOCIAL_WORKER]
    open_write_up(phone, worker, assessment)
    other = phone.context.new_page()
    other.goto("/")
    views_box(phone).click()
    # Twelve seconds of typing, longer than the limit: each key is activity, in both tabs.
    for letter in "typing along":
        phone.keyboard.type(letter)
        phone.wait_for_timeout(1000)

    assert "/signed-out/" not in other.url and "/signed-out/" not in phone.url
    assert not other.get_by_role("dialog").is_visible()
    other.reload()
    assert other.get_by_role("heading", level=1).inner_text() == "My work"


def test_the_warning_never_takes_a_keystroke_and_only_stay_signed_in_closes_it(phone, settings, people, assessment):
    settings.SESSION_COOKIE_AGE, settings.SESSION_WARNING_SECONDS = 60, 57  # warns after 3 seconds idle
    open_write_up(phone, people[Role.SOCIAL_WORKER], assessment)
    views_box(phone).fill("Seen")
    dialog = phone.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(state="visible")

    phone.keyboard.type(" alone ")
    phone.keyboard.press("Escape")

    assert dialog.is_visible()
    assert views_box(phone).input_value() == "Seen alone "
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    phone.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert phone.evaluate("document.activeElement.name") == "child_views"
