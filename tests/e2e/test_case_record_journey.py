"""A worker reads and writes a child's record across its parts, asks to close the case, and the
manager approves: every page checked with axe. York's demo child Maya Hughes, allocated to Sam."""

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_child(page, name):
    page.get_by_role("link", name="My work").click()
    page.locator("#caseload").get_by_role("link", name=name).click()
    page.wait_for_url("**/children/*/")


def test_the_record_from_notes_to_closure(demo_in, page, axe):
    demo_in("york")
    sign_in(page, "social-worker@york.casework.test")
    open_child(page, "Maya Hughes")
    assert_accessible(axe, page)

    for tab in ("Details and addresses", "Family, network and professionals", "Legal status", "Chronology",
                "Case summary"):  # fmt: skip
        page.get_by_role("link", name=tab, exact=True).click()
        assert page.locator("[aria-current=page]:visible", has_text=tab).count() == 1
        assert_accessible(axe, page)

    page.get_by_role("link", name="Case notes", exact=True).click()
    page.get_by_role("link", name="Add a case note").click()
    now = timezone.localtime()
    page.get_by_label("Phone call").check()
    page.fill("input[name=event_date_0]", str(now.day))
    page.fill("input[name=event_date_1]", str(now.month))
    page.fill("input[name=event_date_2]", str(now.year))
    page.get_by_label("Time of the event").fill("00:01")
    page.get_by_label("Title").fill("Call with school")
    page.get_by_label("What happened").fill("Attendance is up this week; Maya is settled in class.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save the case note").click()
    assert "Call with school" in page.locator("main").inner_text()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Overview", exact=True).click()
    page.get_by_role("link", name="Close the case").click()
    assert_accessible(axe, page)
    page.get_by_label("Services ceased for any other reason").check()
    page.get_by_label("Closure summary").fill("Assessment complete; needs met by universal services.")
    page.get_by_label("Why the case may close although").fill("Summary and audit follow at closure panel.")
    page.get_by_role("button", name="Ask a manager to close the case").click()
    assert_accessible(axe, page)

    sign_in(page, "team-manager@york.casework.test")
    page.get_by_role("link", name="Closures and transfers").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Maya Hughes").click()
    assert_accessible(axe, page)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/closure-requests/")
    page.get_by_role("link", name="Children").click()
    page.get_by_label("Name or case ID").fill("hughes maya")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Maya Hughes").click()
    assert "No open case" in page.locator("main").inner_text()
    page.get_by_role("link", name="Who has viewed this record").click()
    assert "Sam Okafor" in page.locator("main").inner_text()
    assert_accessible(axe, page)
