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
