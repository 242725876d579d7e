"""A Leeds social worker records that Amira Hassan, privately fostered, has left her carer and,
more than 27 days later, come back: the arrangement starts again and a first visit is due. Then
Lily Morgan's adoption order hearing ends her time in care. Every page is checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in
from tests.e2e.test_plan_journey import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_absence_past_the_limit_and_an_adoption_order(demo_in, page, axe):
    from cases.models import Child, Deadline, LegalStatus
    from planning.models import Placement, PrivateFosteringNotification

    demo_in("leeds")
    amira = Child.objects.get(authority__slug="leeds", first_name="Amira", last_name="Hassan")
    # The demo's notice came three days ago; move it back so a long absence fits after it.
    today = timezone.localdate()
    notified = today - timedelta(days=60)
    LegalStatus.objects.filter(case__child=amira, kind="private_fostering").update(started_on=notified)
    PrivateFosteringNotification.objects.filter(child=amira).update(
        received_at=timezone.now() - timedelta(days=60))
    type(amira.cases.get()).objects.filter(child=amira).update(opened_at=timezone.now() - timedelta(days=61))

    sign_in(page, "social-worker@leeds.casework.test")
    page.goto(f"/children/{amira.pk}/plans/")
    page.get_by_role("link", name="Record an absence from the private foster carer").click()
    page.get_by_role("button", name="Save").click()
    assert "Enter the date the child left the carer" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(axe, page)
    fill_date(page, "Date the child left the carer", today - timedelta(days=40))
    page.get_by_label("Where the child is and why").fill("Staying with her father in Bradford.")
    page.get_by_role("button", name="Save").click()
    assert "Absence recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "still away" in page.locator("#pf-absences").inner_text()
    assert "absence" in page.locator("#planning-due").inner_text().lower()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Record an absence from the private foster carer").click()
    assert_accessible(axe, page)
    fill_date(page, "Date the child returned", today - timedelta(days=2))
    page.get_by_role("button", name="Save").click()
    assert "away longer than allowed" in page.locator("#pf-absences").inner_text()
    assert_accessible(axe, page)
    statuses = LegalStatus.objects.filter(case__child=amira, kind="private_fostering").order_by("started_on")
    assert [s.started_on for s in statuses] == [notified, today - timedelta(days=2)]
    assert Deadline.objects.filter(case__child=amira, key="pf_first_visit", status="open").exists()

    lily = Child.objects.get(authority__slug="leeds", first_name="Lily", last_name="Morgan")
    page.goto(f"/children/{lily.pk}/plans/")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Record an adoption step").click()
    page.get_by_label("Adoption order hearing: the adoption order is made").check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Continue").click()
    fill_date(page, "Date", today)
    page.get_by_label("The court dispensed with the parents' consent").check()
    page.get_by_role("button", name="Save").click()
    assert_accessible(axe, page)
    assert not LegalStatus.objects.filter(case__child=lily, kind="lac", ended_on=None).exists()
    assert Placement.objects.get(child=lily, placement_type__in=["A5", "A6"]).end_reason == "E12"
    assert "Adoption order hearing" in page.locator("#adoption").inner_text()
