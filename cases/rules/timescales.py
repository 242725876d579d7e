"""Timescale values and `due`: when a deadline falls, and why.

Conventions (shared/reference/timescales.md §1): the start day is day 0; day-, week-, month- and
year-based deadlines fall due at the end of the due day in the authority's time zone and are never
moved off a weekend or bank holiday; hours are exact elapsed time; months clip to the month's end;
"before" rules count back from the scheduled event.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import numpy as np

from .bulk import due_at_many
from .calendar import WorkingCalendar
from .durations import DAY_COUNTED, Duration

LONDON = ZoneInfo("Europe/London")
END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True, slots=True)
class Variant:
    """A value that replaces the timescale's own when `condition` holds."""

    condition: str
    duration: Duration
    source: str = ""
    note: str = ""
    citation: str = ""  # the source as a reader may see it (cases/rules/citations.py)


@dataclass(frozen=True, slots=True)
class Phase:
    """An interval that applies only while the previous occurrence falls inside a phase that starts
    at `anchor` and lasts `length` (or until the event `ends_at`)."""

    anchor: str
    length: Duration | None = None
    ends_at: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Where the source contradicts itself: the reading configured and the one not chosen."""

    ref: str
    chosen: str
    other_reading: str
    other_source: str
    basis: str


# The stages of a case the Timescales page groups by, in the order a case moves through them.
STAGES = {
    "front_door": "Front door",
    "assessment": "Assessment",
    "child_protection": "Child protection",
    "child_in_need": "Child in need",
    "looked_after": "Looked after",
    "care_leavers": "Care leavers",
    "supervision": "Supervision and oversight",
    "other": "Other",
}


@dataclass(frozen=True)
class Timescale:
    key: str
    what: str
    anchor: str
    kind: str
    duration: Duration | None
    source: str = ""
    note: str = ""
    status: str = "local"  # statutory | guidance | common_practice | local | none
    variants: tuple[Variant, ...] = ()
    phase: Phase | None = None
    conflict: Conflict | None = None
    count: str = ""  # for count-per-period rules ("1 per school_term"): not a deadline
    authority: str = "england"
    inherited: bool = False
    effective_from: date = date(2000, 1, 1)
    # For readers: what a social worker calls it ("Child protection visit"), one plain sentence on
    # what it is, the stage of a case it belongs to, and its source without line numbers or file names.
    name: str = ""
    description: str = ""
    stage: str = ""
    citation: str = ""

    @property
    def is_deadline(self) -> bool:
        return self.duration is not None

    @property
    def conditions(self) -> tuple[str, ...]:
        return tuple(v.condition for v in self.variants)


@dataclass(slots=True)
class Due:
    """A computed deadline. The explanation is built only when read, so bulk computation is cheap."""

    timescale: Timescale
    duration: Duration
    condition: str | None
    start: datetime
    due_at: datetime
    calendar: WorkingCalendar
    # The statutory default, when it falls earlier than the local value: due_at is then its due_at.
    floor: Due | None = None
    _explanation: str | None = field(default=None, repr=False)

    @property
    def due_date(self) -> date:
        return self.due_at.date()

    @property
    def rule(self) -> str:
        return str(self.duration)

    @property
    def explanation(self) -> str:
        if self._explanation is None:
            self._explanation = _explain(self)
        return self._explanation


def as_local(start: date | datetime, tz: ZoneInfo = LONDON) -> datetime:
    """A start as an aware local date-time; a bare date is midnight at the start of that day."""
    if isinstance(start, datetime):
        return start.replace(tzinfo=tz) if start.tzinfo is None else start.astimezone(tz)
    return datetime.combine(start, time(0, 0), tzinfo=tz)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


_SHIFTS = {
    "working_days": lambda day, amount, calendar: calendar.add_working_days(day, amount),
    "school_days": lambda day, amount, calendar: calendar.add_working_days(day, amount),
    "calendar_days": lambda day, amount, calendar: day + timedelta(days=amount),
    "weeks": lambda day, amount, calendar: day + timedelta(weeks=amount),
    "months": lambda day, amount, calendar: add_months(day, amount),
    "years": lambda day, amount, calendar: add_months(day, 12 * amount),
}


def due_at(duration: Duration, start: datetime, calendar: WorkingCalendar) -> datetime:
    """The due moment for `duration` from an aware local `start`."""
    steps = duration.steps
    if steps[0][1] == "hours":
        utc = start.astimezone(UTC) + timedelta(hours=steps[0][0])
        return utc.astimezone(start.tzinfo)
    day = start.date()
    for amount, unit in steps:
        day = _SHIFTS[unit](day, amount, calendar)
    return datetime.combine(day, END_OF_DAY, tzinfo=start.tzinfo)


def shift_for(duration: Duration, calendar: WorkingCalendar):
    """`due_at` for one duration as a function of the local start alone, for the common shapes."""
    steps = duration.steps
    amount, unit = steps[0]
    if unit == "hours":
        delta = timedelta(hours=amount)
        return lambda start: (start.astimezone(UTC) + delta).astimezone(start.tzinfo)
    if len(steps) == 1 and unit in DAY_COUNTED:
        add = calendar.add_working_days
        return lambda start: datetime.combine(add(start.date(), amount), END_OF_DAY, start.tzinfo)
    if len(steps) == 1 and unit in ("calendar_days", "weeks"):
        delta = timedelta(days=amount * (7 if unit == "weeks" else 1))
        return lambda start: datetime.combine(start.date() + delta, END_OF_DAY, start.tzinfo)
    return lambda start: due_at(duration, start, calendar)


def _scale(duration: Duration) -> tuple[str, int] | None:
    """A measure that orders due moments of single-part durations of one kind from any start: more
    working days, days, months or hours always fall strictly later. None for compound durations."""
    if len(duration.steps) > 1:
        return None
    amount, unit = duration.steps[0]
    if unit in DAY_COUNTED:
        return ("working", amount)
    if unit in ("calendar_days", "weeks"):
        return ("days", amount * (7 if unit == "weeks" else 1))
    if unit in ("months", "years"):
        return ("months", amount * (12 if unit == "years" else 1))
    return ("hours", amount)


def candidates(timescale: Timescale, conditions: frozenset[str]) -> list[tuple[Duration, str | None]]:
    """The values that may apply under `conditions`: the variants whose condition holds, or else the
    timescale's own value."""
    applicable = [(v.duration, v.condition) for v in timescale.variants if v.condition in conditions]
    if applicable:
        return applicable
    if timescale.duration is None:
        # Some authorities set a value only for a condition (Barnet supervises newly qualified
        # workers fortnightly but gives no general interval).
        needs = f" unless {' or '.join(timescale.conditions)}" if timescale.conditions else ""
        raise ValueError(f"{timescale.key} has no value for {timescale.authority}{needs}")
    return [(timescale.duration, None)]


