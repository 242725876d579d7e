"""Looked after: becoming looked after opens the first review, the health assessment and the
personal education plan clocks; each placement opens its placement planning meeting, and the
first placement of the period the care plan; the IRO records reviews (the first meets its clock
and opens the second, the second the interval); health assessments and PEPs meet theirs and open
the next (six-monthly under 5, yearly from 5).

Clocks, each opened only where the authority sets a value:
  from becoming looked after   lac_first_review, initial_health_assessment_request,
                               initial_health_assessment, pep_initial (school age only),
                               iro_allocation (met by the first review or "Done"), permanence_plan
                               (met by the second review or "Done"); personal_adviser_allocation
                               from the anchor the authority configures (Barnet the 16th birthday,
                               York the date of birth; met by an adviser's contact or "Done")
  from a placement starting    placement_planning_meeting, placement_plan ("Done"); care_plan (first)
  from a review                lac_second_review, then lac_review_interval; lac_review_decisions,
                               lac_review_full_record (the IRO), care_plan_update_after_review
  from a health assessment     health_review_under_5 or health_review_5_plus, by age then
  also from becoming looked after   first_review_booking (Leeds; met by booking the review),
                               lac_legal_status_notice (York 24 hours), sdq_initial (St Helens)
                               or else the yearly sdq_interval (ages 4 to 16), and, for a child not
                               yet 16, leaving_care_planning_start (Leeds, Wiltshire, York)
  from an SDQ                  sdq_interval, while the child will still be 16 or under
  from a review                lac_review_manager_response (Wiltshire, for the team's manager); an
                               adjourned review opens lac_review_adjourned_completion instead
                               (Leeds), and only once
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.codes import LegalStatus as LegalStatusCode
from cases.codes.ssda903 import REVIEW_PARTICIPATION
from cases.concurrency import check_version
from cases.dates import check_not_in_future, long_date, start_of
from cases.events import publish
from cases.models import Case, ChronologyEntry, Deadline, LegalStatus, User
from cases.roles import Role
from cases.selectors.people import has_role
from cases.selectors.timescales import policy_for
from cases.services.alerts import team_managers
from cases.services.children import chronology_write
from cases.services.writes import locked, locked_case, save_as, save_changes
from planning.models import AdoptionStep, CareCheck, Meeting, Placement
from planning.services.clocks import authority_sets, counted_from, meet_open, meet_open_on_case, open_clock
from planning.services.leaving_care import sixteenth_birthday
from planning.services.meetings import (
    booking_to_hold,
    chairs,
    check_visible,
    meeting_errors,
    meeting_save_held,
    writes_meeting,
)
from planning.services.plans import can_write_plan

ON_BECOMING_LOOKED_AFTER = ("lac_first_review", "initial_health_assessment_request", "initial_health_assessment",
                            "iro_allocation", "permanence_plan", "first_review_booking")  # fmt: skip
REVIEW_KEYS = ("lac_first_review", "lac_second_review", "lac_review_interval")
# The review timetables that replace the regular one once a placement order is granted, and once
# the child is placed for adoption (review_clocks; the steps are adoption.py's).
ORDER_REVIEW_KEYS = ("placement_order_first_review", "placement_order_review_interval")
PLACED_REVIEW_KEYS = ("adoptive_placement_first_review", "adoptive_placement_second_review",
                      "adoptive_placement_review_interval")  # fmt: skip
AFTER_REVIEW = ("lac_review_decisions", "lac_review_full_record")
HEALTH_REVIEW_KEYS = ("health_review_under_5", "health_review_5_plus")
SDQ_KEYS = ("sdq_initial", "sdq_interval")
NOTICE_KEY = "lac_legal_status_notice"
LEAVING_CARE_PLANNING_KEY = "leaving_care_planning_start"
# A disabled child in care's plan for the move to adult services (Barnet: by 16 years 3 months).
TRANSITIONS_KEY = "transitions_plan_disabled_child"
ADJOURNED_KEY = "lac_review_adjourned_completion"
# The clocks that stop when the child is no longer looked after.
LOOKED_AFTER_KEYS = (*ON_BECOMING_LOOKED_AFTER, *REVIEW_KEYS[1:], *HEALTH_REVIEW_KEYS, *SDQ_KEYS, NOTICE_KEY,
                     LEAVING_CARE_PLANNING_KEY, TRANSITIONS_KEY, "pep_initial", "care_plan",
                     "placement_planning_meeting", "placement_plan")  # fmt: skip
# Work the record holds nothing else for: a "Done" on the Plans and meetings tab meets the clock.
TAB_TASKS = {
    "placement_plan": "Placement plan completed",
    "iro_allocation": "Named IRO allocated",
    "permanence_plan": "Permanence plan agreed",
    "personal_adviser_allocation": "Personal adviser linked",
    "first_review_booking": "First review booked with the reviewing service",
    NOTICE_KEY: "Every professional involved told of the legal status",
    LEAVING_CARE_PLANNING_KEY: "Leaving-care planning started",
    TRANSITIONS_KEY: "Transitions plan to adult services in place",
    "cin_plan_drift_check": "Plan's impact reviewed, and child protection considered",
    # Adoption (planning/services/adoption.py)
    "placement_order_not_placed_check": "Plan reconsidered and the adoption panel told",
    "adoption_application_prompt": "Adopters helped to lodge their adoption application",
    "later_life_letter": "Later-life letter completed",
}
# An SDQ is asked of children aged 4 to 16 (statutory guidance on looked-after children's health).
SDQ_AGES = range(4, 17)
ADVISER_KEY = "personal_adviser_allocation"
# Compulsory school age runs from the term after the fifth birthday; reception starts at four.
SCHOOL_AGES = range(4, 16)


def age_on(child, day: date) -> int | None:
    born = child.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def care_period_start(case: Case, status: LegalStatus) -> date:
    """The start of the period of care: a new legal status (a care order after an interim one)
    replaces the old on the same day without starting a new period."""
    started = status.started_on
    statuses = {s.ended_on: s for s in case.statuses.filter(kind=LegalStatus.Kind.LOOKED_AFTER).exclude(ended_on=None)}
    while started in statuses:
        started = statuses.pop(started).started_on
    return started


def review_conditions(status: LegalStatus) -> tuple[str, ...]:
    """A child looked after for a series of short breaks is reviewed on its own timetable."""
    return ("short_breaks",) if status.legal_status == LegalStatusCode.V3 else ()


def looked_after_open(case: Case, status: LegalStatus) -> None:
    """Once per period of care (its start): the first review, health and education clocks."""
    if care_period_start(case, status) != status.started_on:
        return
    start = start_of(status.started_on)
    if Deadline.objects.filter(case=case, key="lac_first_review", anchor_at=start).exists():
        return
    for key in ON_BECOMING_LOOKED_AFTER:
        open_clock(key, subject=case, start=counted_from(case, key, start, status.started_at), case=case,
                   conditions=review_conditions(status))  # fmt: skip
    # Counted in hours: from when the status was recorded, if that is the day it began.
    recorded_now = status.started_on == timezone.localdate()
    open_clock(NOTICE_KEY, subject=case, start=timezone.now() if recorded_now else start, case=case)
    age = age_on(case.child, status.started_on)
    if age in SCHOOL_AGES:
        open_clock("pep_initial", subject=case, start=start, case=case)
    if age in SDQ_AGES:
        # Where no first-SDQ timescale is set, the yearly one runs from the start of care.
        first = open_clock(SDQ_KEYS[0], subject=case, start=start, case=case)
        if first is None:
            open_clock(SDQ_KEYS[1], subject=case, start=start, case=case)
    if age is not None and age < 16:
        _birthday_clock_open(case, LEAVING_CARE_PLANNING_KEY)
    adviser_clock_open(case)
    if case.child.disability.strip():
        _birthday_clock_open(case, TRANSITIONS_KEY)


def _birthday_clock_open(case: Case, key: str) -> Deadline | None:
    """A clock counted from the anchor the authority configures, the birth or the 16th birthday,
    once per child."""
    born = case.child.date_of_birth
    if born is None or Deadline.objects.filter(case=case, key=key).exists():
        return None
    anchor = policy_for(case.authority).timescale(key).anchor
    start = start_of(sixteenth_birthday(born) if anchor == "sixteenth_birthday" else born)
    return open_clock(key, subject=case, start=start, case=case)


def adviser_clock_open(case: Case) -> Deadline | None:
    """A personal adviser is linked by a date counted from the anchor the authority configures
    (Barnet: the day before the 16th birthday; York: 17 years 6 months)."""
    return _birthday_clock_open(case, ADVISER_KEY)


def placement_opened(placement: Placement, *, first_of_period: bool, emergency: bool,
                     started_at: datetime | None = None) -> None:  # fmt: skip
    """Inside placement_start: the placement planning meeting, and the care plan for the first.
    Without the hour the child arrived, clocks count from the start of the day."""
    conditions, case = ("emergency_placement",) if emergency else (), placement.case
    day = start_of(placement.started_on)
    for key in ("placement_planning_meeting", "placement_plan"):
        open_clock(key, subject=placement, start=counted_from(case, key, day, started_at), case=case,
                   conditions=conditions)  # fmt: skip
    if first_of_period:
        open_clock("care_plan", subject=case, start=counted_from(case, "care_plan", day, started_at), case=case,
                   conditions=conditions)  # fmt: skip


@transaction.atomic
def placement_meeting_record(*, case: Case, recorded_by: User, held_at: datetime | None, attendees: str,
                             summary: str) -> Meeting:  # fmt: skip
    """The placement planning meeting for the current placement meets its clock."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_write_plan(recorded_by, case):
        raise PermissionDenied
    placement = Placement.objects.filter(case=case, ended_on=None).first()
    if placement is None:
        raise ValidationError({"held_at": "Record the placement before its planning meeting"})
    errors = meeting_errors(held_at, case, attendees)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(authority_id=case.authority_id, case=case, child=case.child, kind=Meeting.Kind.PLACEMENT_PLANNING,
                      held_at=held_at, chair=recorded_by, attendees=attendees.strip(), summary=(summary or "").strip(),
                      recorded_by=recorded_by)  # fmt: skip
    save_as(meeting, recorded_by)
    meet_open(placement, ["placement_planning_meeting"], held_at, started_only=False)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLACEMENT, occurred_at=held_at,
                     title=f"Placement planning meeting: {placement}", detail=meeting.summary,
                     written_by=recorded_by)  # fmt: skip
    return meeting


