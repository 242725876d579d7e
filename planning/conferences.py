"""Child protection: the initial conference decides the plan (starting the CP status, so the CP
visit schedule follows), opens the first core group, the first review conference and the outline
plan and minutes clocks; each core group meets the open one and opens the next at the authority's
cadence; a review conference continues the plan (the next review at the interval) or ends it
(ending the CP status). A conference booked ahead opens the "before the conference" clocks.

Clocks, each opened only where the authority sets a value:
  on booking          icpc_report_to_family, icpc_report_to_chair, icpc_agency_notice (rcpc_* for a
                      review); conference_exclusion_request where someone may be asked to leave;
                      for a looked-after review the reports, the child's preparation, consultation
                      forms and the talk with the IRO; for a CIN review the invitations
  initial conference  first_core_group, first_rcpc (on the plan); cp_plan_completion,
                      cp_plan_circulation, icpc_outcome_circulation, conference_minutes (the chair)
  core group          core_group_interval (on the plan); core_group_record_circulation,
                      cp_plan_update_after_core_group
  review conference   rcpc_interval (continues) or cin_plan_after_cp_end (ends); conference_minutes
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.codes import CPCategory
from cases.dates import EARLIEST, LATEST, date_in_range, long_date, start_of
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.roles import Role
from cases.selectors.children import children_visible_to, manages_case
from cases.selectors.people import has_role
from cases.services.children import chronology_write
from cases.services.family import legal_status_end, legal_status_start
from cases.services.writes import first_locked, locked, locked_case, save_as

from .clocks import cancel_open, meet_open, meet_open_on_case, open_clock
from .models import Meeting, Plan
from .plans import can_write_plan, plan_close, plan_create

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
AFTER_ICPC = ("cp_plan_completion", "cp_plan_circulation", "icpc_outcome_circulation", "conference_minutes")
AFTER_CORE_GROUP = ("core_group_record_circulation", "cp_plan_update_after_core_group")
CORE_GROUP_KEYS = ("first_core_group", "core_group_interval")
REVIEW_KEYS = ("first_rcpc", "rcpc_interval")
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
    "lac_review_decisions": "Review decisions written up",
    "lac_review_full_record": "Full record of the review sent out",
}
# A manager's own consideration: the worker cannot record it for them (Wiltshire §14.5).
MANAGERS_ONLY = ("lac_review_manager_response",)
CATEGORIES = [choice for choice in CPCategory.choices if choice[0] != CPCategory.MULTIPLE]


def chairs(user: User, case: Case) -> bool:
    """The conference chair or IRO records conferences and looked-after reviews."""
    return case.is_open and user.authority_id == case.authority_id and has_role(user, Role.CONFERENCE_CHAIR)


def writes_meeting(user: User, meeting: Meeting) -> bool:
    """Who records a meeting's tasks: those who write the child's plans, and the chair of this
    meeting (its minutes and outline plan), but no other chair."""
    return can_write_plan(user, meeting.case) or (meeting.chair_id == user.pk and chairs(user, meeting.case))


def _check_visible(user: User, case: Case) -> None:
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


def _booked(case: Case, kind: str, booking: Meeting | None) -> Meeting | None:
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
    _check_visible(booked_by, case)
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


def _save_held(meeting: Meeting, recorded_by: User, label: str) -> None:
    save_as(meeting, recorded_by)
    # Anything still waiting before the meeting was not recorded in time; it no longer can be.
    cancel_open(meeting, before_keys(meeting), f"The {label} was held without this being recorded")


@transaction.atomic
def icpc_record(*, case: Case, chair: User, held_at: datetime | None, attendees: str, decision: str,
                categories: list[str], summary: str, booking: Meeting | None = None) -> Meeting:  # fmt: skip
    """The chair records the initial conference. A plan decision starts the CP plan and status."""
    case = locked_case(case)
    _check_visible(chair, case)
    if not chairs(chair, case):
        raise PermissionDenied
    booking = _booked(case, Meeting.Kind.ICPC, booking)
    errors = meeting_errors(held_at, case, attendees)
    if decision not in (Meeting.Decision.CP_PLAN, Meeting.Decision.NO_PLAN):
        errors["decision"] = "Select the conference's decision"
    categories = sorted(set(categories or []))
    if decision == Meeting.Decision.CP_PLAN and not categories:
        errors["categories"] = "Select the category of abuse or neglect"
    if set(categories) - {value for value, _ in CATEGORIES}:
        errors["categories"] = "Select categories from the list"
    if Plan.objects.filter(case=case, kind="cp", ended_on=None).exists():
        errors["decision"] = "The child already has a child protection plan: record a review conference"
    if errors:
        raise ValidationError(errors)
    categories = categories if decision == Meeting.Decision.CP_PLAN else []
    meeting = booking or Meeting(authority_id=case.authority_id, case=case, child=case.child, kind=Meeting.Kind.ICPC,
                                 recorded_by=chair)  # fmt: skip
    meeting.held_at, meeting.chair, meeting.attendees = held_at, chair, attendees.strip()
    meeting.decision, meeting.categories, meeting.summary = decision, categories, (summary or "").strip()
    _save_held(meeting, chair, "conference")
    meet_open_on_case(case, ["icpc"], held_at)  # the enquiry's clock for holding the conference
    held_on = timezone.localdate(held_at)
    if decision == Meeting.Decision.CP_PLAN:
        category = categories[0] if len(categories) == 1 else CPCategory.MULTIPLE
        current = LegalStatus.objects.filter(case=case, kind=LegalStatus.Kind.CHILD_PROTECTION, ended_on=None).first()
        if current is None or current.cp_category != category:
            legal_status_start(case=case, kind=LegalStatus.Kind.CHILD_PROTECTION, started_on=held_on,
                               recorded_by=chair, cp_category=category)  # fmt: skip
        plan = plan_create(case=case, kind=Plan.Kind.CHILD_PROTECTION, started_on=held_on, written_by=chair,
                           outcomes=meeting.summary, approval=Plan.Approval.NOT_NEEDED)  # fmt: skip
        meeting.plan = plan
        meeting.save(update_fields=["plan"])
        for key in ("first_core_group", "first_rcpc"):
            open_clock(key, subject=plan, start=held_at, case=case)
        for key in AFTER_ICPC:
            open_clock(key, subject=meeting, start=held_at, case=case, assignee=chair)
    else:
        open_clock("conference_minutes", subject=meeting, start=held_at, case=case, assignee=chair)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, occurred_at=held_at,
                     title=f"Initial child protection conference: {meeting.get_decision_display().lower()}",
                     detail=meeting.summary, written_by=chair)  # fmt: skip
    return meeting


def _open_cp_plan(case: Case) -> Plan:
    plan = first_locked(Plan.objects.filter(case=case, kind="cp", ended_on=None))
    if plan is None:
        raise ValidationError({"held_at": "The child has no child protection plan in place"})
    return plan


@transaction.atomic
def core_group_record(*, case: Case, recorded_by: User, held_at: datetime | None, attendees: str,
                      summary: str) -> Meeting:  # fmt: skip
    """A core group meeting meets the open core-group clock and opens the next at the authority's cadence."""
    case = locked_case(case)
    _check_visible(recorded_by, case)
    if not can_write_plan(recorded_by, case):
        raise PermissionDenied
    plan = _open_cp_plan(case)
    errors = meeting_errors(held_at, case, attendees, after=start_of(plan.started_on), summary=summary,
                            summary_missing=PROGRESS_MISSING)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(authority_id=case.authority_id, case=case, child=case.child, plan=plan,
                      kind=Meeting.Kind.CORE_GROUP, held_at=held_at, chair=recorded_by, attendees=attendees.strip(),
                      summary=summary.strip(), recorded_by=recorded_by)  # fmt: skip
    _save_held(meeting, recorded_by, "core group")
    meet_open(plan, CORE_GROUP_KEYS, held_at)
    open_clock("core_group_interval", subject=plan, start=held_at, case=case)
    for key in AFTER_CORE_GROUP:
        open_clock(key, subject=meeting, start=held_at, case=case)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, occurred_at=held_at,
                     title="Core group meeting", detail=meeting.summary, written_by=recorded_by)  # fmt: skip
    return meeting