def _earliest_always(options: list[tuple[Duration, str | None]]) -> int | None:
    """Which option falls due first from every start (the first of equals), if that is fixed."""
    scales = [_scale(duration) for duration, _ in options]
    if any(scale is None for scale in scales) or len({kind for kind, _ in scales}) > 1:
        return None
    amounts = [amount for _, amount in scales]
    return amounts.index(min(amounts))


class DuePlan:
    """`due` for one timescale and its statutory floor under one set of conditions, with what does
    not depend on the start settled once: which variant wins and whether the floor binds are fixed
    for most keys, so only one date is computed per call."""

    __slots__ = ("timescale", "floor", "calendar", "local", "statutory", "fixed", "floor_binds")

    def __init__(self, timescale: Timescale, floor: Timescale | None, conditions: frozenset[str],
                 calendar: WorkingCalendar):  # fmt: skip
        self.timescale, self.floor, self.calendar = timescale, floor, calendar
        local = candidates(timescale, conditions)
        statutory = candidates(floor, conditions) if floor is not None else []
        self.local = [(d, c, shift_for(d, calendar)) for d, c in local]
        self.statutory = [(d, c, shift_for(d, calendar)) for d, c in statutory]
        local_first, floor_first = _earliest_always(local), _earliest_always(statutory) if statutory else None
        self.fixed, self.floor_binds = False, False
        if local_first is not None and (floor is None or floor_first is not None):
            self.local = [self.local[local_first]]
            if floor is not None:
                self.statutory = [self.statutory[floor_first]]
                kind, floor_amount = _scale(statutory[floor_first][0])
                other, local_amount = _scale(local[local_first][0])
                if kind == other:
                    self.floor_binds = floor_amount < local_amount
                    self.fixed = True
            else:
                self.fixed = True

    def due(self, local_start: datetime) -> Due:
        if self.fixed:
            if self.floor_binds:
                duration, condition, shift = self.statutory[0]
                floor = Due(self.floor, duration, condition, local_start, shift(local_start), self.calendar)
                duration, condition, _ = self.local[0]
                return Due(self.timescale, duration, condition, local_start, floor.due_at, self.calendar, floor)
            duration, condition, shift = self.local[0]
            return Due(self.timescale, duration, condition, local_start, shift(local_start), self.calendar)
        result = _earliest(self.timescale, self.local, local_start, self.calendar)
        if self.floor is not None:
            statutory = _earliest(self.floor, self.statutory, local_start, self.calendar)
            if statutory.due_at < result.due_at:
                result.floor = statutory
                result.due_at = statutory.due_at
        return result


    def outcomes(self) -> list[tuple[str, str, bool]]:
        """What `due_many`'s outcome numbers stand for: (rule, condition applied, floor applied)."""
        return [(str(duration), condition or "", binds) for duration, condition, _ in self.local
                for binds in (False, True)]  # fmt: skip

    def counts_in_days(self) -> bool:
        """Whether every value here is counted in days (so a start's local day settles everything)."""
        return all(duration.steps[0][1] != "hours" for duration, _, _ in (*self.local, *self.statutory))

    def due_many(self, instants: np.ndarray, days: np.ndarray, tz) -> tuple[np.ndarray, np.ndarray]:
        """`due` for many starts (instants and their local days): the due instants, and per start
        the number of its outcome in `outcomes()`."""
        if self.fixed:
            duration = (self.statutory if self.floor_binds else self.local)[0][0]
            at = due_at_many(duration, instants, days, self.calendar, tz)
            return at, np.full(len(instants), int(self.floor_binds), dtype=np.int64)
        at, choice = _earliest_many(self.local, instants, days, self.calendar, tz)
        binds = np.zeros(len(instants), dtype=bool)
        if self.floor is not None:
            statutory, _ = _earliest_many(self.statutory, instants, days, self.calendar, tz)
            binds = statutory < at
            at = np.where(binds, statutory, at)
        return at, choice * 2 + binds


