"""System checks: items the record itself can answer, pre-answered from the data with the
evidence and the records behind it (linked from the item), which the auditor may override with a
reason (reference §1.2, Wiltshire's "S" items). Each check reads one case over the audit period
and answers one kind of item: a child protection visit item is answered from child protection
visits only, never from a looked-after child's.

Statutory visits are counted from the visit schedule itself: the visits the authority's intervals
called for over the period, phase by phase (a looked-after child's first week, first year of a
placement, and after), each met by the child's next visit, late, or missed. A missed visit leaves
the next one due an interval later, so 14 months in care with two visits reads as the eight or so
visits missed, not as the one deadline the ledger happened to have open.

Other timeliness is read from the deadline ledger, never recomputed: a deadline met on time counts
as met, met late counts as late (with how many working days, on the authority's own calendar), and
one still open after its due moment is missing.

A check returns None where the record cannot answer the item either way; the auditor answers it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.models.assessments import Assessment
from assessments.services.assessments import COMPLETION_KEYS
from cases.dates import start_of
from cases.models import Allocation, Case, CaseSummary, ChronologyEntry, Deadline, LegalStatus, Referral
from cases.rules.timescales import add_months
from cases.selectors.digests import timescale_what
from cases.selectors.timescales import policy_for
from planning.models import MissingEpisode, Placement, Plan
from visits.models import Visit, VisitSchedule
from visits.schedule import PRIORITY, SCHEDULES, Situation, next_visits

from .models import Answer
from .period import AuditPeriod

RECORDING_KEYS = ("case_recording", "significant_event_recording", "visit_recording")
CASE_SUPERVISION_KEY = "case_supervision_interval"
NUMBERS = {0: "none", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
# The statuses whose visits a schedule sets, and what a social worker calls those visits.
VISIT_NAMES = {"cp": "Child protection visits", "lac": "Looked-after child visits", "cin": "Child in need visits",
               "private_fostering": "Private fostering visits"}  # fmt: skip
NOT_HAD = {"cp": "had no child protection plan", "lac": "was not looked after", "cin": "was not a child in need",
           "private_fostering": "was not privately fostered", "care_leaver": "was not a care leaver"}  # fmt: skip
# The plan each status calls for.
PLAN_FOR_STATUS = {LegalStatus.Kind.CHILD_IN_NEED: Plan.Kind.CHILD_IN_NEED,
                   LegalStatus.Kind.CHILD_PROTECTION: Plan.Kind.CHILD_PROTECTION,
                   LegalStatus.Kind.LOOKED_AFTER: Plan.Kind.CARE, LegalStatus.Kind.CARE_LEAVER: Plan.Kind.PATHWAY}
STATUTORY_VISITS = tuple(VISIT_NAMES)
# A visit schedule is walked at most this many visits (a weekly schedule over a year is 52).
MAX_VISITS = 400
SOURCES_LISTED = 8
# The page of each kind of record a deadline can be about ("app_label.model": URL name, by the
# record's own id); deadlines about the case or the child link to the child's record.
SUBJECT_PAGES = {
    "visits.visit": "visit", "planning.plan": "plan", "planning.meeting": "meeting",
    "assessments.assessment": "assessment", "assessments.strategydiscussion": "strategy-discussion",
    "assessments.section47enquiry": "s47-enquiry",
}  # fmt: skip


@dataclass(frozen=True)
class Source:
    label: str
    url: str


@dataclass(frozen=True)
class CheckResult:
    answer: str  # an Answer value
    evidence: str
    sources: tuple[Source, ...] = field(default=())

    def sources_data(self) -> list[dict]:
        return [{"label": source.label, "url": source.url} for source in self.sources]


def _count(n: int) -> str:
    return NUMBERS.get(n, str(n))


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{_count(n)} {word if n == 1 else plural or word + 's'}"


def _day(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment)
    return f"{moment:%a %-d %b %Y}"


def _listed(days: list[str], most: int = 3) -> str:
    shown = ", ".join(days[:most])
    return f"{shown} and {len(days) - most} more" if len(days) > most else shown


class Record:
    """What the checks read of one case over the audit period, each read once however many items
    ask for it."""

    def __init__(self, case: Case, period: AuditPeriod, now: datetime | None = None):
        self.case, self.period = case, period
        self.now = now or timezone.now()
        self.until = min(self.now, period.ends_at)
        self.child = case.child
        self.name = case.child.first_name or "The child"

    @cached_property
    def policy(self):
        return policy_for(self.case.authority)

    @cached_property
    def statuses(self) -> list[LegalStatus]:
        return sorted(self.case.statuses.all(), key=lambda status: (status.started_on, status.pk))

    def runs(self, kind: str) -> list[tuple[date, date | None]]:
        """The unbroken spells of a status that touch the period (a new category or legal order
        replaces the status the day it starts, so it does not start a new spell)."""
        spells: list[list] = []
        for status in self.statuses:
            if status.kind != kind:
                continue
            if spells and spells[-1][1] is not None and status.started_on <= spells[-1][1]:
                spells[-1][1] = status.ended_on
            else:
                spells.append([status.started_on, status.ended_on])
        return [(start, end) for start, end in spells if self.period.overlaps(start, end)]

    def had(self, kind: str) -> bool:
        return bool(self.runs(kind))

    @cached_property
    def visits(self) -> list[Visit]:
        """Recorded visits up to the end of the period, oldest first (a schedule that began
        before the period counts from the visits before it)."""
        return list(Visit.objects.filter(case=self.case, status=Visit.Status.RECORDED, visited_at__lt=self.until)
                    .order_by("visited_at", "pk"))  # fmt: skip

    def visits_in_period(self, kinds) -> list[Visit]:
        return [visit for visit in self.visits if visit.kind in kinds and visit.visited_at >= self.period.starts_at]

    @cached_property
    def placements(self) -> list[Placement]:
        return list(Placement.objects.filter(case=self.case).order_by("started_on", "pk"))

    @cached_property
    def schedule_inputs(self) -> VisitSchedule | None:
        return VisitSchedule.objects.filter(case=self.case).first()

    @cached_property
    def deadlines(self) -> list[Deadline]:
        return list(Deadline.objects.filter(case=self.case).exclude(status=Deadline.Status.CANCELLED)
                    .select_related("subject_type").order_by("due_at", "pk"))  # fmt: skip

    @cached_property
    def plans(self) -> list[Plan]:
        return [plan for plan in Plan.objects.filter(case=self.case).order_by("started_on", "pk")
                if self.period.overlaps(plan.started_on, plan.ended_on)]  # fmt: skip

    @cached_property
    def assessments(self) -> list[Assessment]:
        return [assessment for assessment in Assessment.objects.filter(case=self.case).select_related("approved_by")
                .order_by("created_at", "pk")
                if assessment.created_at < self.period.ends_at
                and (assessment.approved_at is None or assessment.approved_at >= self.period.starts_at)]  # fmt: skip

    def child_page(self, label: str, name: str = "child") -> Source:
        return Source(label, reverse(name, args=[self.child.pk]))


# --- Statutory visits, from the schedule ------------------------------------------------------


@dataclass
class Expected:
    """One visit the schedule called for: met by `visit` (late by `late` working days), or missed."""

    due_at: datetime
    visit: Visit | None = None
    late: int = 0


def _placement_at(record: Record, moment: datetime) -> Placement | None:
    held = [placement for placement in record.placements if start_of(placement.started_on) <= moment]
    return held[-1] if held else None


def _schedule_due(record: Record, kind: str, started: datetime, last: datetime | None,
                  placement: Placement | None) -> datetime | None:  # fmt: skip
    """When the schedule says the next visit falls due, after `last` (a visit, or the moment a
    missed one fell due)."""
    inputs = record.schedule_inputs
    looked_after = kind == LegalStatus.Kind.LOOKED_AFTER and placement is not None
    adoptive = bool(looked_after and inputs and inputs.adoptive_placed_on == placement.started_on)
    situation = Situation(
        schedule=kind, started=started, born=record.child.date_of_birth, last_visit=last,
        placement_started=start_of(placement.started_on) if looked_after else None,
        permanence_agreed=placement.permanence_agreed_on if looked_after else None,
        conditions=frozenset(inputs.conditions) if inputs else frozenset(),
        adoptive_placed=start_of(inputs.adoptive_placed_on) if adoptive else None,
        adoptive_first_review=(start_of(inputs.adoptive_first_review_on)
                               if adoptive and inputs.adoptive_first_review_on else None),
    )  # fmt: skip
    placement_day = SCHEDULES[kind].placement_day
    due = [visit.due.due_at for visit in next_visits(record.policy, situation) if visit.key != placement_day]
    return min(due) if due else None


def _next_due(record: Record, kind: str, started: datetime, last: datetime | None) -> datetime | None:
    """The next visit due, for the placement in force; a looked-after child's new placement calls
    for its own first visit, which may fall before the regular one."""
    anchor = last or started
    due = _schedule_due(record, kind, started, last, _placement_at(record, anchor))
    if kind == LegalStatus.Kind.LOOKED_AFTER:
        newer = [p for p in record.placements if anchor < start_of(p.started_on) and (due is None or
                                                                                      start_of(p.started_on) <= due)]
        if newer:
            first = _schedule_due(record, kind, started, last, newer[0])
            due = min(due, first) if due and first else due or first
    return due


def expected_visits(record: Record, kind: str, run: tuple[date, date | None]) -> tuple[list[Expected], datetime | None]:
    """The visits the schedule called for in one spell of a status, as far as the period and
    today allow, each met, late or missed; and when the next falls due."""
    started = start_of(run[0])
    stop = min(record.until, start_of(run[1] + timedelta(days=1)) if run[1] else record.until)
    seen = [visit for visit in record.visits if visit.kind == kind and visit.child_seen and started <= visit.visited_at
            < stop]  # fmt: skip
    calendar = record.policy.calendar
    expected, last, index, due = [], None, 0, None
    for _ in range(MAX_VISITS):
        due = _next_due(record, kind, started, last)
        if due is None or due >= stop or (last is not None and due <= last):  # a schedule that does not advance
            break
        following = seen[index] if index < len(seen) else None
        if following is not None and following.visited_at <= due:
            expected.append(Expected(due, following))
        else:
            after = _next_due(record, kind, started, due)
            if following is not None and (after is None or following.visited_at <= after):
                late = calendar.working_days_between(timezone.localdate(due), timezone.localdate(following.visited_at))
                expected.append(Expected(due, following, late))
            else:
                expected.append(Expected(due))
                last = due
                continue
        last, index = following.visited_at, index + 1
    counted = [one for one in expected if one.due_at >= record.period.starts_at]
    upcoming = due if due is not None and run[1] is None and due >= record.now else None
    return counted, upcoming


def _visit_source(visit: Visit) -> Source:
    return Source(f"{visit.get_kind_display()}, {_day(visit.visited_at)}", reverse("visit", args=[visit.pk]))


def _visits_part(record: Record, kind: str) -> tuple[str, list[Expected], datetime | None]:
    expected, upcoming = [], None
    for run in record.runs(kind):
        found, upcoming = expected_visits(record, kind, run)
        expected += found
    first = max(record.period.start, record.runs(kind)[0][0])
    last_end = record.runs(kind)[-1][1]
    last = min(record.period.end, last_end) if last_end else record.period.end
    heading = f"{VISIT_NAMES[kind]} from {_day(first)} to {_day(last)}"
    if not expected:
        later = f"; the first is due {_day(upcoming)}" if upcoming else ""
        return f"{heading}: none fell due{later}.", expected, upcoming
    on_time = [one for one in expected if one.visit and not one.late]
    late = [one for one in expected if one.late]
    missed = [one for one in expected if one.visit is None]
    authority = record.case.authority.name
    parts = [f"{heading}: {_plural(len(expected), 'visit')} {'was' if len(expected) == 1 else 'were'} due on "
             f"{authority}'s schedule; {_count(len(on_time))} on time"]  # fmt: skip
    if late:
        days = [one.late for one in late]
        if len(late) == 1:
            parts.append(f"one {days[0]} working day{'s' if days[0] != 1 else ''} late")
        else:
            parts.append(f"{_count(len(late))} late ({', '.join(str(n) for n in days)} working days)")
    if missed:
        parts.append(f"{_count(len(missed))} missed (due {_listed([_day(one.due_at) for one in missed])})")
    text = ", ".join(parts)
    if upcoming:
        text += f". The next is due {_day(upcoming)}"
    return text + ".", expected, upcoming


def visits_check(kinds: tuple[str, ...]) -> Callable[[Record], CheckResult]:
    """Statutory visits of `kinds` over the period, counted from the schedule."""

    def check(record: Record) -> CheckResult:
        had = [kind for kind in PRIORITY if kind in kinds and record.had(kind)]
        if not had:
            if len(kinds) == 1:
                return CheckResult(Answer.NOT_APPLICABLE, f"{record.name} {NOT_HAD[kinds[0]]} in the audit period "
                                                          f"({record.period}).")  # fmt: skip
            return CheckResult(Answer.NOT_APPLICABLE, f"{record.name} had no status calling for statutory visits "
                                                      f"in the audit period ({record.period}).")  # fmt: skip
        texts, expected = [], []
        for kind in had:
            text, found, _upcoming = _visits_part(record, kind)
            texts.append(text)
            expected += found
        met = sorted({one.visit.pk: one.visit for one in expected if one.visit}.values(),
                     key=lambda visit: visit.visited_at, reverse=True)  # fmt: skip
        sources = [_visit_source(visit) for visit in met[:SOURCES_LISTED]]
        sources.append(record.child_page(f"All {record.name}'s visits", "child-visits"))
        if not expected:
            answer = Answer.NOT_APPLICABLE
        elif any(one.visit is None for one in expected):
            answer = Answer.NOT_MET
        elif any(one.late for one in expected):
            answer = Answer.PARTLY_MET
        else:
            answer = Answer.MET
        return CheckResult(answer, " ".join(texts), tuple(sources))

    return check


# --- What each visit record shows -------------------------------------------------------------


def visit_records_check(kinds: tuple[str, ...], *, alone: bool = False, reason_if_not_alone: bool = False,
                        home: bool = False, views: bool = False, bedroom: bool = False) -> Callable:  # fmt: skip
    """How the visits of `kinds` in the period that saw the child went: seen alone (or, where
    asked, the reason recorded), at home or in the placement, the child's views in their words, the
    bedroom seen. Met when every visit shows each thing asked, partly when some do."""

    def check(record: Record) -> CheckResult | None:
        visits = [visit for visit in record.visits_in_period(kinds) if visit.child_seen]
        statuses = [kind for kind in kinds if kind in NOT_HAD]
        all_visits = (record.child_page(f"All {record.name}'s visits", "child-visits"),)
        if not visits:
            had = [kind for kind in statuses if record.had(kind)]
            if statuses and not had:
                return CheckResult(Answer.NOT_APPLICABLE, f"{record.name} had no status calling for these visits "
                                                          f"in the audit period ({record.period}).", all_visits)
            if not statuses:
                return None
            if not any(_visits_part(record, kind)[1] for kind in had):
                return CheckResult(Answer.NOT_APPLICABLE, f"No statutory visit to {record.name} fell due in the "
                                                          f"audit period ({record.period}).", all_visits)
            return CheckResult(Answer.NOT_MET, f"No visit in the audit period ({record.period}) records seeing "
                                               f"{record.name}.", all_visits)  # fmt: skip
        # (what one visit shows, what several show, the test)
        tests = []
        if alone and reason_if_not_alone:
            tests.append(("saw them alone or says why not", "saw them alone or say why not",
                          lambda v: v.seen_alone or bool(v.not_seen_alone_reason.strip())))
        elif alone:
            tests.append(("saw them alone", "saw them alone", lambda v: bool(v.seen_alone)))
        if home:
            tests.append(("was at their home or placement", "were at their home or placement",
                          lambda v: v.place in (Visit.Place.HOME, Visit.Place.PLACEMENT)))
        if views:
            tests.append(("gives their views in their own words", "give their views in their own words",
                          lambda v: bool(v.child_views.strip())))
        if bedroom:
            tests.append(("saw their bedroom", "saw their bedroom", lambda v: bool(v.bedroom_seen)))
        counts = [(one if count == 1 else several, count)
                  for one, several, test in tests for count in [sum(1 for visit in visits if test(visit))]]
        n = len(visits)
        shown = "; ".join(f"{_count(count)} {words}" for words, count in counts)
        saw = f"{_plural(n, 'visit').capitalize()} in the audit period ({record.period}) saw {record.name}"
        evidence = f"{saw}: {shown}."
        every = [visit for visit in visits if all(test(visit) for _one, _several, test in tests)]
        answer = Answer.MET if len(every) == n else Answer.PARTLY_MET if any(c for _w, c in counts) else Answer.NOT_MET
        recent = sorted(visits, key=lambda visit: visit.visited_at, reverse=True)[:SOURCES_LISTED]
        return CheckResult(answer, evidence, (*(_visit_source(visit) for visit in recent), *all_visits))

    return check


def announced_mix_check(kinds: tuple[str, ...]) -> Callable:
    """Both announced and unannounced visits in the period."""

    def check(record: Record) -> CheckResult | None:
        visits = record.visits_in_period(kinds)
        if not visits:
            if not any(record.had(kind) for kind in kinds):
                return CheckResult(Answer.NOT_APPLICABLE, f"{record.name} {NOT_HAD[kinds[0]]} in the audit period "
                                                          f"({record.period}).")  # fmt: skip
            return None
        announced = sum(1 for visit in visits if visit.announced is True)
        unannounced = sum(1 for visit in visits if visit.announced is False)
        evidence = (f"Of {_plural(len(visits), 'visit')} in the audit period, {_count(announced)} "
                    f"{'was' if announced == 1 else 'were'} announced and {_count(unannounced)} unannounced.")
        answer = Answer.MET if announced and unannounced else Answer.NOT_MET
        recent = sorted(visits, key=lambda visit: visit.visited_at, reverse=True)[:SOURCES_LISTED]
        return CheckResult(answer, evidence, tuple(_visit_source(visit) for visit in recent))

    return check


def child_voice(record: Record) -> CheckResult | None:
    """The child's views, in their words, in the visit records and assessments of the period."""
    visits = [visit for visit in record.visits_in_period(STATUTORY_VISITS + ("assessment", "s47")) if visit.child_seen]
    assessments = [a for a in record.assessments if a.status != Assessment.Status.DRAFT]
    if not visits and not assessments:
        return None
    voiced_visits = [visit for visit in visits if visit.child_views.strip()]
    voiced = [a for a in assessments if a.child_views.strip()]
    parts = []
    if visits:
        parts.append(f"{len(voiced_visits)} of {len(visits)} visit record{'s' if len(visits) != 1 else ''}")
    if assessments:
        parts.append(f"{len(voiced)} of {len(assessments)} assessment{'s' if len(assessments) != 1 else ''}")
    evidence = f"{record.name}'s views are in their own words in {' and '.join(parts)} of the audit period."
    total, done = len(visits) + len(assessments), len(voiced_visits) + len(voiced)
    answer = Answer.MET if done == total else Answer.PARTLY_MET if done else Answer.NOT_MET
    sources = [_visit_source(visit) for visit in sorted(visits, key=lambda v: v.visited_at, reverse=True)[:6]]
    sources += [Source(f"Assessment started {_day(a.created_at)}", reverse("assessment", args=[a.pk]))
                for a in assessments[-2:]]  # fmt: skip
    return CheckResult(answer, evidence, tuple(sources))


