"""Actions agreed at a visit become deadlines for their owners, on their My work as actions from
plans, supervision and audits are: opened when the visit is recorded (a draft opens none), met
when the owner (or someone who writes on the case) marks them done. Every role on the new page,
a restricted child's actions kept from those not named, and bounded queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Authority, Deadline
from cases.roles import Role
from tests.clock import DEFAULT
from tests.factories import allocate_new_child, staff
from tests.queries import page_query_counts
from tests.support import SEES_CHILDREN
from visits.services import visit_action_done, visit_record, visit_save, visit_start

pytestmark = pytest.mark.django_db

SEEN = {"place": "school", "announced": True, "child_seen": True, "seen_alone": True, "child_views": "Fine",
        "observations": "Calm", "analysis": "The plan is working."}  # fmt: skip


def with_actions(people, case, actions, record=True):
    worker = people[Role.SOCIAL_WORKER]
    visit = visit_start(case=case, recorded_by=worker, kind="cin", visited_at=DEFAULT - timedelta(hours=1))
    visit = visit_save(visit=visit, saved_by=worker, version=visit.version, actions=actions, **SEEN)
    return visit_record(visit=visit, recorded_by=worker) if record else visit


def action(what, owner, days):
    return {"what": what, "owner": owner, "by_when": timezone.localdate(DEFAULT) + timedelta(days=days)}


def test_recording_opens_a_deadline_for_each_actions_owner(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    draft = with_actions(people, case, [action("Call the school", worker, 3), action("Book a TAC", manager, 9)],
                         record=False)  # fmt: skip
    assert not Deadline.objects.filter(key="visit_action").exists()  # a draft's actions may still change
    visit = visit_record(visit=draft, recorded_by=worker)
    school, tac = (Deadline.objects.get(key="visit_action", pk=row["deadline_id"]) for row in visit.actions)
    assert (school.assignee, tac.assignee) == (worker, manager) and school.case == case and school.subject == visit
    assert timezone.localtime(school.due_at).date() == timezone.localdate(DEFAULT) + timedelta(days=3)
    assert school.explanation.startswith("Action from the visit on ") and "Call the school" in school.explanation
    assert [row["who"] for row in visit.actions] == [worker.full_name, manager.full_name]


def test_an_owner_from_elsewhere_or_missing_is_refused(people, case):
    outsider = staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york"))
    for owner in (outsider, None):
        with pytest.raises(ValidationError) as refused:
            with_actions(people, case, [action("Call the school", owner, 3)], record=False)
        assert "who will do it" in refused.value.message_dict["actions"][0]


def test_the_owner_marks_it_done_and_others_may_not(people, case, leeds):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    visit = with_actions(people, case, [action("Book a TAC", manager, 9)])
    with pytest.raises(PermissionDenied):
        visit_action_done(visit=visit, index=0, done_by=staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"]))
    met = visit_action_done(visit=visit, index=0, done_by=manager)
    assert met.status == "met" and met.assignee == manager
    with pytest.raises(ValidationError):
        visit_action_done(visit=visit, index=0, done_by=worker)


def test_my_work_lists_the_owners_visit_actions_soonest_first(client, people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    visit = with_actions(people, case, [action("Book the dentist", worker, 9), action("Call the school", worker, 3),
                                        action("Chair the TAC", manager, 3)])  # fmt: skip
    client.force_login(worker)
    page = client.get("/").content.decode()
    assert "Actions from visits" in page and f"/visits/{visit.pk}/" in page
    assert page.index("Call the school") < page.index("Book the dentist") and "Chair the TAC" not in page
    done = client.post(f"/visits/{visit.pk}/actions/1/done/", follow=True).content.decode()
    assert "Action marked as done" in done and "Call the school" not in client.get("/").content.decode()
    case.child.restricted = True
    case.child.save()
    client.force_login(manager)
    assert "Chair the TAC" not in client.get("/").content.decode()  # not named on the record
    case.child.restricted_to.add(manager)
    assert "Chair the TAC" in client.get("/").content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_marking_done_for_every_role(client, people, case, role):
    visit = with_actions(people, case, [action("Call the school", people[Role.SOCIAL_WORKER], 3)])
    client.force_login(people[role])
    response = client.post(f"/visits/{visit.pk}/actions/0/done/")
    writes = role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)  # the owner, and a manager of the case's team
    assert response.status_code == (302 if writes else 403 if role in SEES_CHILDREN else 404)
    assert Deadline.objects.get(key="visit_action").status == ("met" if writes else "open")


def test_my_work_and_the_visit_page_have_bounded_queries(client, people, case, leeds, django_assert_max_num_queries):
    worker = people[Role.SOCIAL_WORKER]
    visit = with_actions(people, case, [action("Call the school", worker, 3)])
    client.force_login(worker)
    paths = ["/", f"/visits/{visit.pk}/"]
    small = page_query_counts(client, paths, django_assert_max_num_queries)
    for index in range(5):
        other = allocate_new_child(people, leeds, first_name=f"Child{index}").cases.get()
        with_actions(people, other, [action(f"Task {index}", worker, 4), action(f"Other {index}", worker, 5)])
    visit = with_actions(people, case, [action(f"Row {index}", worker, 6) for index in range(4)])
    larger = page_query_counts(client, ["/", f"/visits/{visit.pk}/"], django_assert_max_num_queries)
    assert list(larger.values()) == list(small.values())