@transaction.atomic
def lac_review_record(*, case: Case, chair: User, held_at: datetime | None, attendees: str, summary: str,
                      booking: Meeting | None = None, adjourned: bool = False,
                      participation: str | None = None) -> Meeting:  # fmt: skip
    """The IRO records a looked-after review: it meets the review that was due and opens the next.
    The child's participation (the DfE's code) is required for a review that is held to the end
    where the caller asks it (None: not asked, so not checked).
    An adjourned review leaves the review clocks running and opens its completion clock; the
    review that completes it meets both. A review is adjourned once at most. Which review clocks
    it meets and opens depends on the adoption phase (regular, placement order or placed for
    adoption: review_clocks)."""
    case = locked_case(case)
    check_visible(chair, case)
    if not chairs(chair, case):
        raise PermissionDenied
    status = LegalStatus.objects.filter(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None).first()
    if status is None:
        raise ValidationError({"held_at": "The child is not looked after"})
    booking = booking_to_hold(case, Meeting.Kind.LAC_REVIEW, booking)
    # The period of care, not the current legal status: a new legal order (a placement order's E1
    # after a care order) does not restart the count of reviews.
    period_start = care_period_start(case, status)
    errors = meeting_errors(held_at, case, attendees, after=start_of(period_start), summary=summary,
                            summary_missing="Enter the review's decisions and recommendations")  # fmt: skip
    awaiting = Deadline.objects.filter(case=case, key=ADJOURNED_KEY, status=Deadline.Status.OPEN).exists()
    if adjourned and awaiting:
        errors["adjourned"] = "This review was adjourned once already: it must now be completed"
    unknown = participation and participation not in dict(REVIEW_PARTICIPATION.choices)
    if unknown or (participation == "" and not adjourned):
        errors["participation"] = "Select the child's participation in the review"
    if errors:
        raise ValidationError(errors)
    period = Meeting.objects.filter(case=case, kind=Meeting.Kind.LAC_REVIEW, held_at__gte=start_of(period_start))
    number = period.exclude(decision=Meeting.Decision.ADJOURNED).count() + 1
    meeting = booking or Meeting(authority_id=case.authority_id, case=case, child=case.child,
                                 kind=Meeting.Kind.LAC_REVIEW, recorded_by=chair)  # fmt: skip
    meeting.held_at, meeting.chair = held_at, chair
    meeting.attendees, meeting.summary = attendees.strip(), summary.strip()
    meeting.decision = Meeting.Decision.ADJOURNED if adjourned else ""
    meeting.participation = participation or ""
    meeting_save_held(meeting, chair, "review")
    # A review chaired by the IRO shows one was allocated, and that the first was booked.
    meet_open_on_case(case, ["iro_allocation", "first_review_booking"], held_at)
    if adjourned:
        open_clock(ADJOURNED_KEY, subject=meeting, start=held_at, case=case, assignee=chair)
        chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, occurred_at=held_at,
                         title=f"Looked-after review ({_ordinal(number)}) adjourned", detail=meeting.summary,
                         written_by=chair)  # fmt: skip
        return meeting
    meets, following = review_clocks(case, period_start, number, held_at, chair)
    meet_open_on_case(case, [*meets, ADJOURNED_KEY], held_at)
    # The second review agrees permanence.
    meet_open_on_case(case, ["permanence_plan"] if number == 2 else [], held_at)
    open_clock(following, subject=case, start=next_review_start(case, following, period_start, held_at), case=case,
               conditions=review_conditions(status))  # fmt: skip
    for key in AFTER_REVIEW:
        open_clock(key, subject=meeting, start=held_at, case=case, assignee=chair)
    open_clock("care_plan_update_after_review", subject=meeting, start=held_at, case=case)
    managers = team_managers([case.team_id])[case.team_id]
    open_clock("lac_review_manager_response", subject=meeting, start=held_at, case=case,
               assignee=managers[0] if managers else None)  # fmt: skip
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, occurred_at=held_at,
                     title=f"Looked-after review ({_ordinal(number)})", detail=meeting.summary,
                     written_by=chair)  # fmt: skip
    return meeting


