"""When supervision is next due, from the authority's timescales (pure: a Policy in, due dates
out). A worker's own supervision follows their flags: a newly qualified worker in the first year
of their ASYE is supervised more often where the authority says so, and the strictest rule that
applies wins. A child's case supervision follows their status (York: four-weekly on a plan,
two-monthly as a child in need, twelve-weekly for a care leaver)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cases.rules.policy import Policy
from cases.rules.timescales import Due, add_months

# The child's status, as the condition York and Wiltshire vary case supervision on.
STATUS_CONDITIONS = {
    "cp": "cp_plan",
    "lac": "looked_after_before_permanence",
    "care_leaver": "care_leaver",
}


@dataclass(frozen=True)
class NextSupervision:
    key: str
    conditions: tuple[str, ...]
    due: Due


def _candidate(policy: Policy, key: str, start: datetime, conditions=()) -> NextSupervision | None:
    due = policy.due_where_set(key, start, conditions)
    return NextSupervision(key, policy.known(conditions), due) if due else None


# York's newly qualified workers are supervised weekly while they settle in (Standard 6, L775-776).
SETTLING_IN = timedelta(weeks=6)


def in_first_year(newly_qualified_from: date | None, on: datetime) -> bool:
    return newly_qualified_from is not None and newly_qualified_from <= on.date() < add_months(newly_qualified_from, 12)


def settling_in(newly_qualified_from: date | None, on: datetime) -> bool:
    return newly_qualified_from is not None and newly_qualified_from <= on.date() < newly_qualified_from + SETTLING_IN


def next_worker_supervision(
    policy: Policy, *, last: datetime, newly_qualified_from: date | None
) -> NextSupervision | None:
    """The worker's next formal supervision after the one on `last` (or their start)."""
    candidates = [_candidate(policy, "supervision_interval", last)]
    if in_first_year(newly_qualified_from, last):
        candidates.append(_candidate(policy, "supervision_interval_nqsw", last, ("newly_qualified",)))
    if settling_in(newly_qualified_from, last):
        candidates.append(_candidate(policy, "supervision_interval_nqsw_first_6_weeks", last))
    found = [candidate for candidate in candidates if candidate]
    return min(found, key=lambda candidate: candidate.due.due_at) if found else None


def next_case_supervision(policy: Policy, *, last: datetime, statuses: set[str]) -> NextSupervision | None:
    """The child's next case supervision after the discussion on `last` (or the case opening)."""
    conditions = tuple(STATUS_CONDITIONS[status] for status in statuses if status in STATUS_CONDITIONS)
    return _candidate(policy, "case_supervision_interval", last, conditions)
