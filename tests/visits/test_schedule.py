"""Every shipped authority's visit schedule, worked by hand across Christmas 2026: Fri 25 Dec,
Mon 28 Dec (the Boxing Day substitute) and Fri 1 Jan are bank holidays. The plan, care episode
or placement starts on Mon 14 Dec 2026; the last visit where the child was seen is Fri 18 Dec."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from cases.models import Authority
from cases.rules.timescales import LONDON
from cases.selectors.timescales import policy_for
from visits.schedule import Situation, next_visits

pytestmark = pytest.mark.django_db

STARTED = datetime(2026, 12, 14, 0, 0, tzinfo=LONDON)
VISITED = datetime(2026, 12, 18, 15, 0, tzinfo=LONDON)
BABY = date(2026, 3, 1)
TEN = date(2016, 3, 1)


def schedule(slug, kind, *, last_visit=VISITED, born=TEN, placement=None, permanence=None, conditions=()):
    situation = Situation(schedule=kind, started=STARTED, born=born, last_visit=last_visit,
                          placement_started=placement, permanence_agreed=permanence,
                          conditions=frozenset(conditions))  # fmt: skip
    return [(visit.key, timezone.localtime(visit.due.due_at).date().isoformat())
            for visit in next_visits(policy_for(Authority.objects.get(slug=slug)), situation)]  # fmt: skip


@pytest.mark.parametrize(("slug", "first", "after_a_visit"), [
    # Leeds: every 15 working days from the plan's start, then from each visit.
    ("leeds", ("cp_visit_interval", "2027-01-07"), ("cp_visit_interval", "2027-01-13")),
    # York: the first visit within 7 working days, then every 20 working days.
    ("york", ("cp_first_visit", "2026-12-23"), ("cp_visit_interval", "2027-01-20")),
    # St Helens: within a week, then weekly in the plan's first month, even onto Christmas Day.
    ("st-helens", ("cp_first_visit", "2026-12-21"), ("cp_visit_interval_first_month", "2026-12-25")),
    # Barnet: at least every 10 working days (15-18, 21-24, 29 and 30 Dec).
    ("barnet", ("cp_visit_interval", "2026-12-30"), ("cp_visit_interval", "2027-01-06")),
    # Wiltshire: every 14 days.
    ("wiltshire", ("cp_visit_interval", "2026-12-28"), ("cp_visit_interval", "2027-01-01")),
])  # fmt: skip
def test_child_protection(timescales_loaded, slug, first, after_a_visit):
    assert schedule(slug, "cp", last_visit=None) == [first]
    assert schedule(slug, "cp") == [after_a_visit]


def test_st_helens_after_the_first_month_weekly_unless_the_manager_approves_fortnightly(timescales_loaded):
    later = datetime(2027, 1, 15, 11, tzinfo=LONDON)
    assert schedule("st-helens", "cp", last_visit=later) == [("cp_visit_interval", "2027-01-22")]
    stepped_down = schedule("st-helens", "cp", last_visit=later, conditions=["step_down_approved"])
    assert stepped_down == [("cp_visit_interval", "2027-01-29")]


@pytest.mark.parametrize(("slug", "expected"), [
    ("leeds", ("cin_visit_interval", "2027-01-20")),
    ("york", ("cin_visit_interval", "2027-01-20")),
    ("st-helens", ("cin_visit_interval", "2027-01-18")),
    ("barnet", ("cin_visit_interval", "2027-01-15")),
    ("wiltshire", ("cin_visit_interval", "2027-01-15")),
])  # fmt: skip
def test_child_in_need(timescales_loaded, slug, expected):
    assert schedule(slug, "cin") == [expected]


@pytest.mark.parametrize(("slug", "kind", "expected"), [
    # Barnet sees a baby on a plan every two weeks, sooner than its 10 working days.
    ("barnet", "cp", ("cp_visit_interval_baby", "2027-01-01")),
    ("barnet", "cin", ("cin_visit_interval_baby", "2027-01-08")),
    ("wiltshire", "cin", ("cin_visit_interval_baby", "2027-01-01")),
    # Leeds sets no baby rule: the usual 20 working days.
    ("leeds", "cin", ("cin_visit_interval", "2027-01-20")),
])  # fmt: skip
def test_a_baby_is_seen_more_often_where_the_authority_says_so(timescales_loaded, slug, kind, expected):
    assert schedule(slug, kind, born=BABY) == [expected]


def test_the_baby_rule_ends_at_the_first_birthday(timescales_loaded):
    turned_one = datetime(2027, 3, 1, 10, tzinfo=LONDON)
    assert schedule("barnet", "cin", born=BABY, last_visit=turned_one) == [("cin_visit_interval", "2027-03-29")]


@pytest.mark.parametrize(("slug", "expected"), [
    # Leeds visits on the day of placement and within a week.
    ("leeds", [("lac_placement_day_visit", "2026-12-14"), ("lac_first_visit", "2026-12-21")]),
    # York within 24 hours of the placement (it was recorded as Monday, so by midnight).
    ("york", [("lac_placement_day_visit", "2026-12-15"), ("lac_first_visit", "2026-12-21")]),
    # Barnet and Wiltshire within 5 working days.
    ("barnet", [("lac_first_visit", "2026-12-21")]),
    ("wiltshire", [("lac_first_visit", "2026-12-21")]),
    ("st-helens", [("lac_first_visit", "2026-12-21")]),
])  # fmt: skip
def test_looked_after_first_visit_in_each_placement(timescales_loaded, slug, expected):
    assert schedule(slug, "lac", last_visit=None, placement=STARTED) == expected


@pytest.mark.parametrize(("slug", "expected"), [
    ("leeds", ("lac_visit_interval_first_year", "2027-01-29")),
    ("york", ("lac_visit_interval_first_year", "2027-01-29")),
    # St Helens visits weekly in the first month of care.
    ("st-helens", ("lac_visit_interval_first_month", "2026-12-25")),
])  # fmt: skip
def test_looked_after_in_the_first_year(timescales_loaded, slug, expected):
    assert schedule(slug, "lac", placement=STARTED) == [expected]


def test_looked_after_after_the_first_year_three_monthly_once_permanence_is_agreed(timescales_loaded):
    a_year_on = datetime(2027, 12, 20, 10, tzinfo=LONDON)
    assert schedule("leeds", "lac", last_visit=a_year_on, placement=STARTED) == [
        ("lac_visit_interval_after_first_year", "2028-01-31")]  # fmt: skip
    permanent = schedule("leeds", "lac", last_visit=a_year_on, placement=STARTED, permanence=date(2027, 9, 1))
    assert permanent == [("lac_visit_interval_after_first_year", "2028-03-20")]


def test_a_new_placement_restarts_the_first_visit_clock(timescales_loaded):
    moved = datetime(2027, 1, 4, 0, 0, tzinfo=LONDON)
    assert schedule("leeds", "lac", placement=moved) == [
        ("lac_placement_day_visit", "2027-01-04"), ("lac_first_visit", "2027-01-11")]  # fmt: skip
