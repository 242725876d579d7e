"""Fixtures for the child's record: a Leeds team with one person in every role, and a child
allocated to its social worker."""

from datetime import date

import pytest

from cases.roles import Role
from tests.factories import TeamFactory, allocate_new_child, staff

# Every role that works with children's records; the authority admin does not.
SEES_CHILDREN = frozenset(Role) - {Role.AUTHORITY_ADMIN}


@pytest.fixture
def people(leeds):
    team = TeamFactory(authority=leeds, name="Duty and assessment")
    return {role: staff(role, authority=leeds, team=team) for role in Role} | {"team": team}


@pytest.fixture
def allocated(people, leeds):
    return allocate_new_child(people, leeds, first_name="Zoë", last_name="Brontë", date_of_birth=date(2015, 6, 1))


@pytest.fixture
def case(allocated):
    return allocated.cases.get()