def may_correct_participation(user: User, meeting: Meeting) -> bool:
    """A held looked-after review's participation is corrected by whoever may write that meeting's
    record: its chair, or those who write the child's plans (`writes_meeting`), while the case is
    open; never another chair."""
    return meeting.kind == Meeting.Kind.LAC_REVIEW and meeting.is_held and writes_meeting(user, meeting)


@transaction.atomic
def lac_review_participation_correct(*, meeting: Meeting, recorded_by: User, version: int,
                                     participation: str) -> Meeting:  # fmt: skip
    """Correct (or add, for a review recorded before it was asked) the child's participation in a
    held looked-after review, from the `version` the form was opened at. Required as when the
    review was recorded: an adjourned review may be left without it."""
    case = locked_case(meeting.case)  # the case first, in the order lac_review_record locks them
    check_visible(recorded_by, case)
    meeting = locked(Meeting, pk=meeting.pk, related=["child", "chair"])
    meeting.case = case
    if not may_correct_participation(recorded_by, meeting):
        raise PermissionDenied
    check_version(meeting, version, ["participation"], "review")
    participation = participation or ""
    adjourned = meeting.decision == Meeting.Decision.ADJOURNED
    if (participation and participation not in dict(REVIEW_PARTICIPATION.choices)) or (
            not participation and not adjourned):
        raise ValidationError({"participation": "Select the child's participation in the review"})
    was = meeting.participation
    if not save_changes(meeting, {"participation": participation}, recorded_by):
        return meeting
    held = long_date(timezone.localdate(meeting.held_at))
    detail = (f"Was: {REVIEW_PARTICIPATION.label(was)}. " if was else "Not recorded before. ") + (
        f"Now: {REVIEW_PARTICIPATION.label(participation)}." if participation else "Now: not recorded.")
    chronology_write(child=meeting.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, occurred_at=timezone.now(),
                     title=f"Looked-after review of {held}: the child's participation corrected", detail=detail,
                     written_by=recorded_by)  # fmt: skip
    return meeting


