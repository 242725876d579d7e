"""The suite's clock (tests/clock.py): each test starts at a fixed instant whatever the day it runs."""

from datetime import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import clock


def node_with(**markers):
    """A stand-in for a pytest node carrying these markers."""
    found = {name: SimpleNamespace(args=args) for name, args in markers.items()}
    return SimpleNamespace(nodeid="stand-in", get_closest_marker=found.get)


def test_a_test_starts_at_the_default_instant():
    assert abs((timezone.now() - clock.DEFAULT).total_seconds()) < 60


@pytest.mark.clock(clock.CHRISTMAS_EVE)
def test_a_marker_chooses_the_instant():
    assert timezone.localdate() == datetime(2026, 12, 24).date()


def test_fixtures_see_the_same_clock(django_user_model, db):
    joined = django_user_model.objects.create_user(email="clock@council.test", password="x").date_joined
    assert abs((joined - clock.DEFAULT).total_seconds()) < 60


def test_the_real_clock_must_say_why():
    assert clock.instant_for(node_with(real_clock=("the browser's idle timer",))) is None
    with pytest.raises(ValueError, match="needs a reason"):
        clock.instant_for(node_with(real_clock=()))
