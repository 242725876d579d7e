"""What every kind of meeting shares: who may record it, the checks on when it was held and who
came, booking a conference or review ahead (which opens the "before the meeting" clocks, cancelled
with a reason if the meeting is held without them), saving a held meeting, and the tasks the team
marks done on a meeting's page.

Clocks opened on booking, each only where the authority sets a value: icpc_report_to_family,
icpc_report_to_chair, icpc_agency_notice (rcpc_* for a review); conference_exclusion_request where
someone may be asked to leave; for a looked-after review the reports, the child's preparation,
consultation forms and the talk with the IRO; for a CIN review the invitations.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import EARLIEST, LATEST, date_in_range, long_date
from cases.models import Case, ChronologyEntry, User
from cases.roles import Role
from cases.selectors.children import children_visible_to, manages_case
from cases.selectors.people import has_role
from cases.services.children import chronology_write
from cases.services.writes import locked, locked_case, save_as
from planning.models import Meeting, Plan
from planning.services.clocks import cancel_open, meet_open, meet_open_on_case, open_clock
from planning.services.plans import can_write_plan

BEFORE_KEYS = {
    Meeting.Kind.ICPC: ("icpc_report_to_family", "icpc_report_to_chair", "icpc_agency_notice"),
    Meeting.Kind.RCPC: ("rcpc_report_to_family", "rcpc_report_to_chair"),
    Meeting.Kind.LAC_REVIEW: ("lac_review_report_to_iro", "lac_review_report_to_family",
                              "lac_review_child_preparation", "lac_review_consultation_forms",
                              "lac_review_sw_iro_discussion"),
    Meeting.Kind.CIN_REVIEW: ("cin_review_invitations",),
}  # fmt: skip
# Only when the worker expects to ask the chair to exclude a family member (Barnet 9.16); the same
# notice applies to review conferences.
EXCLUSION_KEY = "conference_exclusion_request"
EXCLUDABLE = (Meeting.Kind.ICPC, Meeting.Kind.RCPC)
# What the team records as done on a meeting's page, in the words the page uses.
TASKS = {
    "icpc_report_to_family": "Report shared with the parents",
    "icpc_report_to_chair": "Report with the chair",
    "icpc_agency_notice": "Agencies given notice of the conference",
    EXCLUSION_KEY: "Request to exclude a family member sent to the chair",
    "rcpc_report_to_family": "Report shared with the parents",
    "rcpc_report_to_chair": "Report with the chair",
    "lac_review_report_to_iro": "Report with the IRO",
    "lac_review_report_to_family": "Report shared with the child and parents",
    "lac_review_child_preparation": "Attendance, venue and taking part agreed with the child",
    "lac_review_consultation_forms": "Consultation forms sent to the key people",
    "lac_review_sw_iro_discussion": "Spoken with the IRO",
    "lac_review_manager_response": "A manager has considered the review's decisions",
    "cin_review_invitations": "Invitations sent",
    "cp_plan_completion": "Outline plan written up",
    "cp_plan_circulation": "Outline plan sent out",
    "icpc_outcome_circulation": "Outcome recorded and sent out",
    "conference_minutes": "Minutes sent out",
    "core_group_record_circulation": "Core group notes sent out",
    "cp_plan_update_after_core_group": "Plan updated on the record",
    "cin_meeting_record": "Meeting notes recorded and sent out",
    "cin_plan_circulation": "Updated plan sent to the child, family and professionals",
    "cin_plan_update": "Plan updated on the record",
    "cin_meeting_record_quality_assurance": "Meeting record quality-assured by a manager",
    "lac_review_decisions": "Review decisions written up",
    "lac_review_full_record": "Full record of the review sent out",
}
# A manager's own consideration: the worker cannot record it for them (Wiltshire §14.5).
MANAGERS_ONLY = ("lac_review_manager_response", "cin_meeting_record_quality_assurance")


def chairs(user: User, case: Case) -> bool:
    """The conference chair or IRO records conferences and looked-after reviews."""
    return case.is_open and user.authority_id == case.authority_id and has_role(user, Role.CONFERENCE_CHAIR)


def writes_meeting(user: User, meeting: Meeting) -> bool:
    """Who records a meeting's tasks: those who write the child's plans, and the chair of this
    meeting (its minutes and outline plan), but no other chair."""
    return can_write_plan(user, meeting.case) or (meeting.chair_id == user.pk and chairs(user, meeting.case))


def check_visible(user: User, case: Case) -> None:
    if not children_visible_to(user).filter(pk=case.child_id).exists():
        raise PermissionDenied


def check_held_at(errors: dict, held_at: datetime | None, case: Case, field: str = "held_at", after=None) -> None:
    if held_at is None:
        errors[field] = "Enter the date and time the meeting was held"
    elif held_at > timezone.now():
        errors[field] = "The meeting must have been held today or in the past"
    elif not date_in_range(timezone.localdate(held_at)):
        errors[field] = f"The meeting must have been held between {EARLIEST.year} and now"
    elif held_at < (after or case.opened_at):
        when = after or case.opened_at
        errors[field] = f"The meeting must be held on or after {long_date(timezone.localdate(when))}"


PROGRESS_MISSING = "Enter the progress and the changes to the plan"


def meeting_errors(held_at: datetime | None, case: Case, attendees: str, *, after=None, summary: str | None = None,
                   summary_missing: str = "") -> dict[str, str]:
    """What is wrong with a meeting's when, who and (where `summary_missing` says it is required)
    its summary, keyed by field, for every kind of meeting."""
    errors: dict[str, str] = {}
    check_held_at(errors, held_at, case, after=after)
    if not (attendees or "").strip():
        errors["attendees"] = "Enter who attended"
    if summary_missing and not (summary or "").strip():
        errors["summary"] = summary_missing
    return errors


def booking_to_hold(case: Case, kind: str, booking: Meeting | None) -> Meeting | None:
    if booking is None:
        return None
    booking = locked(Meeting, pk=booking.pk)
    if booking.case_id != case.pk or booking.kind != kind or booking.is_held:
        raise ValidationError({"held_at": "That booking is not for this meeting"})
    return booking


def before_keys(meeting: Meeting) -> list[str]:
    return [*BEFORE_KEYS.get(meeting.kind, ()), *([EXCLUSION_KEY] if meeting.kind in EXCLUDABLE else [])]


@transaction.atomic
def meeting_book(*, case: Case, kind: str, scheduled_at: datetime | None, booked_by: User,
                 exclusion_expected: bool = False) -> Meeting:  # fmt: skip
    """Book a conference or review ahead: what is due before it goes on the ledger for the worker
    (with the exclusion request only where the worker expects to make one)."""
    case = locked_case(case)
    check_visible(booked_by, case)
    if not can_write_plan(booked_by, case):
        raise PermissionDenied
    errors = {}
    if kind not in BEFORE_KEYS:
        errors["kind"] = "Select the meeting to book"
    if scheduled_at is None:
        errors["scheduled_at"] = "Enter the date and time of the meeting"
    elif scheduled_at < case.opened_at:
        errors["scheduled_at"] = "The meeting must be after the case opened"
    elif not date_in_range(timezone.localdate(scheduled_at)):
        errors["scheduled_at"] = f"The meeting must be booked for a date before {LATEST.year + 1}"
    if not errors and Meeting.objects.filter(case=case, kind=kind, held_at=None).exists():
        errors["kind"] = f"A {Meeting.Kind(kind).label.lower()} is already booked"
    plan_kind = {Meeting.Kind.RCPC: Plan.Kind.CHILD_PROTECTION, Meeting.Kind.CIN_REVIEW: Plan.Kind.CHILD_IN_NEED}
    plan = Plan.objects.filter(case=case, kind=plan_kind[kind], ended_on=None).first() if kind in plan_kind else None
    if kind == Meeting.Kind.RCPC and plan is None:
        errors["kind"] = "A review conference needs a child protection plan in place"
    if kind == Meeting.Kind.CIN_REVIEW and (plan is None or not plan.meetings.filter(held_at__isnull=False).exists()):
        errors["kind"] = "A child in need review follows the initial meeting on the child in need plan"
    if exclusion_expected and kind not in EXCLUDABLE:
        errors["exclusion_expected"] = "Only a child protection conference can be asked to exclude a family member"
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(authority_id=case.authority_id, case=case, child=case.child, plan=plan, kind=kind,
                      scheduled_at=scheduled_at, recorded_by=booked_by)  # fmt: skip
    save_as(meeting, booked_by)
    for key in BEFORE_KEYS[kind]:
        open_clock(key, subject=meeting, start=scheduled_at, case=case)
    if exclusion_expected:
        open_clock(EXCLUSION_KEY, subject=meeting, start=scheduled_at, case=case)
    if kind == Meeting.Kind.LAC_REVIEW:
        meet_open_on_case(case, ["first_review_booking"], timezone.now(), started_only=False)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, occurred_at=timezone.now(),
                     title=f"{meeting} booked for {timezone.localtime(scheduled_at):%-d %B %Y %H:%M}",
                     written_by=booked_by)  # fmt: skip
    return meeting


def meeting_save_held(meeting: Meeting, recorded_by: User, label: str) -> None:
    save_as(meeting, recorded_by)
    # Anything still waiting before the meeting was not recorded in time; it no longer can be.
    cancel_open(meeting, before_keys(meeting), f"The {label} was held without this being recorded")


@transaction.atomic
def meeting_task_done(*, meeting: Meeting, key: str, done_at: datetime | None, recorded_by: User):
    """Record that a report went out, minutes were sent, the plan was updated: meets that clock."""
    meeting = locked(Meeting, pk=meeting.pk, related=["case"])
    if not writes_meeting(recorded_by, meeting):
        raise PermissionDenied
    done_at = done_at or timezone.now()
    if key not in TASKS or done_at > timezone.now():
        raise ValidationError({"key": "Choose something waiting on this meeting"})
    if key in MANAGERS_ONLY and not manages_case(recorded_by, meeting.case):
        raise PermissionDenied
    met = meet_open(meeting, [key], done_at, started_only=key not in before_keys(meeting))
    if not met:
        raise ValidationError({"key": "That is not waiting on this meeting"})
    chronology_write(child=meeting.child, case=meeting.case, kind=ChronologyEntry.Kind.CONFERENCE, occurred_at=done_at,
                     title=f"{meeting}: {TASKS[key].lower()}", written_by=recorded_by)  # fmt: skip
    return met[0]
