"""The working-day calendar: Monday to Friday, less England & Wales bank holidays and the
authority's own closure days.

Working days are precomputed for a span of years as a sorted list of ordinals with a prefix count,
so adding or counting working days is a couple of array look-ups rather than a day-by-day walk.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np

# Every date a form accepts (1900 to 2100, cases/dates.py) can start a clock, and a clock started
# late in 2100 still ends within the span.
FIRST_YEAR = 1900
LAST_YEAR = 2150

# numpy's datetime64[D] counts days from 1 Jan 1970; Python's ordinals from 1 Jan of year 1.
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@lru_cache(maxsize=1)
def _bank_holidays() -> frozenset[date]:
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=years))


def bank_holiday_name(day: date) -> str | None:
    names = holidays.country_holidays("GB", subdiv="ENG", years=[day.year])
    return names.get(day)


class WorkingCalendar:
    """Working days for one authority. `closures` are the authority's extra non-working days."""

    def __init__(self, closures: Iterable[date] = ()):
        self.closures = frozenset(closures)
        self._non_working = _bank_holidays() | self.closures
        first = date(FIRST_YEAR, 1, 1).toordinal()
        last = date(LAST_YEAR, 12, 31).toordinal()
        non_working = {d.toordinal() for d in self._non_working}
        # Weekday of ordinal o is (o - 1) % 7 with Monday = 0 (date.fromordinal(1) is a Monday).
        self._days = [o for o in range(first, last + 1) if (o - 1) % 7 < 5 and o not in non_working]
        self._first = first
        self._last = last
        # For whole arrays at once: the working days as datetime64[D] day numbers, and for every day
        # of the span how many working days fall before it and on or before it (bisect_left and
        # bisect_right of that day, looked up rather than searched).
        self._day_numbers = np.array(self._days, dtype=np.int64) - EPOCH_ORDINAL
        span = np.arange(first, last + 1, dtype=np.int64) - EPOCH_ORDINAL
        self._through = np.searchsorted(self._day_numbers, span, side="right")
        self._before = np.searchsorted(self._day_numbers, span, side="left")
        self._first_number = first - EPOCH_ORDINAL

    @property
    def non_working_days(self) -> frozenset[date]:
        """Bank holidays and closures (weekends aside)."""
        return self._non_working

    def _check(self, ordinal: int) -> None:
        if not self._first <= ordinal <= self._last:
            raise ValueError(f"Dates must fall between {FIRST_YEAR} and {LAST_YEAR}")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._non_working

    def why_not_working(self, day: date) -> str | None:
        """'Saturday', 'Christmas Day', 'closure day', or None for a working day."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        if day in self.closures:
            return "closure day"
        if day in self._non_working:
            return bank_holiday_name(day) or "bank holiday"
        return None

    def add_working_days(self, start: date, n: int) -> date:
        """The nth working day after `start` (day 0); n < 0 counts back before it.

        If day 0 is not a working day, day 1 is the next working day (and day -1 the previous one).
        """
        ordinal = start.toordinal()
        self._check(ordinal)
        if n == 0:
            return start
        # Day 1 is the first working day after day 0, whether or not day 0 is itself one.
        index = bisect_right(self._days, ordinal) + n - 1 if n > 0 else bisect_left(self._days, ordinal) + n
        if not 0 <= index < len(self._days):
            raise ValueError(f"Dates must fall between {FIRST_YEAR} and {LAST_YEAR}")
        return date.fromordinal(self._days[index])

    def add_working_days_array(self, starts, n) -> np.ndarray:
        """`add_working_days` over arrays of starts (datetime64[D]) and counts, as datetime64[D].

        Raises ValueError, as the scalar does, if any start or result falls outside the span.
        """
        numbers = np.asarray(starts, dtype="datetime64[D]").astype(np.int64)
        n = np.asarray(n, dtype=np.int64)
        offsets = numbers - self._first_number
        if offsets.size and (offsets.min() < 0 or offsets.max() >= len(self._through)):
            raise ValueError(f"Dates must fall between {FIRST_YEAR} and {LAST_YEAR}")
        index = np.where(n > 0, self._through[offsets] + n - 1, self._before[offsets] + n)
        moved = n != 0
        if not moved.all():
            index = np.where(moved, index, 0)
        if index.size and (index.min() < 0 or index.max() >= len(self._day_numbers)):
            raise ValueError(f"Dates must fall between {FIRST_YEAR} and {LAST_YEAR}")
        result = self._day_numbers[index]
        if not moved.all():
            result = np.where(moved, result, numbers)
        return result.astype("datetime64[D]")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if end is earlier)."""
        a, b = start.toordinal(), end.toordinal()
        self._check(a)
        self._check(b)
        if b >= a:
            return bisect_right(self._days, b) - bisect_right(self._days, a)
        return -(bisect_left(self._days, a) - bisect_left(self._days, b))

    def non_working_days_between(self, start: date, end: date) -> list[date]:
        """Non-working weekdays (bank holidays and closures) strictly between two dates, in order."""
        low, high = min(start, end), max(start, end)
        day, found = low + timedelta(days=1), []
        while day < high:
            if day.weekday() < 5 and day in self._non_working:
                found.append(day)
            day += timedelta(days=1)
        return found
