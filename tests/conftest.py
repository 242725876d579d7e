import os
from datetime import UTC, date, datetime, timedelta

import factory.random
import pytest
import time_machine

from cases.roles import Role
from tests import clock
from tests.factories import AuthorityFactory, TeamFactory, allocate_new_child, staff
from tests.support import at, team_of


def pytest_configure(config):
    """`make test-clock-ahead`: the machine's clock, as every test process sees it, moved this many
    days ahead before anything is collected. A test that escapes its fixed instant fails here."""
    days = os.environ.get("CASEWORK_CLOCK_AHEAD_DAYS")
    if days:
        ahead = time_machine.travel(datetime.now(UTC) + timedelta(days=int(days)), tick=True)
        ahead.start()
        config.add_cleanup(ahead.stop)


@pytest.fixture(autouse=True)
def fixed_clock(request):
    """Every test and its fixtures start at one fixed instant (tests/clock.py). Names and birthdays
    from the factories are seeded by the test's id, so a test sees the same people every run."""
    factory.random.reseed_random(request.node.nodeid)
    with clock.held(request.node) as traveller:
        yield traveller


@pytest.fixture
def authority(db):
    return AuthorityFactory(slug="barnet", name="London Borough of Barnet")


@pytest.fixture
def other_authority(db):
    return AuthorityFactory(slug="york", name="City of York Council")


@pytest.fixture
def team(authority):
    return TeamFactory(authority=authority, name="Assessment team")


@pytest.fixture
def social_worker(team):
    return staff(Role.SOCIAL_WORKER, team=team, full_name="Sam Okafor")


@pytest.fixture
def authority_admin(authority):
    return staff(Role.AUTHORITY_ADMIN, authority=authority, is_staff=True)


@pytest.fixture
def user_of_each_role(authority, team):
    """One user per role in `authority`, keyed by role."""
    return {role: staff(role, authority=authority, team=team) for role in Role}


@pytest.fixture
def timescales_loaded(db):
    """The shipped configuration files, loaded as `make setup` loads them."""
    from django.core.management import call_command

    from cases.selectors.timescales import clear_policy_cache

    clear_policy_cache()
    call_command("load_authorities", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    clear_policy_cache()


@pytest.fixture
def leeds(timescales_loaded):
    """Leeds, with every shipped authority's timescales loaded."""
    from cases.models import Authority

    return Authority.objects.get(slug="leeds")


@pytest.fixture
def celery_broker(settings):
    """An emptied Redis database for real Celery workers (tests.workers.celery_workers), one per
    pytest-xdist process counting down from TEST_REDIS_URL's."""
    import os

    import redis

    from tests.workers import redis_url_for

    broker = redis_url_for(settings.TEST_REDIS_URL, os.environ.get("PYTEST_XDIST_WORKER", ""))
    client = redis.Redis.from_url(broker)
    client.flushdb()
    yield broker
    client.flushdb()
    client.close()


@pytest.fixture
def people(leeds):
    """A Leeds team with one person in every role, and the team itself under "team"."""
    team = TeamFactory(authority=leeds, name="Duty and assessment")
    return {role: staff(role, authority=leeds, team=team) for role in Role} | {"team": team}


@pytest.fixture
def allocated(people, leeds):
    """A child referred, accepted and allocated to `people`'s social worker."""
    return allocate_new_child(people, leeds, first_name="Zoë", last_name="Brontë", date_of_birth=date(2015, 6, 1))


@pytest.fixture
def case(allocated):
    return allocated.cases.get()


class _OpenedInNovember(dict):
    def __missing__(self, slug):
        with time_machine.travel(at(date(2026, 11, 2)), tick=False):
            self[slug] = team_of(slug)
        return self[slug]


@pytest.fixture
def opened_in_november(timescales_loaded):
    """A child allocated on 2 November 2026, made on first use in each shipped authority:
    opened_in_november[slug] is (people, case)."""
    return _OpenedInNovember()
