"""Child protection: the initial conference decides the plan (starting the CP status, so the CP
visit schedule follows), opens the first core group, the first review conference and the outline
plan and minutes clocks; each core group meets the open one and opens the next at the authority's
cadence; a review conference continues the plan (the next review at the interval) or ends it
(ending the CP status). Booking one ahead is shared with every meeting (planning/services/meetings.py).

Clocks, each opened only where the authority sets a value:
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
from cases.dates import start_of
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.services.children import chronology_write
from cases.services.family import legal_status_end, legal_status_start
from cases.services.writes import first_locked, locked_case
from planning.models import Meeting, Plan
from planning.services.clocks import meet_open, meet_open_on_case, open_clock
from planning.services.meetings import (
    PROGRESS_MISSING,
    booking_to_hold,
    chairs,
    check_visible,
    meeting_errors,
    meeting_save_held,
)
from planning.services.plans import can_write_plan, plan_close, plan_create

AFTER_ICPC = ("cp_plan_completion", "cp_plan_circulation", "icpc_outcome_circulation", "conference_minutes")
AFTER_CORE_GROUP = ("core_group_record_circulation", "cp_plan_update_after_core_group")
CORE_GROUP_KEYS = ("first_core_group", "core_group_interval")
REVIEW_KEYS = ("first_rcpc", "rcpc_interval")
CATEGORIES = [choice for choice in CPCategory.choices if choice[0] != CPCategory.MULTIPLE]


@transaction.atomic
def icpc_record(*, case: Case, chair: User, held_at: datetime | None, attendees: str, decision: str,
                categories: list[str], summary: str, booking: Meeting | None = None) -> Meeting:  # fmt: skip
    """The chair records the initial conference. A plan decision starts the CP plan and status."""
    case = locked_case(case)
    check_visible(chair, case)
    if not chairs(chair, case):
        raise PermissionDenied
    booking = booking_to_hold(case, Meeting.Kind.ICPC, booking)
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
    meeting_save_held(meeting, chair, "conference")
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
    check_visible(recorded_by, case)
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
    meeting_save_held(meeting, recorded_by, "core group")
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
    check_visible(chair, case)
    if not chairs(chair, case):
        raise PermissionDenied
    plan = _open_cp_plan(case)
    booking = booking_to_hold(case, Meeting.Kind.RCPC, booking)
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
    meeting_save_held(meeting, chair, "review conference")
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
