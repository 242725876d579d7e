"""Placement pages for every role, bad input, and another authority's placement not found."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.models import Authority, Deadline
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.models import Placement
from tests.factories import staff
from tests.support import SEES_CHILDREN, looked_after

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")




@pytest.mark.parametrize("role", list(Role))
def test_every_placement_page_for_every_role(client, people, case, role):
    placement = looked_after(people, case)
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    expected = {
        f"/children/{case.child_id}/placements/": 200 if sees else 404,
        f"/children/{case.child_id}/placements/new/": 200
        if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER) else 403 if sees else 404,
        f"/placements/{placement.pk}/permanence/": 200
        if role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER) else 403 if sees else 404,
        f"/placements/{placement.pk}/end/": 200
        if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER) else 403 if sees else 404,
    }  # fmt: skip
    assert {path: client.get(path).status_code for path in expected} == expected


def test_another_authoritys_placement_is_not_found(client, people, case):
    placement = looked_after(people, case)
    client.force_login(staff(Role.SERVICE_MANAGER, authority=Authority.objects.get(slug="york")))
    assert client.get(f"/placements/{placement.pk}/permanence/").status_code == 404
    assert client.get(f"/children/{case.child_id}/placements/").status_code == 404


def test_bad_input_names_the_field_and_saves_nothing(client, people, case):
    client.force_login(people[Role.SOCIAL_WORKER])
    not_looked_after = client.post(f"/children/{case.child_id}/placements/new/",
                                   {"placement_type": "U6", "carer": "The Shaws", "started_on_0": "1",
                                    "started_on_1": "1", "started_on_2": "2026", "started_time": "09:00"})  # fmt: skip
    assert "Record that the child is looked after" in not_looked_after.content.decode()
    looked_after(people, case)
    moved = client.post(f"/children/{case.child_id}/placements/new/", {"placement_type": "", "carer": ""})
    body = moved.content.decode()
    assert "Select the type of placement" in body and "Enter the carer or provider" in body
    assert "Enter the start date" in body
    assert Placement.objects.count() == 1


def test_a_clock_in_hours_counts_from_the_hour_the_child_arrived(client, people, case):
    """Leeds holds the placement planning meeting within 72 hours of the placement (seed 002): a
    child who arrived at 16:30 on Friday 20 November 2026 is due one by 16:30 on Monday. Without
    the hour the page would count from midnight, and the clock would run out 16 hours early."""
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=timezone.localdate(),
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    page = f"/children/{case.child_id}/placements/new/"
    data = {"placement_type": "U6", "carer": "The Shaws", "started_on_0": "20", "started_on_1": "11",
            "started_on_2": "2026", "provider": "PR1", "urn": "SC100001"}  # fmt: skip
    assert "Enter the time the child arrived" in client.post(page, data).content.decode()
    assert not Placement.objects.exists()
    assert client.post(page, data | {"started_time": "16:30"}).status_code == 302
    meeting = Deadline.objects.get(case=case, key="placement_planning_meeting")
    assert timezone.localtime(meeting.due_at) == datetime(2026, 11, 23, 16, 30, tzinfo=LONDON)


def test_a_manager_agrees_permanence_through_the_page(client, people, case):
    placement = looked_after(people, case)
    client.force_login(people[Role.TEAM_MANAGER])
    today = timezone.localdate()
    client.post(f"/placements/{placement.pk}/permanence/",
                {"agreed_on_0": today.day, "agreed_on_1": today.month, "agreed_on_2": today.year})  # fmt: skip
    placement.refresh_from_db()
    assert placement.permanence_agreed_on == today
    page = client.get(f"/children/{case.child_id}/placements/").content.decode()
    assert f"Agreed {today.day}" in page