# --- Timeliness from the ledger ---------------------------------------------------------------


def _subject_source(record: Record, deadline: Deadline, label: str) -> Source | None:
    model = f"{deadline.subject_type.app_label}.{deadline.subject_type.model}"
    name = SUBJECT_PAGES.get(model)
    try:
        if name:
            return Source(label, reverse(name, args=[deadline.subject_id]))
    except NoReverseMatch:
        return None
    return None


@dataclass(frozen=True)
class LedgerCheck:
    """How the case's deadlines of `keys` that fell due in the period went. `page` is the list on
    the child's record where the work is (their supervision records, case notes...)."""

    keys: tuple[str, ...]
    what: str
    page: tuple[str, str] = ("record", "child")  # (label after the child's name, URL name taking the child)

    def __call__(self, record: Record) -> CheckResult | None:
        deadlines = [d for d in record.deadlines if d.key in self.keys]
        if not deadlines:
            return None  # nothing on the record either way: the auditor judges
        period, now = record.period, record.now
        # Met or late in the period, or due in it; and one still open after it fell due counts however
        # long before the period it was due: it stayed undone through the period.
        counted = [d for d in deadlines
                   if (d.status == Deadline.Status.OPEN and d.due_at < record.until)
                   or (d.status != Deadline.Status.OPEN and (period.holds(d.met_at)
                                                             or period.starts_at <= d.due_at < period.ends_at))]
        sources = self._sources(record, counted)
        if not counted:
            upcoming = [d for d in deadlines if d.status == Deadline.Status.OPEN and d.due_at >= now]
            later = f"; the next is due {_day(upcoming[0].due_at)}" if upcoming else ""
            return CheckResult(Answer.NOT_APPLICABLE, f"{self.what}: none fell due in the audit period "
                                                      f"({period}){later}.", sources)  # fmt: skip
        calendar = record.policy.calendar
        on_time = [d for d in counted if d.status == Deadline.Status.MET]
        late = [d for d in counted if d.status == Deadline.Status.MET_LATE]
        missing = [d for d in counted if d.status == Deadline.Status.OPEN]
        parts = [f"{self.what}, {period}: {len(on_time)} of {len(counted)} on time"]
        if late:
            days = [calendar.working_days_between(timezone.localdate(d.due_at), timezone.localdate(d.met_at))
                    for d in late]  # fmt: skip
            if len(late) == 1:
                parts.append(f"one {days[0]} working day{'s' if days[0] != 1 else ''} late")
            else:
                parts.append(f"{_count(len(late))} late ({', '.join(str(n) for n in days)} working days)")
        if missing:
            due = _listed([_day(d.due_at) for d in missing])
            parts.append(f"{_count(len(missing))} overdue and not done (due {due})")
        evidence = ", ".join(parts) + "."
        answer = Answer.NOT_MET if missing else Answer.PARTLY_MET if late else Answer.MET
        return CheckResult(answer, evidence, sources)

    def _sources(self, record: Record, counted: list[Deadline]) -> tuple[Source, ...]:
        sources, seen = [], set()
        for deadline in sorted(counted, key=lambda d: d.due_at, reverse=True):
            what = timescale_what(record.policy, deadline.key)
            status = {Deadline.Status.MET: "on time", Deadline.Status.MET_LATE: "late"}.get(deadline.status, "not done")
            source = _subject_source(record, deadline, f"{what}, due {_day(deadline.due_at)} ({status})")
            if source and source.url not in seen and len(sources) < SOURCES_LISTED:
                seen.add(source.url)
                sources.append(source)
        sources.append(record.child_page(f"{record.name}'s {self.page[0]}", self.page[1]))
        return tuple(sources)


