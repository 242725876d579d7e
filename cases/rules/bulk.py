"""Due moments for whole arrays of start instants at once, as `due_at` computes them one by one.

Instants are integer microseconds since 1970-01-01 UTC and days are numpy day numbers (days since
1970-01-01), so a recalculation of a million deadlines is a handful of array operations per key
rather than a million Python objects.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from .calendar import EPOCH_ORDINAL, FIRST_YEAR, LAST_YEAR, WorkingCalendar
from .durations import DAY_COUNTED, Duration

SECOND = 1_000_000
DAY = 86_400 * SECOND
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Day-counted deadlines fall due at 23:59:59 local time (timescales.END_OF_DAY).
_END_OF_DAY_TIME = time(23, 59, 59)
_END_OF_DAY = (86_400 - 1) * SECOND
_SPAN_START = date(FIRST_YEAR, 1, 1).toordinal() - EPOCH_ORDINAL
_SPAN_END = date(LAST_YEAR, 12, 31).toordinal() - EPOCH_ORDINAL


@lru_cache(maxsize=4)
def _utc_offsets(tz: ZoneInfo) -> tuple[np.ndarray, np.ndarray]:
    """The instants (seconds) from which each UTC offset (microseconds) of `tz` holds, over the span.

    Sampled daily at noon UTC (no zone changes its offset twice in a day), then each change is
    narrowed to its second by bisection.
    """

    def offset(second: int) -> int:
        return int(datetime.fromtimestamp(second, tz).utcoffset().total_seconds())

    starts, offsets = [_SPAN_START * 86_400], [offset(_SPAN_START * 86_400 + 43_200)]
    for day in range(_SPAN_START + 1, _SPAN_END + 1):
        noon = day * 86_400 + 43_200
        now = offset(noon)
        if now != offsets[-1]:
            low, high = noon - 86_400, noon  # offset(low) is the old value, offset(high) the new
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (low, middle) if offset(middle) == now else (middle, high)
            starts.append(high)
            offsets.append(now)
    return np.array(starts, dtype=np.int64) * SECOND, np.array(offsets, dtype=np.int64) * SECOND


@lru_cache(maxsize=4)
def _end_of_day_offsets(tz: ZoneInfo) -> np.ndarray:
    """The UTC offset (microseconds) at 23:59:59 local time on each day of the span."""
    first = date(FIRST_YEAR, 1, 1)
    return np.array(
        [
            int(datetime.combine(first + timedelta(days=n), _END_OF_DAY_TIME, tz).utcoffset().total_seconds())
            for n in range(_SPAN_END - _SPAN_START + 1)
        ],
        dtype=np.int64,
    ) * SECOND


def local_days(instants: np.ndarray, tz: ZoneInfo) -> np.ndarray:
    """The local calendar day (day number) of each instant."""
    starts, offsets = _utc_offsets(tz)
    index = np.maximum(np.searchsorted(starts, instants, side="right") - 1, 0)
    return (instants + offsets[index]) // DAY


def end_of_day_instants(days: np.ndarray, tz: ZoneInfo) -> np.ndarray:
    """The instant of 23:59:59 local time on each day."""
    outside = (days < _SPAN_START) | (days > _SPAN_END)
    table = _end_of_day_offsets(tz)
    offsets = table[np.clip(days - _SPAN_START, 0, len(table) - 1)]
    if outside.any():
        for i in np.flatnonzero(outside):
            day = date.fromordinal(int(days[i]) + EPOCH_ORDINAL)
            moment = datetime.combine(day, _END_OF_DAY_TIME, tz)
            offsets[i] = int(moment.utcoffset().total_seconds()) * SECOND
    return days * DAY + _END_OF_DAY - offsets


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """timescales.add_months over day numbers: the same day of the month, or the month's last."""
    as_days = days.astype("datetime64[D]")
    month = as_days.astype("datetime64[M]")
    day_of_month = (as_days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    first = target.astype("datetime64[D]").astype(np.int64)
    length = (target + 1).astype("datetime64[D]").astype(np.int64) - first
    return first + np.minimum(day_of_month, length - 1)


def due_at_many(duration: Duration, instants: np.ndarray, days: np.ndarray, calendar: WorkingCalendar,
                tz: ZoneInfo) -> np.ndarray:  # fmt: skip
    """timescales.due_at for each start: `instants` and their local `days`; due instants out."""
    steps = duration.steps
    if steps[0][1] == "hours":
        return instants + steps[0][0] * 3600 * SECOND
    for amount, unit in steps:
        if unit in DAY_COUNTED:
            days = calendar.add_working_days_array(days.astype("datetime64[D]"), amount).astype(np.int64)
        elif unit == "calendar_days":
            days = days + amount
        elif unit == "weeks":
            days = days + 7 * amount
        else:
            days = add_months(days, amount * (12 if unit == "years" else 1))
    return end_of_day_instants(days, tz)


def as_datetimes(instants: np.ndarray, tz: ZoneInfo) -> list[datetime]:
    """Aware datetimes in `tz` for instants; each distinct instant is converted once."""
    values, inverse = np.unique(instants, return_inverse=True)
    moments = [(EPOCH + timedelta(microseconds=int(value))).astimezone(tz) for value in values]
    return [moments[i] for i in inverse.tolist()]


def as_instants(moments: list[datetime]) -> np.ndarray:
    """Microseconds since the epoch for aware datetimes."""
    return np.array([(moment - EPOCH) // timedelta(microseconds=1) for moment in moments], dtype=np.int64)
