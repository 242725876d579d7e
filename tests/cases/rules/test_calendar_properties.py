"""Hypothesis properties of the working-day calendar and due dates (DESIGN §9)."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cases.rules.calendar import WorkingCalendar
from cases.rules.durations import Duration
from cases.rules.timescales import Timescale, due

CALENDAR = WorkingCalendar(closures=[date(2026, 12, 24), date(2027, 4, 1)])
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=1, max_value=400)
units = st.sampled_from(["working_days", "calendar_days", "weeks", "months", "years", "hours"])


def timescale(duration: str) -> Timescale:
    return Timescale("k", "test", "anchor", "one-off", Duration.parse(duration), source="test")


@given(days, counts)
def test_working_day_deadline_never_lands_on_a_non_working_day(start, n):
    result = CALENDAR.add_working_days(start, n)
    assert result.weekday() < 5
    assert CALENDAR.is_working_day(result)
    assert result > start


@given(days, counts)
def test_counting_back_never_lands_on_a_non_working_day(start, n):
    result = CALENDAR.add_working_days(start, -n)
    assert CALENDAR.is_working_day(result)
    assert result < start


@given(days, st.integers(min_value=-400, max_value=400))
def test_adding_then_counting_round_trips(start, n):
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, n)) == n


@given(days, days, counts)
def test_working_day_deadlines_are_monotonic_in_the_start(a, b, n):
    early, late = min(a, b), max(a, b)
    assert CALENDAR.add_working_days(early, n) <= CALENDAR.add_working_days(late, n)


@given(days, days, counts, units)
@settings(max_examples=300)
def test_due_is_monotonic_in_the_start_for_every_unit(a, b, n, unit):
    ts = timescale(f"{n} {unit}")
    early, late = min(a, b), max(a, b)
    assert due(ts, early, CALENDAR).due_at <= due(ts, late, CALENDAR).due_at


@given(days, counts)
def test_before_rules_invert_after_rules_on_working_days(event, n):
    """Counting n working days back from an event and then n forward returns to the event (or, for
    an event on a non-working day, to the first working day after it)."""
    before = due(timescale(f"-{n} working_days"), event, CALENDAR).due_date
    after = due(timescale(f"{n} working_days"), before, CALENDAR).due_date
    expected = event if CALENDAR.is_working_day(event) else CALENDAR.add_working_days(event, 1)
    assert after == expected


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)),
    counts,
)
def test_before_hours_invert_after_hours_across_clock_changes(event, n):
    before = due(timescale(f"-{n} hours"), event, CALENDAR).due_at
    assert due(timescale(f"{n} hours"), before, CALENDAR).due_at == event
    assert event - before == timedelta(hours=n)


@given(days, st.integers(min_value=1, max_value=36))
def test_months_clip_to_the_month_end_and_are_never_rolled(start, n):
    result = due(timescale(f"{n} months"), start, CALENDAR).due_date
    months = start.year * 12 + start.month - 1 + n
    assert (result.year, result.month) == (months // 12, months % 12 + 1)
    assert result.day == start.day or result.day < start.day