# --- Assessments, plans and the record --------------------------------------------------------


def assessment_approved(record: Record) -> CheckResult:
    if not record.assessments:
        return CheckResult(Answer.NOT_APPLICABLE, f"No assessment in the audit period ({record.period}).")
    latest = record.assessments[-1]
    source = (Source(f"Assessment started {_day(latest.created_at)}", reverse("assessment", args=[latest.pk])),)
    if latest.status == Assessment.Status.APPROVED and latest.approved_by_id:
        return CheckResult(Answer.MET, f"Assessment approved by a manager, {latest.approved_by}, on "
                                       f"{_day(latest.approved_at)}.", source)  # fmt: skip
    status = latest.get_status_display().lower()
    return CheckResult(Answer.NOT_MET, f"The latest assessment (started {_day(latest.created_at)}) is {status}: "
                                       "not approved by a manager.", source)  # fmt: skip


def _plans_called_for(record: Record) -> tuple[list[str], list[Plan]]:
    """The kinds of plan the child's statuses in the period call for, and those plans."""
    kinds = [PLAN_FOR_STATUS[kind] for kind in PLAN_FOR_STATUS if record.had(kind)]
    return kinds, [plan for plan in record.plans if plan.kind in kinds]


def _plan_source(plan: Plan) -> Source:
    return Source(f"{plan.get_kind_display()} started {_day(plan.started_on)}", reverse("plan", args=[plan.pk]))


