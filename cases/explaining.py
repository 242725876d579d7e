"""Every deadline told as a social worker would say it, and how its date was worked out.

`reason_for(deadline)` is one sentence for the page: "Next child protection visit due by Thu 17 Dec:
City of York Council visits every 20 working days, counted from the last visit on Thu 19 Nov
(skipping no holidays)." `how_worked_out(deadline)` is what goes behind the "How this date was
worked out" disclosure: the rule's key, the authority and its configuration file, the citation and
the arithmetic. Neither shows the developer-facing `source`, with its line numbers.

Both read the ledger row (key, rule, anchor_at, due_at, condition_applied, statutory_floor_applied)
and the authority's policy for the words; the policy comes from the per-process cache, so a list of
deadlines makes no query per row (pass `policy` where one is already to hand). With a policy, any
object with the ledger's fields will do, such as a row read with `.values()` in a namespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import Authority, Deadline
from .rules.durations import Duration, DurationError
from .rules.policy import Policy, UnknownTimescale
from .rules.timescales import Due, Timescale, due, due_at, explain_arithmetic
from .rules.words import REPEATING, anchor_words, every, lower_first
from .selectors.timescales import NATIONAL, cached_policy_for
from .services.deadlines import AGREED_DATE

# Who sets a value the authority inherits from the national defaults, by the default's status.
NATIONAL_VOICE = {"statutory": "the law", "guidance": "national guidance", "common_practice": "common practice"}
_ASIDE = re.compile(r"\s*\([^()]*\)")


@dataclass(frozen=True)
class WorkedOut:
    """What the "How this date was worked out" disclosure holds."""

    rule_key: str
    authority: str
    config_file: str  # where the value in force is set, e.g. config/authorities/york.toml
    citation: str  # the standard and section, as the authority calls it
    arithmetic: str
    floor_citation: str = ""  # the law's citation, where the statutory floor set the date
    inherited: bool = False  # the authority sets no value of its own: the national default applies
    notes: list[str] = field(default_factory=list)  # what happened that did not meet it


def reason_for(deadline: Deadline, policy: Policy | None = None) -> str:
    policy = policy or _policy_of(deadline)
    if deadline.rule == AGREED_DATE:
        return _first_line(deadline.explanation)
    timescale = _timescale(policy, deadline)
    duration = _duration(deadline.rule)
    start = _local(deadline.anchor_at, policy)
    if timescale is None or duration is None:
        return f"{_words(deadline.key)} due by {_when(deadline.due_at, policy, hours=False)}."
    hours = duration.unit == "hours"
    name = timescale.name or timescale.what or _words(deadline.key)
    anchor = anchor_words(deadline.counted_from or timescale.anchor)
    since = f"{anchor} {_at(start, hours)}"
    opening = f"{'Next ' + lower_first(name) if timescale.kind in REPEATING else name} due by " + _when(
        deadline.due_at, policy, hours=hours
    )
    because = _because(policy, deadline.condition_applied)
    floor = _floor(policy, deadline, start) if deadline.statutory_floor_applied else None
    if floor is not None:
        law = floor.duration
        local_words = f"{_voice(policy, timescale)}'s own {duration.words()}"
        return (
            f"{opening}: the law allows {law.words()}, counted from {since}"
            f"{_skipping(policy, law, start, floor.due_at)}{because}, sooner than {local_words}."
        )
    voice = _voice(policy, timescale)
    skipping = _skipping(policy, duration, start, deadline.due_at)
    clip = _clipped(duration, start, deadline.due_at, policy)
    if duration.before:
        return f"{opening}: {voice} expects it {duration.words()} before {since}{skipping}{because}."
    if timescale.kind in REPEATING:
        does = "visits" if timescale.anchor == "last_statutory_visit" and not timescale.inherited else "expects one"
        return f"{opening}: {voice} {does} every {every(duration)}, counted from {since}{skipping}{clip}{because}."
    return f"{opening}: {voice} allows {duration.words()}, counted from {since}{skipping}{clip}{because}."


def how_worked_out(deadline: Deadline, policy: Policy | None = None) -> WorkedOut:
    policy = policy or _policy_of(deadline)
    notes = deadline_notes(deadline)
    if deadline.rule == AGREED_DATE:
        return WorkedOut(rule_key=deadline.key, authority=policy.name, config_file="",
                         citation="A date agreed by the people involved, not a timescale",
                         arithmetic=_first_line(deadline.explanation), notes=notes)  # fmt: skip
    timescale = _timescale(policy, deadline)
    duration = _duration(deadline.rule)
    if timescale is None or duration is None:
        return WorkedOut(rule_key=deadline.key, authority=policy.name, config_file="", citation="",
                         arithmetic=_first_line(deadline.explanation), notes=notes)  # fmt: skip
    start = _local(deadline.anchor_at, policy)
    local_due = due_at(duration, start, policy.calendar) if deadline.statutory_floor_applied else deadline.due_at
    arithmetic = explain_arithmetic(duration, start, _local(local_due, policy), policy.calendar)
    citation = timescale.citation
    if deadline.condition_applied:
        variant = next((v for v in timescale.variants if v.condition == deadline.condition_applied), None)
        citation = variant.citation if variant and variant.citation else citation
        condition = policy.conditions.get(deadline.condition_applied, _words(deadline.condition_applied))
        arithmetic = f"Applies when: {lower_first(condition)}. {arithmetic}"
    floor = _floor(policy, deadline, start) if deadline.statutory_floor_applied else None
    floor_citation = ""
    if floor is not None:
        floor_citation = floor.timescale.citation
        arithmetic += " The law sets an earlier date, which applies: " + explain_arithmetic(
            floor.duration, floor.start, floor.due_at, policy.calendar
        )
    scope = NATIONAL if timescale.inherited else policy.slug
    return WorkedOut(rule_key=deadline.key, authority=policy.name, config_file=f"config/authorities/{scope}.toml",
                     citation=citation, arithmetic=arithmetic, floor_citation=floor_citation,
                     inherited=timescale.inherited, notes=notes)  # fmt: skip


def deadline_for(result: Due, authority: Authority, conditions=()) -> Deadline:
    """An unsaved ledger row for a date worked out but not opened (the Deadline calculator's), so
    it is told in the same words as every other."""
    return Deadline(authority=authority, key=result.timescale.key, rule=result.rule, anchor_at=result.start,
                    due_at=result.due_at, condition_applied=result.condition or "", conditions=sorted(conditions),
                    statutory_floor_applied=result.floor is not None, explanation="")  # fmt: skip


def deadline_notes(deadline: Deadline) -> list[str]:
    """What was added to the deadline after it opened (a visit where the child was not seen)."""
    return [line.strip() for line in deadline.explanation.split("\n")[1:] if line.strip()]


# --- the pieces -------------------------------------------------------------------------------------


def _policy_of(deadline: Deadline) -> Policy:
    return cached_policy_for(deadline.authority)


def _timescale(policy: Policy, deadline: Deadline) -> Timescale | None:
    """The version in force when the clock started, as the deadline was worked out with it."""
    try:
        return policy.timescale(deadline.key, _local(deadline.anchor_at, policy).date())
    except UnknownTimescale:
        return None


def _duration(rule: str) -> Duration | None:
    try:
        return Duration.parse(rule)
    except DurationError:
        return None


def _floor(policy: Policy, deadline: Deadline, start: datetime) -> Due | None:
    """The statutory default's due date, which set the deadline's where it fell earlier."""
    statutory = policy.statutory_default(deadline.key, start.date())
    if statutory is None or statutory.duration is None:
        return None
    return due(statutory, start, policy.calendar, frozenset(deadline.conditions or ()), policy.tz)


def _voice(policy: Policy, timescale: Timescale) -> str:
    """Who sets the value: the authority, or for a national default the law or national practice."""
    authority = _authority_name(policy)
    return NATIONAL_VOICE.get(timescale.status, authority) if timescale.inherited else authority


def _authority_name(policy: Policy) -> str:
    """'Wiltshire Council', not the file's 'Wiltshire Council (inferred)': the aside is for the admin."""
    return _ASIDE.sub("", policy.name).strip()


def _because(policy: Policy, condition: str) -> str:
    if not condition:
        return ""
    text = _ASIDE.sub("", policy.conditions.get(condition, _words(condition))).strip().rstrip(".")
    return f", because {lower_first(text)}"


def _skipping(policy: Policy, duration: Duration, start: datetime, end: datetime) -> str:
    if duration.unit not in ("working_days", "school_days"):
        return ""
    skipped = policy.calendar.non_working_days_between(start.date(), _local(end, policy).date())
    return f" (skipping {_join([_day(d) for d in skipped]) if skipped else 'no holidays'})"


def _clipped(duration: Duration, start: datetime, end: datetime, policy: Policy) -> str:
    if duration.unit not in ("months", "years") or duration.before:
        return ""
    wanted, landed = start.day, _local(end, policy).date()
    if landed.day == wanted:
        return ""
    return f" ({landed:%B} has no {_ordinal(wanted)}, so the last day of the month)"


def _when(moment: datetime, policy: Policy, *, hours: bool) -> str:
    local = _local(moment, policy)
    if not hours:
        return _day(local.date())
    # A clock started on a day with no time of its own runs from midnight, and ends at one.
    if local.time() == time(0, 0):
        return f"the end of {_day(local.date() - timedelta(days=1))}"
    return f"{local:%H:%M} on {_day(local.date())}"


def _at(moment: datetime, hours: bool) -> str:
    if hours and moment.time() != time(0, 0):
        return f"at {moment:%H:%M} on {_day(moment.date())}"
    return f"on {_day(moment.date())}"


def _day(day: date) -> str:
    """'Thu 17 Dec', with the year where it is not this year."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == timezone.localdate().year else f"{text} {day.year}"


def _local(moment: datetime, policy: Policy) -> datetime:
    return moment.astimezone(policy.tz)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].strip()