def _earliest_many(options: list, instants, days, calendar: WorkingCalendar, tz) -> tuple[np.ndarray, np.ndarray]:
    moments = np.vstack([due_at_many(duration, instants, days, calendar, tz) for duration, _, _ in options])
    choice = np.argmin(moments, axis=0)  # the first of equal earliest, as _earliest
    return moments[choice, np.arange(len(instants))], choice


def _earliest(timescale: Timescale, options: list, local_start: datetime, calendar: WorkingCalendar) -> Due:
    best = None
    for duration, condition, shift in options:
        at = shift(local_start)
        if best is None or at < best[0]:
            best = (at, duration, condition)
    at, duration, condition = best
    return Due(timescale, duration, condition, local_start, at, calendar)


def due(
    timescale: Timescale,
    start: date | datetime,
    calendar: WorkingCalendar,
    conditions: frozenset[str] | set[str] | tuple = frozenset(),
    tz: ZoneInfo = LONDON,
) -> Due:
    """When `timescale` falls due from `start`. A variant whose condition holds replaces the
    timescale's own value; where several hold, the earliest (strictest) wins."""
    options = candidates(timescale, conditions)
    shifts = [(duration, condition, partial(due_at, duration, calendar=calendar)) for duration, condition in options]
    return _earliest(timescale, shifts, as_local(start, tz), calendar)


# --- explanations ---------------------------------------------------------------------------------


def fmt_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def fmt_moment(moment: datetime) -> str:
    return f"{fmt_day(moment.date())} {moment:%H:%M} {moment.tzname()}"


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def explain_arithmetic(duration: Duration, start: datetime, at: datetime, calendar: WorkingCalendar) -> str:
    words = duration.words()
    unit = duration.parts[0][1]
    if unit == "hours":
        relation = "before" if duration.before else "from"
        text = f"{words} {relation} {fmt_moment(start)}: due {fmt_moment(at)}"
        if start.utcoffset() != at.utcoffset():
            text += " (the clocks change in between; counted in elapsed hours)"
        return text + "."
    relation = "before" if duration.before else "from"
    text = f"{words} {relation} {fmt_day(start.date())}"
    if unit in ("working_days", "school_days"):
        skipped = calendar.non_working_days_between(start.date(), at.date())
        if skipped:
            text += ", skipping " + _join([_short(d) for d in skipped])
    elif unit in ("months", "years"):
        target_day = start.date().day
        if at.date().day != target_day:
            text += f" (the month has no day {target_day}, so its last day)"
    text += f": due end of {fmt_day(at.date())}"
    reason = calendar.why_not_working(at.date())
    if reason and unit not in ("working_days", "school_days"):
        text += f" ({reason}; the date is not moved)"
    text += "."
    if unit == "school_days":
        text += " No term calendar is configured, so school days were counted as working days."
    return text


def _explain(result: Due) -> str:
    ts = result.timescale
    lines = [f"{ts.what} ({ts.key}), {ts.authority}: {result.rule} from {ts.anchor.replace('_', ' ')}."]
    if result.condition:
        lines.append(f"Variant applied: {result.condition.replace('_', ' ')}.")
    floor = result.floor
    local_at = due_at(result.duration, result.start, result.calendar) if floor else result.due_at
    lines.append(explain_arithmetic(result.duration, result.start, local_at, result.calendar))
    lines.append(f"Source: {ts.source or 'no source recorded'}.")
    if floor is not None:
        lines.append(
            f"The law is the floor: the statutory {floor.rule} ({floor.timescale.source}) falls earlier. "
            + explain_arithmetic(floor.duration, floor.start, floor.due_at, floor.calendar)
            + f" Due end of {fmt_day(floor.due_date)}."
        )
    return " ".join(lines)
