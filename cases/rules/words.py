"""Timescales in words a social worker uses: the event that starts each clock, and a value as it
is said ("every 20 working days", "within 24 hours of the decision on the referral"). Pure Python,
as the rest of the rules module."""

from __future__ import annotations

import re

from .durations import Duration
from .timescales import Timescale

# The event that starts each clock, as a social worker would name it ("counted from ... on Thu 19 Nov").
# Every anchor in config/authorities/*.toml is here; tests/cases/test_explaining.py keeps it so.
ANCHORS = {
    "adoption_hearing": "the adoption hearing",
    "allocation": "the allocation",
    "assessment_completed": "the last assessment",
    "assessment_start": "the start of the assessment",
    "became_eligible": "the young person becoming eligible for leaving care support",
    "became_looked_after": "the child coming into care",
    "care_order_made": "the care order",
    "case_closed": "the case closing",
    "cin_decision": "the decision that the child is in need",
    "cin_plan_start": "the start of the child in need plan",
    "cin_review": "the child in need meeting",
    "contact_received": "the contact coming in",
    "core_group": "the core group meeting",
    "cp_plan_start": "the start of the child protection plan",
    "date_of_birth": "the child's birth",
    "event_occurred": "the event",
    "filing_deadline": "the court filing date",
    "first_lac_review": "the first looked-after review",
    "icpc": "the initial child protection conference",
    "iro_record_received": "the reviewing officer's record arriving",
    "lac_review": "the looked-after review",
    "last_statutory_visit": "the last visit",
    "missing_return": "the child's return from being missing",
    "pf_notification": "the notice of private fostering",
    "placed_for_adoption": "the placement with adopters",
    "placement_order": "the placement order",
    "placement_start": "the start of the placement",
    "plo_start": "the start of pre-proceedings",
    "previous_occurrence": "the last one",
    "rcpc": "the review child protection conference",
    "referral_decision": "the decision on the referral",
    "referral_received": "the referral",
    "s47_outcome": "the outcome of the section 47 enquiry",
    "s47_start": "the start of the section 47 enquiry",
    "short_break_start": "the first short break",
    "sixteenth_birthday": "the young person's 16th birthday",
    "strategy_discussion": "the strategy discussion",
    "supervision_session": "the last supervision",
    "transfer_in_notified": "the notice that the child moved into the area",
    "visit_date": "the visit",
    "visit_request": "the request for a visit",
}
REPEATING = frozenset({"interval", "phase"})


def anchor_words(anchor: str) -> str:
    return ANCHORS.get(anchor, anchor.replace("_", " "))


def every(duration: Duration) -> str:
    """What follows "every": "20 working days", but "month" rather than "1 month"."""
    words = duration.words()
    return words[2:] if len(duration.parts) == 1 and words.startswith("1 ") else words


def lower_first(text: str) -> str:
    """'Child protection visit' -> 'child protection visit'; 'IRO allocated' keeps its capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def value_words(timescale: Timescale) -> str:
    """The value as it is said: "Every 20 working days", "Within 45 working days of the referral",
    "3 working days before the initial child protection conference"; "" where none is set."""
    duration = timescale.duration
    if duration is None:
        return count_words(timescale.count)
    if duration.before:
        return f"{duration.words()} before {anchor_words(timescale.anchor)}"
    if timescale.kind in REPEATING:
        return f"Every {every(duration)}"
    if timescale.anchor == "date_of_birth":
        return f"By the age of {duration.words()}"
    return f"Within {duration.words()} of {anchor_words(timescale.anchor)}"


_COUNT = re.compile(r"^\s*(\d+)\s+per\s+(?:(\d+)\s+)?([a-z_]+)\s*$")
_SINGULAR = {"years": "year", "months": "month", "weeks": "week", "school_term": "school term",
             "school_terms": "school term", "calendar_days": "day", "working_days": "working day"}  # fmt: skip


def count_words(count: str) -> str:
    """ "2 per 1 years" -> "Twice a year"; "1 per school_term" -> "Once a school term"."""
    match = _COUNT.match(count or "")
    if not match:
        return (count or "").replace("_", " ")
    times, every, unit = match.groups()
    how_often = {"1": "Once", "2": "Twice"}.get(times, f"{times} times")
    if every and every != "1":
        return f"{how_often} every {every} {unit.replace('_', ' ')}"
    return f"{how_often} a {_SINGULAR.get(unit, unit.replace('_', ' '))}"
