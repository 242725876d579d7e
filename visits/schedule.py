"""The child's next statutory visit: from their status, the authority's timescales and the last
visit that counted (the child was seen). Pure: it reads a `Situation` and the authority's
`Policy`, and writes nothing, so every authority's schedule is testable date by date.

Reference §1: the interval in force is the one for the phase holding the previous visit; where
several rules apply (a baby, a manager's approved step-down), the strictest wins and the
explanation names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from cases.rules.policy import Policy
from cases.rules.schedule import in_phase
from cases.rules.timescales import Due, add_months


@dataclass(frozen=True)
class Keys:
    """The catalogue keys one kind of statutory visit is scheduled by."""

    first: str | None  # the first visit after the status (or placement) starts
    steady: str  # the interval once any phase is over
    phases: tuple[str, ...] = ()  # earlier phases, in order; each key carries its own phase
    baby: str | None = None  # a stricter interval for a child under one, where the authority sets it
    placement_day: str | None = None  # looked after: a visit on the day of each placement
    # Looked after and placed for adoption: the first visit, the interval to the placement's first
    # review, and after it. Where the authority sets the key for the phase, it replaces the
    # regular looked-after interval (the adoptive placement's visits are a regime of their own).
    adoptive: tuple[str, str, str] | None = None

    def all(self) -> tuple[str, ...]:
        return tuple(key for key in (self.first, self.steady, *self.phases, self.baby, self.placement_day,
                                     *(self.adoptive or ())) if key)  # fmt: skip


SCHEDULES = {
    "cp": Keys(first="cp_first_visit", phases=("cp_visit_interval_first_month",), steady="cp_visit_interval",
               baby="cp_visit_interval_baby"),
    "cin": Keys(first=None, steady="cin_visit_interval", baby="cin_visit_interval_baby"),
    "lac": Keys(first="lac_first_visit", phases=("lac_visit_interval_first_month", "lac_visit_interval_first_year"),
                steady="lac_visit_interval_after_first_year", baby="lac_visit_interval_baby",
                placement_day="lac_placement_day_visit",
                adoptive=("adoptive_placement_first_visit", "adoptive_placement_visit_interval_to_first_review",
                          "adoptive_placement_visit_interval_after_first_review")),
    "private_fostering": Keys(first="pf_first_visit", phases=("pf_visit_interval_first_year",),
                              steady="pf_visit_interval_after_first_year"),
}  # fmt: skip
# Where a child has more than one status, the schedule of the first here applies.
PRIORITY = ("cp", "lac", "cin", "private_fostering")
VISIT_KEYS = frozenset(
    key
    for keys in SCHEDULES.values()
    for key in keys.all()
)


@dataclass(frozen=True)
class Situation:
    schedule: str  # a key of SCHEDULES
    started: datetime  # the status began: plan start, became looked after, notification
    born: date | None
    last_visit: datetime | None  # the last statutory visit of this kind where the child was seen
    placement_started: datetime | None = None
    permanence_agreed: date | None = None
    conditions: frozenset[str] = frozenset()  # recorded by a manager (e.g. step_down_approved)
    adoptive_placed: datetime | None = None  # placed for adoption (looked after only)
    adoptive_first_review: datetime | None = None  # that placement's first review was held


@dataclass(frozen=True)
class NextVisit:
    key: str
    start: datetime
    conditions: tuple[str, ...]
    due: Due
    # The event `start` is, where it is not the last visit: a first visit counts from the start.
    counted_from: str = ""


# The event each schedule's first visit counts from, as the catalogue names anchor events.
STARTED_BY = {"cp": "cp_plan_start", "cin": "cin_decision", "lac": "became_looked_after",
              "private_fostering": "pf_notification"}  # fmt: skip


def next_visits(policy: Policy, situation: Situation) -> list[NextVisit]:
    """The visit deadlines the child should have open now: the schedule's next visit (the
    strictest rule that applies), and for a looked-after child not yet seen since their placement
    began, the placement-day visit where the authority sets one."""
    keys = SCHEDULES[situation.schedule]
    since = situation.placement_started or situation.started
    first_visit_due = situation.last_visit is None or situation.last_visit < since
    wanted = []
    if first_visit_due and keys.placement_day and situation.placement_started:
        wanted.append(_candidate(policy, keys.placement_day, situation.placement_started, situation))
    previous = since if first_visit_due else situation.last_visit
    started_by = "" if not first_visit_due else (
        "placement_start" if situation.placement_started else STARTED_BY[situation.schedule])
    candidates = [_candidate(policy, keys.first, since, situation)] if first_visit_due and keys.first else []
    if not any(candidates):
        candidates.append(_candidate(policy, _interval_key(policy, keys, situation, previous), previous, situation,
                                     counted_from=started_by))  # fmt: skip
    adoptive = _adoptive_candidate(policy, keys, situation)
    if adoptive:
        candidates = [adoptive]
    if keys.baby and _under_one(situation.born, previous):
        candidates.append(_candidate(policy, keys.baby, previous, situation, extra=("under_1",),
                                     counted_from=started_by))  # fmt: skip
    found = [candidate for candidate in candidates if candidate]
    if found:
        wanted.append(min(found, key=lambda candidate: candidate.due.due_at))
    return [visit for visit in wanted if visit]


def _interval_key(policy: Policy, keys: Keys, situation: Situation, previous: datetime) -> str:
    """The first phase that holds the previous visit, else the steady interval. A looked-after
    child's first month counts from becoming looked after, their first year from the placement."""
    for phase in keys.phases:
        phase_started = situation.placement_started if phase.endswith("first_year") and keys.placement_day else None
        if in_phase(policy, phase, phase_started or situation.started, previous):
            return phase
    return keys.steady


def _adoptive_candidate(policy: Policy, keys: Keys, situation: Situation) -> NextVisit | None:
    """Placed for adoption: the first visit from the placement, then the interval to the
    placement's first review, then the one after it; None where the authority sets no value for
    the phase (the regular looked-after schedule then goes on)."""
    placed = situation.adoptive_placed
    if keys.adoptive is None or placed is None:
        return None
    first, to_review, after_review = keys.adoptive
    last = situation.last_visit
    if last is None or last < placed:
        return _candidate(policy, first, placed, situation)
    review = situation.adoptive_first_review
    return _candidate(policy, to_review if review is None or last < review else after_review, last, situation)


def _candidate(policy: Policy, key: str, start: datetime, situation: Situation, extra=(),
               counted_from: str = "") -> NextVisit | None:  # fmt: skip
    conditions = set(situation.conditions) | set(extra)
    if situation.permanence_agreed and situation.permanence_agreed <= start.date():
        conditions.add("permanence_agreed")
    due = policy.due_where_set(key, start, conditions)
    return NextVisit(key, start, policy.known(conditions), due, counted_from) if due else None


def _under_one(born: date | None, on: datetime) -> bool:
    return born is not None and on.date() < add_months(born, 12)
