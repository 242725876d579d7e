"""One clock for every test.

Each test, and every fixture it uses, runs at one fixed instant: the one its module (or class, or
the test itself) names with ``@pytest.mark.clock(...)``, else ``DEFAULT``. Nothing a fixture or a
factory makes reads the machine's clock, so a test passes on any day it is run. ``tests/conftest.py``
applies it to every test; ``held`` is for fixtures of a wider scope that make data once.

A test that truly needs the machine's clock says why: ``@pytest.mark.real_clock("why")``.

The instants sit on the edges the rules module exists for: ``DEFAULT`` is a Friday afternoon, so a
window of working days from it starts across a weekend, and ``CHRISTMAS_EVE`` is the Thursday before
Christmas Day and the Boxing Day substitute (Mon 28 Dec 2026).
"""

from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")

DEFAULT = datetime(2026, 11, 20, 17, 30, tzinfo=LONDON)  # Fri 20 Nov 2026, the end of a working week
CHRISTMAS_EVE = datetime(2026, 12, 24, 15, 30, tzinfo=LONDON)  # Thu 24 Dec 2026, two bank holidays ahead


def instant_for(node) -> datetime | None:
    """The instant `node` (a test or a module) runs at, or None where it keeps the real clock."""
    real = node.get_closest_marker("real_clock")
    if real is not None:
        if not (real.args and str(real.args[0]).strip()):
            raise ValueError(f"{node.nodeid}: real_clock needs a reason, e.g. @pytest.mark.real_clock('why')")
        return None
    marker = node.get_closest_marker("clock")
    return marker.args[0] if marker is not None else DEFAULT


@contextmanager
def held(node):
    """Start the clock at `node`'s instant for the block (nothing for a real-clock node). It runs on
    from there, as the machine's did, so two events in one test keep their order; the date cannot
    change within a test."""
    instant = instant_for(node)
    if instant is None:
        yield None
        return
    with time_machine.travel(instant, tick=True) as traveller:
        yield traveller


def from_now(values: dict) -> dict:
    """`values` with each timedelta made a moment that far from the test's now: parametrised cases
    are built at collection, before any test's clock starts, so they hold offsets, not moments."""
    now = timezone.now()
    return {name: now + value if isinstance(value, timedelta) else value for name, value in values.items()}
