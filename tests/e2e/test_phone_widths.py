"""Every page fits a 375 px phone (DESIGN §8): for each role of York's demo, the pages reached by
following the site's own links from My work, each measured in Chromium at 375 × 812. Found by
crawling rather than listed, so a new page is covered once something links to it."""

import re
from collections import deque

import pytest

from cases.demo import DEMO_STAFF, demo_email
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
PAGES_PER_ROLE = 60
# A page of one shape (the same path but for a record's number) is the same template: one of each
# is measured, so the budget reaches more kinds of page than one list's rows would.
NUMBER = re.compile(r"\d+")
# Not pages: files to download, and Django's own admin site, which is not this service's design.
NOT_PAGES = re.compile(r"[./](pdf|csv|zip|xml|json|txt)/?$|^/admin/|/download|/export|^/static/")

# In one round trip: the page's width, the same-origin links to follow, and the widest culprits
# (the deepest elements reaching past the viewport), so a failure says where to look.
MEASURE = """() => {
  const width = document.documentElement.scrollWidth;
  const links = [...document.querySelectorAll("a[href]")]
    .filter(a => !a.hasAttribute("download") && a.origin === location.origin)
    .map(a => a.pathname + a.search);
  const culprits = width <= innerWidth ? [] : [...document.querySelectorAll("main *, header *, footer *")]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
    .filter(el => ![...el.children].some(child => child.getBoundingClientRect().right > innerWidth + 1))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "")
               + " " + JSON.stringify((el.textContent || "").trim().slice(0, 40)));
  return {width, links, culprits};
}"""


def shape(path: str) -> str:
    return NUMBER.sub("N", path.split("?")[0])


def crawl(page, failures: list[str], role: str, axe, checked_with_axe: set[str]) -> int:
    queue, seen, measured = deque(["/"]), {shape("/")}, 0
    while queue and measured < PAGES_PER_ROLE:
        path = queue.popleft()
        response = page.goto(path)
        measured += 1
        found = page.evaluate(MEASURE)
        # A refusal (a link its reader may not follow) is measured too: its page must fit as well.
        if response is None or response.status >= 500:
            failures.append(f"{role}: {path} answered {response.status if response else 'nothing'}")
        elif found["width"] > PHONE["width"]:
            failures.append(f"{role}: {path} is {found['width']} px wide: {'; '.join(found['culprits'])}")
        # axe once for each kind of page that draws a stacked table or the record's menu, which this
        # width is the first to show it.
        if shape(path) not in checked_with_axe and page.locator(".govuk-table, .casework-record-menu").count():
            checked_with_axe.add(shape(path))
            assert_accessible(axe, page)
        for link in found["links"]:
            if shape(link) not in seen and not NOT_PAGES.search(link.split("?")[0]):
                seen.add(shape(link))
                queue.append(link)
    return measured


def test_every_page_each_role_reaches_fits_a_phone(demo_in, browser, live_server, axe):
    demo_in("york")
    failures, checked_with_axe, measured = [], set(), {}
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for role, *_ in DEMO_STAFF:
            sign_in(page, demo_email(role, "york"))
            measured[role] = crawl(page, failures, role, axe, checked_with_axe)
    finally:
        context.close()
    assert not failures, "\n".join(failures)
    # The crawl found the site, not just the start page: every role reaches several kinds of page.
    assert all(count >= 5 for count in measured.values()), measured