def plan_contingency(record: Record) -> CheckResult | None:
    kinds, plans = _plans_called_for(record)
    if not kinds:
        return None
    if not plans:
        names = " or ".join(Plan.Kind(kind).label.lower() for kind in kinds)
        return CheckResult(Answer.NOT_MET, f"No {names} on the record for the audit period ({record.period}).",
                           (record.child_page(f"{record.name}'s plans", "child-plans"),))  # fmt: skip
    written = [plan for plan in plans if plan.contingency.strip()]
    evidence = (f"{len(written)} of {len(plans)} plan{'s' if len(plans) != 1 else ''} in force in the audit period "
                f"set{'s' if len(plans) == 1 else ''} out a contingency plan.")
    answer = Answer.MET if len(written) == len(plans) else Answer.PARTLY_MET if written else Answer.NOT_MET
    return CheckResult(answer, evidence, tuple(_plan_source(plan) for plan in plans[-SOURCES_LISTED:]))


def plan_approved(record: Record) -> CheckResult | None:
    """A manager approved each plan in force that needs approval (where none needs it, the record
    cannot show the oversight: the auditor judges)."""
    _kinds, plans = _plans_called_for(record)
    needing = [plan for plan in plans if plan.approval != Plan.Approval.NOT_NEEDED]
    if not needing:
        return None
    approved = [plan for plan in needing if plan.approval == Plan.Approval.APPROVED and plan.approved_by_id]
    waiting = [plan for plan in needing if plan not in approved]
    evidence = f"{len(approved)} of {len(needing)} plan{'s' if len(needing) != 1 else ''} needing a manager's " \
               "approval approved"
    if waiting:
        evidence += f"; {len(waiting)} awaiting approval"
    answer = Answer.MET if not waiting else Answer.PARTLY_MET if approved else Answer.NOT_MET
    return CheckResult(answer, evidence + ".", tuple(_plan_source(plan) for plan in needing[-SOURCES_LISTED:]))