def _ordinal(number: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(number, f"number {number}")


# What each check meets, and what it opens next (None: it does not recur here).
CHECK_MEETS = {
    CareCheck.Kind.INITIAL_HEALTH: ("initial_health_assessment_request", "initial_health_assessment"),
    CareCheck.Kind.REVIEW_HEALTH: HEALTH_REVIEW_KEYS,
    CareCheck.Kind.PEP: ("pep_initial",),
    CareCheck.Kind.PATHWAY_NEEDS: ("pathway_needs_assessment", LEAVING_CARE_PLANNING_KEY),
    CareCheck.Kind.ADVISER_CONTACT: ("care_leaver_contact_interval",),
    CareCheck.Kind.SDQ: SDQ_KEYS,
    CareCheck.Kind.PEP_REVIEW: (),
}


def may_record_care_check(user: User, case: Case, kind: str) -> bool:
    """The case's writers; and a personal adviser who can see the young person records their own
    contact while the case is open."""
    adviser = kind == CareCheck.Kind.ADVISER_CONTACT and case.is_open and has_role(user, Role.PERSONAL_ADVISER)
    return can_write_plan(user, case) or adviser


@transaction.atomic
def care_check_record(*, case: Case, kind: str, done_on: date | None, notes: str, recorded_by: User) -> CareCheck:
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not may_record_care_check(recorded_by, case, kind):
        raise PermissionDenied
    errors = {}
    if kind not in CareCheck.Kind.values:
        errors["kind"] = "Select what was done"
    try:
        check_not_in_future(done_on, "done_on", "date")
    except ValidationError as error:
        errors |= error.message_dict
    opened_on = timezone.localdate(case.opened_at)
    if "done_on" not in errors and done_on < opened_on:
        errors["done_on"] = f"The date must be on or after {long_date(opened_on)}, when the case opened"
    if errors:
        raise ValidationError(errors)
    check = CareCheck(authority_id=case.authority_id, case=case, child=case.child, kind=kind, done_on=done_on,
                      notes=(notes or "").strip(), recorded_by=recorded_by)  # fmt: skip
    save_as(check, recorded_by)
    done_at = start_of(done_on).replace(hour=12)
    meet_open_on_case(case, list(CHECK_MEETS[kind]), done_at)
    if kind in (CareCheck.Kind.INITIAL_HEALTH, CareCheck.Kind.REVIEW_HEALTH):
        under_5 = (age_on(case.child, done_on) or 0) < 5
        open_clock(HEALTH_REVIEW_KEYS[0] if under_5 else HEALTH_REVIEW_KEYS[1], subject=case, start=done_at, case=case)
    if kind == CareCheck.Kind.SDQ and (age_on(case.child, done_on) or 0) < max(SDQ_AGES):
        open_clock(SDQ_KEYS[1], subject=case, start=done_at, case=case)
    if kind == CareCheck.Kind.ADVISER_CONTACT:
        meet_open_on_case(case, [ADVISER_KEY], done_at, started_only=False)  # linked, whenever it was due
        open_clock("care_leaver_contact_interval", subject=case, start=done_at, case=case, assignee=recorded_by)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, occurred_at=done_at,
                     title=str(check), detail=check.notes, written_by=recorded_by)  # fmt: skip
    return check