@transaction.atomic
def rcpc_record(*, case: Case, chair: User, held_at: datetime | None, attendees: str, decision: str, summary: str,
                booking: Meeting | None = None) -> Meeting:  # fmt: skip
    """The chair records a review conference: the plan continues (next review at the interval) or
    ends (the CP status ends, and its clocks stop)."""
    case = locked_case(case)
    _check_visible(chair, case)
    if not chairs(chair, case):
        raise PermissionDenied
    plan = _open_cp_plan(case)
    booking = _booked(case, Meeting.Kind.RCPC, booking)
    errors = meeting_errors(held_at, case, attendees, after=start_of(plan.started_on))
    if decision not in (Meeting.Decision.CONTINUE, Meeting.Decision.END):
        errors["decision"] = "Select whether the plan continues or ends"
    if decision == Meeting.Decision.END and not (summary or "").strip():
        errors["summary"] = "Enter why the plan ends"
    if errors:
        raise ValidationError(errors)
    meeting = booking or Meeting(authority_id=case.authority_id, case=case, child=case.child,
                                 kind=Meeting.Kind.RCPC, recorded_by=chair)  # fmt: skip
    meeting.plan, meeting.held_at, meeting.chair, meeting.attendees = plan, held_at, chair, attendees.strip()
    meeting.decision, meeting.summary = decision, (summary or "").strip()
    _save_held(meeting, chair, "review conference")
    meet_open(plan, REVIEW_KEYS, held_at)
    open_clock("conference_minutes", subject=meeting, start=held_at, case=case, assignee=chair)
    if decision == Meeting.Decision.CONTINUE:
        open_clock("rcpc_interval", subject=plan, start=held_at, case=case)
    else:
        held_on = timezone.localdate(held_at)
        plan_close(plan=plan, ended_on=held_on, reason=f"Ended at the review conference: {meeting.summary}",
                   ended_by=chair)  # fmt: skip
        status = LegalStatus.objects.filter(case=case, kind=LegalStatus.Kind.CHILD_PROTECTION, ended_on=None).first()
        if status is not None:
            legal_status_end(status=status, ended_on=max(held_on, status.started_on), ended_by=chair)
        open_clock("cin_plan_after_cp_end", subject=case, start=held_at, case=case)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, occurred_at=held_at,
                     title=f"Review child protection conference: {meeting.get_decision_display().lower()}",
                     detail=meeting.summary, written_by=chair)  # fmt: skip
    return meeting


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
