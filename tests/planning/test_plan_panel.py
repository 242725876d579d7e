"""My work's "Actions from plans": the owner's open plan actions, soonest first; not another
person's, not a done one, and not a restricted child's unless the owner is named on the record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.roles import Role
from planning.services import plan_start
from planning.services.plans import plan_action_add, plan_action_close

pytestmark = pytest.mark.django_db


def test_the_owner_sees_their_open_plan_actions_on_my_work(client, people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    plan = plan_start(case=case, kind="cin", started_on=timezone.localdate(), written_by=worker,
                      outcomes="Zoë attends school every day.", contingency="Review at the next meeting.")  # fmt: skip
    soon, later = timezone.localdate() + timedelta(days=3), timezone.localdate() + timedelta(days=9)
    first = plan_action_add(plan=plan, recorded_by=worker, what="Book the dentist", owner=worker, due_on=later)
    plan_action_add(plan=plan, recorded_by=worker, what="Call the school", owner=worker, due_on=soon)
    plan_action_add(plan=plan, recorded_by=worker, what="Chair the review", owner=manager, due_on=soon)
    client.force_login(worker)
    page = client.get("/").content.decode()
    assert "Actions from plans" in page and f"/children/{case.child_id}/plans/" in page
    assert page.index("Call the school") < page.index("Book the dentist")  # soonest first
    assert "Chair the review" not in page
    plan_action_close(action=first, done=True, closed_by=worker)
    assert "Book the dentist" not in client.get("/").content.decode()
    case.child.restricted = True
    case.child.save()
    client.force_login(manager)
    assert "Chair the review" not in client.get("/").content.decode()  # not named on the record
    case.child.restricted_to.add(manager)
    assert "Chair the review" in client.get("/").content.decode()
