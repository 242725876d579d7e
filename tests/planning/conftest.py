from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import Authority
from cases.roles import Role
from tests.cases.conftest import allocated, case, people  # noqa: F401  (shared record fixtures)
from tests.factories import TeamFactory, allocate_new_child, staff

LONDON = ZoneInfo("Europe/London")
SHIPPED = ("barnet", "st-helens", "leeds", "wiltshire", "york")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def team_of(slug: str, **child_fields):
    """A team with one person in every role in the authority `slug`, and a child allocated to its
    worker; returned as (people, case)."""
    authority = Authority.objects.get(slug=slug)
    team = TeamFactory(authority=authority, name="Safeguarding")
    everyone = {role: staff(role, authority=authority, team=team) for role in Role} | {"team": team}
    child = allocate_new_child(everyone, authority, **({"date_of_birth": date(2018, 3, 1)} | child_fields))
    return everyone, child.cases.get()


def came_into_care(slug: str, on: date = date(2026, 12, 18)):
    """`team_of(slug)`'s child, looked after from `on` (recorded that day at 6pm); (people, case)."""
    from cases.services.family import legal_status_start

    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    with time_machine.travel(at(on, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=on,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    return people, case


@pytest.fixture
def shipped(timescales_loaded):
    return SHIPPED


class _Opened(dict):
    def __missing__(self, slug):
        with time_machine.travel(at(date(2026, 11, 2)), tick=False):
            self[slug] = team_of(slug)
        return self[slug]


@pytest.fixture
def opened_in_november(timescales_loaded):
    """A child allocated on 2 November 2026, made on first use in each shipped authority:
    opened_in_november[slug] is (people, case)."""
    return _Opened()