def chronology_current(record: Record) -> CheckResult:
    end = min(record.period.end, timezone.localdate(record.now))
    since = add_months(end, -1)
    latest = (ChronologyEntry.objects.filter(child_id=record.child.pk, struck_at__isnull=True,
                                             recorded_at__lt=record.period.ends_at)
              .order_by("-recorded_at").first())  # fmt: skip
    source = (record.child_page(f"{record.name}'s chronology", "chronology"),)
    if latest is None:
        return CheckResult(Answer.NOT_MET, "No chronology entry on the child's record.", source)
    when = _day(latest.recorded_at)
    if timezone.localdate(latest.recorded_at) >= since:
        return CheckResult(Answer.MET, f"Chronology updated in the month to {_day(end)}: latest entry {when}.", source)
    return CheckResult(Answer.NOT_MET, f"Chronology not updated in the month to {_day(end)}: latest entry {when}.",
                       source)  # fmt: skip


def case_summary_current(record: Record) -> CheckResult:
    end = min(record.period.end, timezone.localdate(record.now))
    latest = (CaseSummary.objects.filter(case=record.case, written_at__lt=record.period.ends_at)
              .order_by("-written_at").first())  # fmt: skip
    source = (record.child_page(f"{record.name}'s case summary", "case-summary"),)
    if latest is None:
        return CheckResult(Answer.NOT_MET, "No case summary on this case.", source)
    when = _day(latest.written_at)
    if timezone.localdate(latest.written_at) >= add_months(end, -3):
        return CheckResult(Answer.MET, f"Case summary written in the three months to {_day(end)} ({when}).", source)
    return CheckResult(Answer.PARTLY_MET, f"A case summary exists but is older than three months ({when}).", source)


def worker_change(record: Record) -> CheckResult | None:
    """Items about a change of worker: not applicable where the worker did not change in the
    period (the auditor judges how a change was handled)."""
    allocations = list(Allocation.objects.filter(case=record.case).order_by("allocated_at", "pk")
                       .values_list("allocated_at", "worker_id"))  # fmt: skip
    workers = [worker for _at, worker in allocations]
    if any(record.period.holds(at) and worker != earlier for (at, worker), earlier in zip(allocations[1:], workers,
                                                                                          strict=False)):
        return None
    worker = record.case.worker
    held = f" ({worker} throughout)" if worker else ""
    return CheckResult(Answer.NOT_APPLICABLE, f"{record.name}'s worker did not change in the audit period{held}.",
                       (record.child_page(f"{record.name}'s record"),))  # fmt: skip


def missing_episodes(record: Record) -> CheckResult | None:
    """Items about a child going missing: not applicable where no episode is recorded in the period."""
    episodes = MissingEpisode.objects.filter(case=record.case, started_at__lt=record.period.ends_at)
    if episodes.filter(started_at__gte=record.period.starts_at).exists():
        return None
    return CheckResult(Answer.NOT_APPLICABLE, f"No missing episode is recorded for {record.name} in the audit period "
                                              f"({record.period}).",
                       (record.child_page(f"{record.name}'s record"),))  # fmt: skip


def consent_recorded(record: Record) -> CheckResult | None:
    referral = record.case.referral
    if referral is None:
        return None
    source = (record.child_page(f"{record.name}'s record"),)
    received = _day(referral.received_at)
    if referral.consent == Referral.Consent.GIVEN:
        by = f" by {referral.consent_by}" if referral.consent_by else ""
        return CheckResult(Answer.MET, f"Consent given{by} for the referral of {received}.", source)
    if referral.consent == Referral.Consent.NOT_NEEDED and referral.consent_reason.strip():
        return CheckResult(Answer.MET, f"Consent not needed for the referral of {received}, because of a risk of "
                                       f"significant harm; the reason is recorded.", source)  # fmt: skip
    if referral.consent == Referral.Consent.NOT_SOUGHT:
        return CheckResult(Answer.NOT_MET, f"Consent not yet sought for the referral of {received}.", source)
    return None


