"""One helper per scenario the tests share, so every app's tests build a child's situation the same
way, through the services a practitioner's pages use. Fixtures live in tests/conftest.py."""

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.utils import timezone

from cases.models import Authority
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.services.placements import placement_start
from tests import clock
from tests.factories import TeamFactory, allocate_new_child, staff

LONDON = ZoneInfo("Europe/London")
SHIPPED = ("barnet", "st-helens", "leeds", "wiltshire", "york")
# Every role that works with children's records; the authority admin does not.
SEES_CHILDREN = frozenset(Role) - {Role.AUTHORITY_ADMIN}


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
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    with time_machine.travel(at(on, 18), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=on,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    return people, case


def looked_after(people, case, on: date | None = None, emergency: bool = False):
    """The case's child looked after (a full care order) and placed with foster carers from `on`
    (today by default); the placement."""
    on = on or timezone.localdate()
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=on, recorded_by=people[Role.TEAM_MANAGER])
    return placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                           started_on=on, emergency=emergency)  # fmt: skip


def on_plan(people, case, kind: str = "cp", started_on: date | None = None):
    """A legal status starting on `started_on` (today by default): child protection (physical abuse),
    looked after (a full care order), or another kind as given."""
    extra = {"cp_category": "PHY"} if kind == "cp" else {"legal_status": "C2"} if kind == "lac" else {}
    return legal_status_start(case=case, kind=kind, started_on=started_on or timezone.localdate(),
                              recorded_by=people[Role.TEAM_MANAGER], **extra)  # fmt: skip


@contextmanager
def demo_seeded(node, django_db_blocker, authorities: list[str] | None = None):
    """For a module-scoped fixture: the quick start's demo, seeded at the instant every test of the
    module runs at (so its "today" is theirs), and flushed after the module."""
    from cases.selectors.timescales import clear_policy_cache

    with django_db_blocker.unblock(), clock.held(node):
        clear_policy_cache()
        call_command("load_authorities", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", quiet_logins=True, authorities=authorities)
        yield
        call_command("flush", interactive=False, verbosity=0)
        clear_policy_cache()