@transaction.atomic
def case_task_done(*, case: Case, key: str, recorded_by: User, done_at: datetime | None = None) -> Deadline:
    """A "Done" on the Plans and meetings tab: the placement plan was completed, an IRO allocated,
    the permanence plan agreed, a personal adviser linked. Meets that open clock (late if past due)."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_write_plan(recorded_by, case):
        raise PermissionDenied
    done_at = done_at or timezone.now()
    if key not in TAB_TASKS or done_at > timezone.now():
        raise ValidationError({"key": "Choose something waiting on the child's plans"})
    met = meet_open_on_case(case, [key], done_at, started_only=False)
    if not met:
        raise ValidationError({"key": "That is not waiting on the child's plans"})
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, occurred_at=done_at,
                     title=TAB_TASKS[key], written_by=recorded_by)  # fmt: skip
    return met[0]


def steps_in_period(case: Case, period_start: date) -> dict[str, AdoptionStep]:
    """The adoption steps recorded in this period of care, by kind."""
    return {step.kind: step for step in AdoptionStep.objects.filter(case=case, happened_on__gte=period_start)}


def review_clocks(case: Case, period: date, number: int, held_at: datetime,
                  changed_by: User) -> tuple[list[str], str]:  # fmt: skip
    """For lac_review_record: the review clocks a looked-after review meets, and the one it opens
    next, by the phase of adoption the child is in (see the module's docstring). `number` counts
    the reviews of this period of care, this one included. The first review after placement for
    adoption is also raised to visits, whose adoptive visit intervals change at it."""
    meets = ["lac_first_review", "lac_second_review", "lac_review_interval", *ORDER_REVIEW_KEYS, *PLACED_REVIEW_KEYS]
    steps = steps_in_period(case, period)
    regular = "lac_second_review" if number == 1 else "lac_review_interval"
    candidates = [regular]
    placed = steps.get(AdoptionStep.Kind.PLACED)
    if placed is not None and held_at >= start_of(placed.happened_on):
        reviews = Meeting.objects.filter(case=case, kind=Meeting.Kind.LAC_REVIEW,
                                         held_at__gte=start_of(placed.happened_on))  # fmt: skip
        since = reviews.exclude(decision=Meeting.Decision.ADJOURNED).count()  # an adjourned one is not yet held
        if since == 1:
            publish("adoption_changed", case=case, changed_by=changed_by, placed_on=placed.happened_on,
                    first_review_on=timezone.localdate(held_at))  # fmt: skip
        if authority_sets(case, "adoptive_placement_first_review", start_of(placed.happened_on)):
            candidates = ["adoptive_placement_review_interval", "lac_review_interval"]
            if since == 1:
                candidates.insert(0, "adoptive_placement_second_review")
    elif AdoptionStep.Kind.PLACEMENT_ORDER in steps:
        candidates.insert(0, "placement_order_review_interval")
    return meets, next((key for key in candidates if authority_sets(case, key, held_at)), regular)


def next_review_start(case: Case, key: str, period: date, held_at: datetime) -> datetime:
    """Where the authority anchors the second adoptive review on the placement (Wiltshire: the
    standard names no start, placement for adoption is assumed), count from it; else the review."""
    second = key == "adoptive_placement_second_review"
    if second and policy_for(case.authority).timescale(key).anchor == "placed_for_adoption":
        return start_of(steps_in_period(case, period)[AdoptionStep.Kind.PLACED].happened_on)
    return held_at