CHECKS: dict[str, Callable[[Record], CheckResult | None]] = {
    # Visits counted from the schedule, by status.
    "visits_cp": visits_check(("cp",)),
    "visits_cin": visits_check(("cin",)),
    "visits_lac": visits_check(("lac",)),
    "visits_pf": visits_check(("private_fostering",)),
    "visits_any": visits_check(STATUTORY_VISITS),
    # What the visit records show.
    "seen_alone": visit_records_check(STATUTORY_VISITS, alone=True),
    "seen_alone_cp": visit_records_check(("cp",), alone=True),
    "seen_alone_lac": visit_records_check(("lac",), alone=True),
    "seen_alone_or_reason": visit_records_check(STATUTORY_VISITS, alone=True, reason_if_not_alone=True),
    "seen_alone_or_reason_lac": visit_records_check(("lac",), alone=True, reason_if_not_alone=True),
    "seen_alone_at_home": visit_records_check(STATUTORY_VISITS, alone=True, home=True),
    "visit_standards": visit_records_check(STATUTORY_VISITS, alone=True, views=True),
    "views_cp": visit_records_check(("cp",), views=True),
    "assessment_visits_alone": visit_records_check(("assessment",), alone=True),
    "assessment_visits_bedroom": visit_records_check(("assessment",), bedroom=True),
    "announced_mix_cp": announced_mix_check(("cp",)),
    "child_voice": child_voice,
    # Timeliness on the ledger.
    "case_supervision": LedgerCheck((CASE_SUPERVISION_KEY,), "Case supervision at the authority's frequency",
                                    ("supervision records", "child-supervision")),
    "supervision_to_file": LedgerCheck(("supervision_record_to_child_file",),
                                       "Supervision records placed on the child's file on time",
                                       ("supervision records", "child-supervision")),
    "recording_timely": LedgerCheck(RECORDING_KEYS, "Case notes and visits written up within timescale",
                                    ("case notes", "case-notes")),
    "visit_recording": LedgerCheck(("visit_recording",), "Visits written up within timescale",
                                   ("visits", "child-visits")),
    "assessment_on_time": LedgerCheck(COMPLETION_KEYS, "Assessments completed within timescale",
                                      ("assessments", "child-assessments")),
    "assessment_start": LedgerCheck(("assessment_allocation", "child_seen_after_allocation"),
                                    "Assessment allocated and the child seen within timescale",
                                    ("assessments", "child-assessments")),
    "assessment_seen": LedgerCheck(("child_seen_after_allocation",),
                                   "Child seen within timescale after the assessment was allocated",
                                   ("assessments", "child-assessments")),
    "assessment_progress": LedgerCheck(("assessment_progress_review",),
                                       "The manager's reviews of the assessment's progress on time",
                                       ("assessments", "child-assessments")),
    "referral_decision": LedgerCheck(("contact_triage", "contact_decision"), "Referral decisions within timescale"),
    "referrer_feedback": LedgerCheck(("referrer_feedback",), "Referrer told the outcome within timescale"),
    "strategy": LedgerCheck(("strategy_discussion", "strategy_record_circulation"),
                            "Strategy discussions held, and their records circulated, within timescale",
                            ("strategy discussions", "child-strategy")),
    "s47_seen": LedgerCheck(("s47_child_seen", "s47_child_seen_alone"),
                            "Child seen, and seen alone, within the section 47 enquiry's timescales",
                            ("strategy discussions and enquiries", "child-strategy")),
    "s47_completion": LedgerCheck(("s47_completion",), "Section 47 enquiries completed within timescale",
                                  ("strategy discussions and enquiries", "child-strategy")),
    "s47_and_icpc": LedgerCheck(("s47_completion", "icpc"),
                                "Section 47 enquiry completed and initial conference held within timescale",
                                ("strategy discussions and enquiries", "child-strategy")),
    "icpc_threshold": LedgerCheck(("icpc_threshold_decision",), "Decision on whether to hold a conference on time"),
    "icpc_on_time": LedgerCheck(("icpc", "icpc_transfer_in"), "Initial child protection conference held within "
                                "timescale", ("plans and meetings", "child-plans")),
    "conferences_on_time": LedgerCheck(("icpc", "icpc_transfer_in", "first_rcpc", "rcpc_interval"),
                                       "Child protection conferences held within timescale",
                                       ("plans and meetings", "child-plans")),
    "rcpc_cycle": LedgerCheck(("first_rcpc", "rcpc_interval"), "Review conferences held on cycle",
                              ("plans and meetings", "child-plans")),
    "conference_reports": LedgerCheck(("icpc_report_to_family", "icpc_report_to_chair", "rcpc_report_to_family",
                                       "rcpc_report_to_chair"),
                                      "Conference reports shared with the family and the chair on time",
                                      ("plans and meetings", "child-plans")),
    "rcpc_report_family": LedgerCheck(("rcpc_report_to_family",),
                                      "Review conference reports shared with the family on time",
                                      ("plans and meetings", "child-plans")),
    "cp_plan_completion": LedgerCheck(("cp_plan_completion",), "Child protection plan written on time",
                                      ("plans and meetings", "child-plans")),
    "conference_minutes": LedgerCheck(("conference_minutes", "icpc_outcome_circulation"),
                                      "Conference outcome and minutes circulated on time",
                                      ("plans and meetings", "child-plans")),
    "first_core_group": LedgerCheck(("first_core_group",), "First core group held within timescale",
                                    ("plans and meetings", "child-plans")),
    "core_groups": LedgerCheck(("first_core_group", "core_group_interval", "cp_plan_update_after_core_group"),
                               "Core groups held, and the plan updated after each, on time",
                               ("plans and meetings", "child-plans")),
    "core_group_records": LedgerCheck(("core_group_record_circulation",), "Core group records circulated on time",
                                      ("plans and meetings", "child-plans")),
    "cin_plan_after_cp": LedgerCheck(("cin_plan_after_cp_end",), "Child in need plan made on time after the child "
                                     "protection plan ended", ("plans and meetings", "child-plans")),
    "cin_first_meeting": LedgerCheck(("cin_first_meeting", "cin_plan_completion", "cin_plan_circulation"),
                                     "First child in need meeting held, and the plan written and sent out, on time",
                                     ("plans and meetings", "child-plans")),
    "cin_reviews": LedgerCheck(("cin_review_interval_initial", "cin_review_interval"),
                               "Child in need reviews held on cycle", ("plans and meetings", "child-plans")),
    "cin_meetings_and_reviews": LedgerCheck(("cin_first_meeting", "cin_review_interval_initial",
                                             "cin_review_interval"),
                                            "Child in need meeting and reviews held on schedule",
                                            ("plans and meetings", "child-plans")),
    "placement_planning": LedgerCheck(("placement_planning_meeting", "placement_plan"),
                                      "Placement planning meeting held on time", ("placements", "child-placements")),
    "lac_start": LedgerCheck(("care_plan", "lac_first_review", "lac_second_review", "permanence_plan"),
                             "Care plan, first and second reviews and permanence plan on time",
                             ("plans and meetings", "child-plans")),
    "lac_reviews": LedgerCheck(("lac_first_review", "lac_second_review", "lac_review_interval"),
                               "Looked-after reviews held on cycle", ("plans and meetings", "child-plans")),
    "lac_later_reviews": LedgerCheck(("lac_review_interval",), "Later looked-after reviews held at the interval",
                                     ("plans and meetings", "child-plans")),
    "lac_review_reports": LedgerCheck(("lac_review_report_to_family", "lac_review_report_to_iro"),
                                      "Review reports shared with the family and the IRO on time",
                                      ("plans and meetings", "child-plans")),
    "lac_review_consultation": LedgerCheck(("lac_review_consultation_forms",),
                                           "Consultation forms completed for each review on time",
                                           ("plans and meetings", "child-plans")),
    "lac_review_decisions": LedgerCheck(("lac_review_decisions",), "Review decisions sent out on time",
                                        ("plans and meetings", "child-plans")),
    "lac_review_records": LedgerCheck(("lac_review_full_record",), "Full review records sent out on time",
                                      ("plans and meetings", "child-plans")),
    "care_plan_after_review": LedgerCheck(("care_plan_update_after_review",),
                                          "Care plan updated on time after each review",
                                          ("plans and meetings", "child-plans")),
    "plan_after_review": LedgerCheck(("care_plan_update_after_review", "cin_plan_update",
                                      "cp_plan_update_after_core_group"),
                                     "Plans updated on time after each review or core group",
                                     ("plans and meetings", "child-plans")),
    "lac_journey": LedgerCheck(("lac_legal_status_notice", "placement_planning_meeting", "care_plan",
                                "initial_health_assessment_request", "pep_initial", "first_review_booking"),
                               "Legal status shared, placement planning meeting, health assessment request, first "
                               "personal education plan, care plan and first review booked on time",
                               ("plans and meetings", "child-plans")),
    "health_and_pep": LedgerCheck(("initial_health_assessment_request", "pep_initial"),
                                  "Initial health assessment requested and first personal education plan on time"),
    "health_assessment": LedgerCheck(("initial_health_assessment_request", "initial_health_assessment"),
                                     "Initial health assessment requested and held on time"),
    "pep": LedgerCheck(("pep_initial", "pep_review_interval"), "Personal education plans made and reviewed on time"),
    "permanence_plan": LedgerCheck(("permanence_plan",), "Permanence plan ready by the second review",
                                   ("plans and meetings", "child-plans")),
    "leaving_care_planning": LedgerCheck(("leaving_care_planning_start", "pathway_needs_assessment", "pathway_plan"),
                                         "Leaving-care planning, the needs assessment and the pathway plan on time",
                                         ("plans and meetings", "child-plans")),
    "pathway_plan": LedgerCheck(("pathway_plan",), "Pathway plan in place on time",
                                ("plans and meetings", "child-plans")),
    "pathway_reviews": LedgerCheck(("pathway_plan_review_interval", "pathway_plan_review_after_move"),
                                   "Pathway plan reviewed on cycle", ("plans and meetings", "child-plans")),
    "personal_adviser": LedgerCheck(("personal_adviser_allocation",), "Personal adviser allocated on time"),
    "care_leaver_contact": LedgerCheck(("care_leaver_contact_interval",),
                                       "Contact with the young person at the authority's interval"),
    "iro_allocation": LedgerCheck(("iro_allocation",), "An IRO allocated on time"),
    "adoption_reviews_order": LedgerCheck(("placement_order_first_review", "placement_order_review_interval"),
                                          "Reviews after the placement order held on schedule",
                                          ("plans and meetings", "child-plans")),
    "adoption_reviews_placed": LedgerCheck(("adoptive_placement_first_review", "adoptive_placement_second_review",
                                            "adoptive_placement_review_interval"),
                                           "Reviews after placement for adoption held on schedule",
                                           ("plans and meetings", "child-plans")),
    "pre_proceedings_reviews": LedgerCheck(("plo_review_interval",), "Pre-proceedings reviews held on schedule"),
    "meeting_documents": LedgerCheck(("meeting_documents_shared",), "Meeting records shared on time",
                                     ("plans and meetings", "child-plans")),
    # Assessments, plans and the record.
    "assessment_approved": assessment_approved,
    "plan_contingency": plan_contingency,
    "plan_approved": plan_approved,
    "chronology_current": chronology_current,
    "case_summary_current": case_summary_current,
    "worker_change": worker_change,
    "missing_episodes": missing_episodes,
    "consent_recorded": consent_recorded,
}  # fmt: skip

