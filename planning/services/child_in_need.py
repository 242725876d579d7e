"""Child in need: the decision (the CIN status starting) opens the first meeting clock; the first
meeting on the CIN plan meets it and opens the first review, each review the next, at the
authority's cadence; each meeting opens the clocks for its notes and the updated plan.

Clocks, each opened only where the authority sets a value:
  cin_first_meeting        from the CIN status starting (Wiltshire counts from the assessment's start)
  cin_review_interval_initial (after the first meeting, where set: Barnet 6 weeks, Wiltshire
  3 months), then cin_review_interval (Leeds and Wiltshire 6 months, York 12 weeks, ...)
  cin_meeting_record, cin_plan_circulation, cin_plan_update   from each meeting
  cin_meeting_record_quality_assurance   from each meeting, for the team's manager (York 5 working days)
  cin_plan_completion      from the CIN status starting, counted from the assessment's start
                           (Wiltshire 20 working days); met when the CIN plan is written
  cin_plan_drift_check     from the CIN plan's start (Barnet 6 months, Wiltshire 9, Leeds 12); met
                           by "Done" on the Plans and meetings tab, stopped when the plan ends
  cin_review_invitations   before a CIN review that is booked (Leeds 3 weeks)
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessments.models.assessments import Assessment
from cases.dates import start_of
from cases.models import Case, ChronologyEntry, Deadline, LegalStatus, User
from cases.selectors.timescales import policy_for
from cases.services.alerts import team_managers
from cases.services.children import chronology_write
from cases.services.writes import first_locked, locked_case
from planning.models import Meeting, Plan
from planning.services.clocks import meet_open, meet_open_on_case, open_clock
from planning.services.meetings import (
    PROGRESS_MISSING,
    booking_to_hold,
    check_visible,
    meeting_errors,
    meeting_save_held,
)
from planning.services.plans import can_write_plan

FIRST_KEY = "cin_first_meeting"
PLAN_KEY = "cin_plan_completion"
DRIFT_KEY = "cin_plan_drift_check"
REVIEW_KEYS = ("cin_review_interval_initial", "cin_review_interval")
AFTER_MEETING = ("cin_meeting_record", "cin_plan_circulation", "cin_plan_update")
# A manager's check of the meeting's record (York), on the ledger of the team's manager.
QUALITY_ASSURANCE_KEY = "cin_meeting_record_quality_assurance"


def _start_for(key: str, case: Case, status: LegalStatus) -> datetime:
    """The CIN decision, or the assessment's start where the authority counts from there (Wiltshire)."""
    start = start_of(status.started_on)
    if policy_for(case.authority).timescale(key).anchor == "assessment_start":
        assessment = Assessment.objects.filter(case=case).order_by("-created_at").first()
        start = assessment.created_at if assessment else start
    return start


def first_meeting_open(case: Case, status: LegalStatus) -> Deadline | None:
    """Once per CIN status: the first meeting, and the plan where it has its own timescale."""
    if not Deadline.objects.filter(case=case, key=PLAN_KEY).exists() and not case.plans.filter(
        kind=Plan.Kind.CHILD_IN_NEED
    ).exists():
        open_clock(PLAN_KEY, subject=case, start=_start_for(PLAN_KEY, case, status), case=case)
    if Deadline.objects.filter(case=case, key=FIRST_KEY).exists():
        return None
    if Meeting.objects.filter(case=case, kind=Meeting.Kind.CIN_MEETING).exists():
        return None
    return open_clock(FIRST_KEY, subject=case, start=_start_for(FIRST_KEY, case, status), case=case)


def cin_plan_started(plan: Plan) -> None:
    """Inside plan_start: the plan is written, and its drift checkpoint starts."""
    meet_open_on_case(plan.case, [PLAN_KEY], plan.written_at, started_only=False)
    open_clock(DRIFT_KEY, subject=plan, start=start_of(plan.started_on), case=plan.case)


@transaction.atomic
def cin_meeting_record(*, case: Case, recorded_by: User, held_at: datetime | None, attendees: str,
                       summary: str, booking: Meeting | None = None) -> Meeting:  # fmt: skip
    """The first meeting on the CIN plan is the initial meeting; later ones are reviews (a review
    booked ahead is recorded on its booking)."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_write_plan(recorded_by, case):
        raise PermissionDenied
    plan = first_locked(Plan.objects.filter(case=case, kind=Plan.Kind.CHILD_IN_NEED, ended_on=None))
    if plan is None:
        raise ValidationError({"held_at": "Start the child in need plan before recording its meetings"})
    errors = meeting_errors(held_at, case, attendees, after=start_of(plan.started_on), summary=summary,
                            summary_missing=PROGRESS_MISSING)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    initial = not plan.meetings.filter(held_at__isnull=False).exists()
    kind = Meeting.Kind.CIN_MEETING if initial else Meeting.Kind.CIN_REVIEW
    booking = booking_to_hold(case, Meeting.Kind.CIN_REVIEW, booking) if booking is not None and not initial else None
    meeting = booking or Meeting(authority_id=case.authority_id, case=case, child=case.child, kind=kind,
                                 recorded_by=recorded_by)  # fmt: skip
    meeting.plan, meeting.held_at, meeting.chair = plan, held_at, recorded_by
    meeting.attendees, meeting.summary = attendees.strip(), summary.strip()
    meeting_save_held(meeting, recorded_by, "meeting")
    if initial:
        # The meeting the clock waits for, even where it counts from an assessment started later.
        meet_open_on_case(case, [FIRST_KEY], held_at, started_only=False)
    meet_open(plan, REVIEW_KEYS, held_at)
    has_first_phase = policy_for(case.authority).timescale(REVIEW_KEYS[0]).is_deadline
    following = REVIEW_KEYS[0] if initial and has_first_phase else REVIEW_KEYS[1]
    open_clock(following, subject=plan, start=held_at, case=case)
    for key in AFTER_MEETING:
        open_clock(key, subject=meeting, start=held_at, case=case)
    managers = team_managers([case.team_id])[case.team_id]
    open_clock(QUALITY_ASSURANCE_KEY, subject=meeting, start=held_at, case=case,
               assignee=managers[0] if managers else None)  # fmt: skip
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, occurred_at=held_at,
                     title=str(meeting), detail=meeting.summary, written_by=recorded_by)  # fmt: skip
    return meeting
