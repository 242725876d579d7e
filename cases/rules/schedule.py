"""Phased intervals: which interval applies to the next occurrence of a recurring duty.

Reference §1: "The interval in force is the one for the phase that contains the date of the
previous occurrence." A phase key (e.g. `cp_visit_interval_first_month`) carries its phase: it
starts at an anchor event and lasts a length (or until another event).
"""

from __future__ import annotations

from datetime import date, datetime

from .policy import Policy
from .timescales import Due, as_local, due_at


def phase_end(policy: Policy, phase_key: str, phase_started: date | datetime) -> datetime | None:
    timescale = policy.timescale(phase_key)
    if timescale.phase is None or timescale.phase.length is None:
        return None
    return due_at(timescale.phase.length, as_local(phase_started, policy.tz), policy.calendar)


def next_due(
    policy: Policy,
    *,
    steady_key: str,
    phase_key: str,
    previous: date | datetime,
    phase_started: date | datetime,
    phase_ended_by_event: bool = False,
    conditions=frozenset(),
) -> Due:
    """The next occurrence after `previous`, using the phase interval while `previous` falls inside
    the phase (and the phase key has a value for this authority), the steady interval after it.

    For phases that end at an event rather than after a length (placement until the first review),
    the caller says whether that event has happened (`phase_ended_by_event`).
    """
    phase = not phase_ended_by_event and in_phase(policy, phase_key, phase_started, previous)
    return policy.due(phase_key if phase else steady_key, previous, frozenset(conditions))


def in_phase(policy: Policy, phase_key: str, phase_started: date | datetime, previous: date | datetime) -> bool:
    """Whether `previous` falls inside the phase of `phase_key` (which must have a value here)."""
    if not policy.timescale(phase_key).is_deadline:
        return False
    end = phase_end(policy, phase_key, phase_started)
    return end is None or as_local(previous, policy.tz) < _start_of(end)


def _start_of(end_of_phase: datetime) -> datetime:
    # A phase of "1 months" from 1 Dec covers days up to, not including, 1 Jan: the phase length
    # lands on the first day outside it.
    return end_of_phase.replace(hour=0, minute=0, second=0)
