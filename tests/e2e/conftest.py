"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Locator, sync_playwright

from cases.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the live server and the ORM calls the
# tests make are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, monkeypatch):
    # A click that opens a page returns once the new page has loaded, as a person waits for it. The
    # server runs at the test's fixed clock and Chromium at the machine's, so its cache finds every
    # stylesheet stale and revalidates it: a page then finishes loading after its navigation commits,
    # and an assertion made in between would read half a page.
    def click_and_settle(locator, *args, **kwargs):
        clicked(locator, *args, **kwargs)
        locator.page.wait_for_load_state()

    clicked = Locator.click
    monkeypatch.setattr(Locator, "click", click_and_settle)
    # axe is injected as a script, which the strict CSP would otherwise (rightly) refuse.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_in(timescales_loaded):
    """Seeds the demo in the authorities named, over the shipped timescales: `demo_in("york")`."""

    def seed(*slugs: str) -> None:
        call_command("seed_demo", quiet_logins=True, authorities=list(slugs))

    return seed


@pytest.fixture(scope="session")
def axe():
    return Axe()


def assert_accessible(axe, page):
    results = axe.run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            }
        },
    )
    results.response["violations"] = [
        violation | {"nodes": nodes}
        for violation in results.response["violations"]
        if (nodes := [node for node in violation["nodes"] if not _govuk_conditional_reveal(violation, node)])
    ]
    assert results.violations_count == 0, results.generate_report()


def _govuk_conditional_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend marks a radio that reveals a follow-up question with aria-expanded, on
    purpose: screen readers announce it, and the Design System lists axe's objection as a known
    issue (alphagov/govuk-frontend#979). Only that attribute, on that element, is let through."""
    messages = [check["message"] for check in (*node.get("all", []), *node.get("any", []), *node.get("none", []))]
    return (violation["id"] == "aria-allowed-attr" and 'class="govuk-radios__input"' in node["html"]
            and "aria-controls=" in node["html"] and bool(messages)
            and all(message.startswith("ARIA attribute is not allowed: aria-expanded=") for message in messages))


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def open_record_section(page, name):
    """A part of the child's record: from its tabs, or on a phone from the one menu they fold into."""
    menu = page.locator(".casework-record-menu")
    if menu.is_visible():
        menu.get_by_text("Sections of this record").click()
        menu.get_by_role("link", name=name, exact=True).click()
    else:
        page.get_by_role("link", name=name, exact=True).click()
