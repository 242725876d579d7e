"""A York team manager records a supervision session discussing two children, each with an
action; both children's records show the discussion, the worker sees the actions on My work, and
the next supervision is due a month on (York: monthly). Every page is checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_records_supervision_discussing_two_children(demo_in, page, axe):
    from cases.models import Child, Deadline, User
    from cases.selectors.timescales import policy_for
    from supervision.cadence import next_worker_supervision
    from supervision.models import SupervisionSession

    demo_in("york")
    worker = User.objects.get(email="social-worker@york.casework.test")
    sign_in(page, "team-manager@york.casework.test")
    page.get_by_role("link", name="Supervision", exact=True).click()
    assert_accessible(axe, page)
    page.get_by_role("link", name=f"Record a session with {worker}").click()
    page.get_by_label("Formal one-to-one supervision").check()
    today, due = timezone.localdate(), timezone.localdate() + timedelta(days=10)
    page.locator("#id_held_on_0").fill(str(today.day))
    page.locator("#id_held_on_1").fill(str(today.month))
    page.locator("#id_held_on_2").fill(str(today.year))
    page.get_by_label("Time the session started").fill("00:01")
    page.get_by_label("Wellbeing").fill("Coping well; wants more court experience.")
    for name, action in (("Maya Hughes", "Book Maya's medical"), ("Tyler Evans", "Call Tyler's school")):
        page.get_by_label(f"{name}: discussion").fill(f"{name} discussed in detail.")
        page.get_by_label(f"{name}: your decisions").fill(f"Carry on for {name}.")
        page.get_by_label(f"{name}: an action for the worker (optional)").fill(action)
        block = page.get_by_role("group", name=f"{name}: action due by")
        block.get_by_label("Day").fill(str(due.day))
        block.get_by_label("Month").fill(str(due.month))
        block.get_by_label("Year").fill(str(due.year))
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save the supervision record").click()
    assert "Supervision with" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(axe, page)

    for name in ("Maya Hughes", "Tyler Evans"):
        first, last = name.split()
        child = Child.objects.get(authority__slug="york", first_name=first, last_name=last)
        page.goto(f"/children/{child.pk}/supervision/")
        assert f"Carry on for {name}." in page.locator("main").inner_text()
        assert "court experience" not in page.locator("main").inner_text()  # wellbeing stays private
    assert_accessible(axe, page)

    sign_in(page, "social-worker@york.casework.test")
    work = page.locator("main").inner_text()
    assert "Book Maya's medical" in work and "Call Tyler's school" in work
    session = SupervisionSession.objects.get(worker=worker, held_at__date=today)
    expected = next_worker_supervision(policy_for(worker.authority), last=session.held_at, newly_qualified_from=None)
    next_due = Deadline.objects.get(key="supervision_interval", status="open", subject_id=worker.pk)
    assert expected.key == "supervision_interval" and next_due.due_at == expected.due.due_at  # York: monthly
    page.get_by_role("link", name="Supervision", exact=True).click()
    assert f"{timezone.localtime(next_due.due_at):%B}" in page.locator("#own-next").inner_text()
    assert_accessible(axe, page)