# Item code -> check. Each check answers only what its item asks, from the records of that kind.
ITEM_CHECKS: dict[str, str] = {
    # York: Standard 1, direct work.
    "york-s1.e1": "seen_alone_at_home", "york-s1.e7": "worker_change", "york-s1.e8": "worker_change",
    # York: Standards 2 and 3, assessments.
    "york-s23.e4": "assessment_start", "york-s23.e7": "case_summary_current", "york-s23.e20": "assessment_approved",
    "york-s23.e21": "assessment_on_time", "york-s23.e22": "assessment_seen", "york-s23.e23": "assessment_progress",
    # York: Standard 4, planning and visits, each item for its own status.
    "york-s4.e1": "strategy", "york-s4.e2": "s47_and_icpc", "york-s4.e13": "plan_contingency",
    "york-s4.e14": "plan_approved", "york-s4.e15": "core_groups", "york-s4.e17": "conference_reports",
    "york-s4.e19": "visits_cp", "york-s4.e20": "cin_first_meeting", "york-s4.e21": "cin_reviews",
    "york-s4.e22": "visits_cin", "york-s4.e23": "lac_start", "york-s4.e24": "lac_later_reviews",
    "york-s4.e25": "lac_review_reports", "york-s4.e26": "missing_episodes", "york-s4.e27": "visits_lac",
    "york-s4.e28": "placement_planning", "york-s4.e29": "health_and_pep", "york-s4.e30": "care_plan_after_review",
    "york-s4.e31": "leaving_care_planning", "york-s4.e32": "pathway_reviews", "york-s4.e33": "personal_adviser",
    "york-s4.e34": "care_leaver_contact",
    # York: Standard 5, recording; Standard 6, management.
    "york-s5.e1": "consent_recorded", "york-s5.e2": "recording_timely", "york-s5.e3": "chronology_current",
    "york-s5.e6": "child_voice", "york-s5.e7": "plan_after_review",
    "york-s6.e3": "case_supervision", "york-s6.e6": "supervision_to_file",
    # York: the supplementary criteria.
    "york-g4.c2": "conferences_on_time", "york-g4.c8": "conference_reports", "york-g5.c1": "lac_journey",
    "york-g5.c4": "permanence_plan",
    # Leeds.
    "leeds-2.1": "visits_any", "leeds-t2.5": "visits_any", "leeds-t2.6": "seen_alone", "leeds-t2.8": "child_voice",
    "leeds-3.1": "assessment_on_time", "leeds-t3.3": "assessment_visits_bedroom", "leeds-t3.12": "assessment_on_time",
    "leeds-4.2": "plan_after_review", "leeds-5.1": "recording_timely", "leeds-t6.1": "recording_timely",
    "leeds-fa.2": "chronology_current", "leeds-fa.4": "visit_standards", "leeds-fa.8": "case_summary_current",
    # Wiltshire.
    "wilts-2.4": "assessment_on_time", "wilts-2.15": "assessment_approved", "wilts-6.2": "chronology_current",
    "wilts-6.3": "recording_timely", "wilts-7.1": "case_supervision", "wilts-8.1": "visits_any",
    "wilts-12.2": "icpc_on_time", "wilts-12.10": "plan_contingency", "wilts-12.15": "rcpc_cycle",
    "wilts-12.16": "rcpc_report_family", "wilts-12.17": "cin_plan_after_cp", "wilts-14.2": "lac_reviews",
    "wilts-14.1": "lac_review_reports", "wilts-15.4": "adoption_reviews_order", "wilts-15.5": "adoption_reviews_placed",
    "wilts-16.4": "pathway_reviews", "wilts-4.1": "cin_meetings_and_reviews", "wilts-1.4": "referral_decision",
    "wilts-1.5": "consent_recorded", "wilts-1.13": "referrer_feedback", "wilts-11.1": "s47_completion",
    "wilts-12.7": "conference_minutes",
    # St Helens.
    "sthelens-assessment.1": "assessment_on_time", "sthelens-assessment.24": "assessment_approved",
    "sthelens-recording.2": "seen_alone", "sthelens-recording.10": "chronology_current",
    "sthelens-first-visit.7": "assessment_visits_bedroom", "sthelens-cin.13": "cin_reviews",
    "sthelens-core-group.1": "first_core_group", "sthelens-core-group.4": "core_group_records",
    "sthelens-core-group.9": "announced_mix_cp", "sthelens-cp-visits.1": "visits_cp",
    "sthelens-cp-visits.6": "seen_alone_cp", "sthelens-iro-cp.7": "cp_plan_completion",
    "sthelens-lac.10": "seen_alone_or_reason_lac", "sthelens-cic-visits.1": "visits_lac",
    "sthelens-cic-visits.6": "seen_alone_lac", "sthelens-iro-lac.18": "lac_review_decisions",
    "sthelens-iro-lac.19": "lac_review_records", "sthelens-lac.25": "lac_review_consultation",
    "sthelens-lac.1": "iro_allocation", "sthelens-lac.7": "health_assessment", "sthelens-lac.17": "pep",
    "sthelens-lac.20": "pathway_plan", "sthelens-mash.1": "referral_decision", "sthelens-mash.6": "consent_recorded",
    "sthelens-mash.11": "referrer_feedback", "sthelens-s47.2": "s47_seen", "sthelens-iro-cp.12": "conference_minutes",
    # Barnet.
    "barnet-9.3.4": "seen_alone_or_reason", "barnet-9.3.22": "chronology_current", "barnet-9.5.4": "seen_alone",
    "barnet-9.6.3": "assessment_visits_alone", "barnet-9.7.28": "icpc_on_time", "barnet-9.7.24": "icpc_threshold",
    "barnet-9.8.7": "visits_cin", "barnet-9.8.9": "cin_reviews", "barnet-9.8.22": "case_supervision",
    "barnet-9.9.4": "visits_cp", "barnet-9.9.5": "announced_mix_cp", "barnet-9.9.10": "first_core_group",
    "barnet-9.9.12": "core_group_records", "barnet-9.9.13": "first_core_group", "barnet-9.9.15": "visits_cp",
    "barnet-9.9.18": "views_cp", "barnet-9.9.25": "rcpc_report_family", "barnet-9.12.8": "visits_pf",
    "barnet-9.14.1": "visits_lac", "barnet-9.14.10": "visits_lac", "barnet-9.14.11": "seen_alone_or_reason_lac",
    "barnet-9.14.19": "lac_reviews", "barnet-9.14.20": "lac_review_reports", "barnet-9.14.24": "pep",
    "barnet-9.15.17": "pathway_reviews", "barnet-9.10.25": "pre_proceedings_reviews",
    "barnet-9.3.25": "meeting_documents", "barnet-9.18.9": "permanence_plan", "barnet-9.4.4": "referral_decision",
    "barnet-9.4.11": "referrer_feedback", "barnet-9.4.13": "consent_recorded", "barnet-9.14.15": "health_assessment",
    "barnet-9.14.25": "pathway_plan", "barnet-9.7.6": "s47_seen", "barnet-9.6.27": "visit_recording",
}  # fmt: skip


def check_for(code: str) -> Callable[[Record], CheckResult | None] | None:
    kind = ITEM_CHECKS.get(code)
    return CHECKS[kind] if kind else None
