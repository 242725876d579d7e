"""A Leeds conference chair records an initial child protection conference that decides a plan for
Maya Hughes: the first core group and the first review conference appear on her Plans and meetings
tab, each with the explanation of its date; her social worker records the first core group (the chair
writes only the conferences they chair) and the next one (Leeds: six weeks on) appears. Every page is
checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, group: str, day) -> None:
    block = page.get_by_role("group", name=group)
    block.get_by_label("Day").fill(str(day.day))
    block.get_by_label("Month").fill(str(day.month))
    block.get_by_label("Year").fill(str(day.year))


def test_an_initial_conference_decides_a_plan_and_the_core_groups_follow(demo_in, page, axe):
    from cases.models import Child, Deadline, LegalStatus

    demo_in("leeds")
    maya = Child.objects.get(authority__slug="leeds", first_name="Maya", last_name="Hughes")
    held_at = timezone.localtime() - timedelta(minutes=30)
    sign_in(page, "conference-chair@leeds.casework.test")
    page.goto(f"/children/{maya.pk}/")
    page.get_by_role("link", name="Plans and meetings").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Record an initial conference").click()
    page.get_by_role("button", name="Save").click()  # nothing entered: the error summary
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(axe, page)
    fill_date(page, "Date held", held_at)
    page.get_by_label("Time it started").fill(f"{held_at:%H:%M}")
    page.get_by_label("Who attended").fill("Mother, school nurse, police, social worker")
    page.get_by_label("The child is to be the subject of a child protection plan").check()
    page.get_by_label("Physical abuse").check()
    page.get_by_label("Recommendations and the outline plan").fill("A plan to keep Maya safe at home.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save").click()
    assert "Initial child protection conference recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(axe, page)
    assert LegalStatus.objects.get(case__child=maya, kind="cp", ended_on=None).cp_category == "PHY"

    page.get_by_role("link", name="Back to plans and meetings").click()
    due = page.locator("#planning-due").inner_text()
    assert "The first core group meeting is held" in due
    assert "The first review child protection conference" in due
    first = Deadline.objects.get(case__child=maya, key="first_core_group", status="open")
    assert f"{timezone.localtime(first.due_at):%-d %b %Y}" in due
    row = page.locator("#planning-due tr", has_text="The first core group meeting is held")
    assert "Leeds City Council allows 10 working days, counted from the initial child protection conference" in (
        row.inner_text())  # the plain sentence, from Leeds's timescales
    row.get_by_text("How this date was worked out").click()
    assert "10 working days from" in row.locator("details").inner_text()  # and the working behind it
    assert_accessible(axe, page)
    assert page.get_by_role("link", name="Record a core group").count() == 0  # not the chair's to write

    sign_in(page, "social-worker@leeds.casework.test")
    page.goto(f"/children/{maya.pk}/plans/")
    page.get_by_role("link", name="Record a core group").click()
    met_at = timezone.localtime() - timedelta(minutes=5)
    fill_date(page, "Date held", met_at)
    page.get_by_label("Time it started").fill(f"{met_at:%H:%M}")
    page.get_by_label("Who attended").fill("Mother, school nurse, social worker")
    page.get_by_label("Progress and changes to the plan").fill("Safety plan followed; school attendance up.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Back to plans and meetings").click()
    due = page.locator("#planning-due").inner_text()
    assert "The first core group meeting is held" not in due and "Later core group meetings" in due
    following = Deadline.objects.get(case__child=maya, key="core_group_interval", status="open")
    assert (timezone.localtime(following.due_at).date() - met_at.date()).days == 42  # Leeds: six weeks
    assert_accessible(axe, page)
