"""Working-day arithmetic and due dates over whole arrays give exactly what the one-at-a-time
functions give: a recalculation must move each deadline where due() would."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.rules.bulk import as_datetimes, as_instants
from cases.rules.calendar import FIRST_YEAR, LAST_YEAR, WorkingCalendar
from cases.rules.config import load_file
from cases.rules.policy import build_policy

from .conftest import AUTHORITIES, SLUGS

CALENDAR = WorkingCalendar(closures=[date(2026, 12, 24), date(2027, 4, 1)])
SPAN_START, SPAN_END = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
# Starts near the span's edges as well as ordinary ones, so results fall outside it too.
starts = st.one_of(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.dates(min_value=SPAN_START, max_value=date(FIRST_YEAR, 3, 1)),
    st.dates(min_value=date(LAST_YEAR, 11, 1), max_value=SPAN_END),
)
pairs = st.lists(st.tuples(starts, st.integers(min_value=-300, max_value=300)), min_size=1, max_size=60)


def scalar(start: date, n: int) -> date | None:
    try:
        return CALENDAR.add_working_days(start, n)
    except ValueError:
        return None


@given(pairs)
# No per-example time limit: the first example builds the calendar's arrays, and CI runs on a busy machine.
@settings(max_examples=300, deadline=None)
def test_the_array_form_adds_working_days_as_the_scalar_does(cases):
    expected = [scalar(start, n) for start, n in cases]
    if None in expected:
        # Any pair whose start or result leaves the span fails the whole array, as it fails alone.
        with pytest.raises(ValueError):
            CALENDAR.add_working_days_array([s for s, _ in cases], [n for _, n in cases])
        return
    days = np.array([s for s, _ in cases], dtype="datetime64[D]")
    result = CALENDAR.add_working_days_array(days, [n for _, n in cases])
    assert result.astype(object).tolist() == expected


def test_the_array_form_counts_from_non_working_days_and_refuses_dates_outside_the_span():
    saturday, christmas_eve_closure = date(2026, 12, 19), date(2026, 12, 24)
    days = np.array([saturday, saturday, christmas_eve_closure, christmas_eve_closure, saturday], dtype="datetime64[D]")
    result = CALENDAR.add_working_days_array(days, [1, -1, 1, 0, 0]).astype(object).tolist()
    assert result == [date(2026, 12, 21), date(2026, 12, 18), date(2026, 12, 29), christmas_eve_closure, saturday]
    with pytest.raises(ValueError):
        CALENDAR.add_working_days_array([SPAN_END], [1])
    with pytest.raises(ValueError):
        CALENDAR.add_working_days_array([SPAN_START - timedelta(days=1)], [0])


def sample_starts() -> np.ndarray:
    rng = np.random.default_rng(24)
    low, high = (int(datetime(y, 1, 1, tzinfo=UTC).timestamp()) for y in (1995, 2040))
    seconds = rng.integers(low, high, 60)
    # Either side of midnight, and of the clocks changing (29 Mar and 25 Oct 2026).
    edges = [datetime(2026, 3, 28, 23, 30, tzinfo=UTC), datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
             datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 6, 30, 23, 0, tzinfo=UTC),
             datetime(2026, 10, 25, 0, 59, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
             datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]  # fmt: skip
    return np.concatenate([seconds * 1_000_000 + rng.integers(0, 1_000_000, 60), as_instants(edges)])


def test_due_many_gives_what_due_gives_for_every_key_and_condition(policies):
    instants = sample_starts()
    moments = as_datetimes(instants, UTC)
    seen = set()
    for slug in SLUGS:
        policy = policies[slug]
        for key in policy.all_keys():
            timescale = policy.timescale(key)
            for conditions in {(), *((c,) for c in timescale.conditions), tuple(timescale.conditions)}:
                try:
                    expected = [policy.due(key, moment, conditions, latest=True) for moment in moments]
                except ValueError:
                    with pytest.raises(ValueError):
                        policy.due_many(key, instants, conditions)
                    continue
                result = policy.due_many(key, instants, conditions)
                where = (slug, key, conditions)
                assert result.due_at.tolist() == as_instants([d.due_at for d in expected]).tolist(), where
                outcomes = [result.outcomes[n] for n in result.outcome]
                assert outcomes == [(d.rule, d.condition or "", d.floor is not None) for d in expected], where
                # Starts said to share an explanation do share it.
                by_value = {}
                for value, d in zip(result.explained_by.tolist(), expected, strict=True):
                    assert by_value.setdefault(value, d.explanation) == d.explanation, where
                seen |= {d.duration.unit for d in expected} | {"floor" for d in expected if d.floor is not None}
                seen |= {"condition" for d in expected if d.condition}
    assert {"working_days", "calendar_days", "weeks", "months", "hours", "floor", "condition"} <= seen


def test_a_floor_is_settled_once_per_key_so_one_date_is_computed(monkeypatch):
    calls = []
    original = WorkingCalendar.add_working_days
    monkeypatch.setattr(WorkingCalendar, "add_working_days", lambda self, *a: calls.append(a) or original(self, *a))
    policy = build_policy(load_file(AUTHORITIES / "england.toml"), load_file(AUTHORITIES / "leeds.toml"))
    floored = [key for key in policy.all_keys() if policy.statutory_default(key) and policy.timescale(key).is_deadline
               and not policy.timescale(key).inherited and policy.timescale(key).duration.unit == "working_days"
               and policy.statutory_default(key).duration.unit == "working_days"
               and policy.statutory_default(key).anchor == policy.timescale(key).anchor]  # fmt: skip
    assert floored
    for key in floored:
        calls.clear()
        policy.due(key, date(2026, 12, 16))
        assert len(calls) == 1, key
