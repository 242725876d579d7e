"""Care leavers: a daily job opens the pathway clocks when a looked-after young person turns 16
(idempotent: a clock already opened for them is never opened again); a pathway plan meets its
clock and opens its reviews; each review opens the next; a personal adviser's contact opens the
next contact where the authority sets a cadence (a care check, `looked_after.care_check_record`).

Clocks, each opened only where the authority sets a value:
  from the 16th birthday   pathway_needs_assessment, pathway_plan (York: three months from
                           becoming looked after, for a young person who came into care after 16).
                           Where the authority counts the assessment from becoming an eligible
                           child (Leeds), both open on that day, which is the 16th birthday for a
                           young person in care since before 15¾, and later for one who
                           came into care after it.
  from a pathway plan or review   pathway_plan_review_interval
  from a move with a pathway plan pathway_plan_review_after_move (Barnet; met by the next review)
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import start_of
from cases.models import Case, ChronologyEntry, Deadline, LegalStatus, User
from cases.selectors.timescales import policy_for
from cases.services.children import chronology_write
from cases.services.writes import locked_case, save_as
from planning.models import Meeting, Plan
from planning.services.clocks import meet_open, meet_open_on_case, open_clock
from planning.services.meetings import PROGRESS_MISSING, check_visible, meeting_errors
from planning.services.plans import can_write_plan

SIXTEEN_KEYS = ("pathway_needs_assessment", "pathway_plan")
LEAVING_CARE_KINDS = (LegalStatus.Kind.LOOKED_AFTER, LegalStatus.Kind.CARE_LEAVER)


# An eligible child has been looked after for 13 weeks in all since turning 14 and is looked after
# at 16 or over (Children Act 1989 sch 2 para 19B; CPPCR 2010 reg 40).
ELIGIBLE_AFTER = timedelta(weeks=13)


def birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        return date(born.year + years, 3, 1)


def sixteenth_birthday(born: date) -> date:
    return birthday(born, 16)


def became_eligible_on(child, today: date) -> date | None:
    """The day the young person became an eligible child, or None if they have not (yet)."""
    if child.date_of_birth is None:
        return None
    since, total = birthday(child.date_of_birth, 14), timedelta(0)
    periods = LegalStatus.objects.filter(case__child=child, kind=LegalStatus.Kind.LOOKED_AFTER).order_by("started_on")
    for status in periods:
        start, end = max(status.started_on, since), min(status.ended_on or today, today)
        if end <= start:
            continue
        if total + (end - start) >= ELIGIBLE_AFTER:
            return max(start + (ELIGIBLE_AFTER - total), sixteenth_birthday(child.date_of_birth))
        total += end - start
    return None


@transaction.atomic
def pathway_clocks_open_for(case: Case, today: date) -> list[Deadline]:
    """The case's pathway clocks from the 16th birthday (or becoming eligible), if not opened before."""
    born = case.child.date_of_birth
    if born is None or sixteenth_birthday(born) > today:
        return []
    if Deadline.objects.filter(case=case, key__in=SIXTEEN_KEYS).exists():
        return []
    if Plan.objects.filter(case=case, kind=Plan.Kind.PATHWAY).exists():
        return []
    counted_from = start_of(sixteenth_birthday(born))
    policy = policy_for(case.authority)
    if policy.timescale("pathway_needs_assessment").anchor == "became_eligible":
        eligible = became_eligible_on(case.child, today)
        if eligible is None:  # the daily job opens them on the day the 13 weeks are reached
            return []
        counted_from = start_of(eligible)
    opened = [open_clock("pathway_needs_assessment", subject=case, start=counted_from, case=case)]
    looked_after = case.statuses.filter(kind=LegalStatus.Kind.LOOKED_AFTER).order_by("started_on").first()
    if looked_after is not None and looked_after.started_on >= counted_from.date():
        # Only York sets its own time for a young person who came into care after 16; elsewhere
        # the plan is counted from the same day at the authority's usual value.
        opened.append(open_clock("pathway_plan", subject=case, start=start_of(looked_after.started_on), case=case,
                                 conditions=policy.known(("entered_care_after_16",))))  # fmt: skip
    else:
        opened.append(open_clock("pathway_plan", subject=case, start=counted_from, case=case))
    return [deadline for deadline in opened if deadline is not None]


def pathway_clocks_open(today: date | None = None) -> int:
    """Every open case of a looked-after young person (or care leaver) aged 16 or more without
    pathway clocks gets them; run daily. Returns how many clocks were opened."""
    today = today or timezone.localdate()
    # Born on or before this day sixteen years ago (28 February for a 29 February today).
    born_by = date(today.year - 16, today.month, min(today.day, 28 if today.month == 2 else today.day))
    cases = Case.objects.filter(closed_at=None, statuses__ended_on=None, statuses__kind__in=LEAVING_CARE_KINDS,
                                child__date_of_birth__lte=born_by).exclude(deadlines__key__in=SIXTEEN_KEYS)
    cases = cases.distinct().select_related("child", "authority", "team", "worker")
    return sum(len(pathway_clocks_open_for(case, today)) for case in cases)


def placement_moved(placement) -> Deadline | None:
    """Inside placement_start: a young person with a pathway plan who moves has the plan reviewed
    sooner where the authority says so (Barnet: within 28 days of the move)."""
    plan = Plan.objects.filter(case=placement.case, kind=Plan.Kind.PATHWAY, ended_on=None).first()
    if plan is None:
        return None
    return open_clock("pathway_plan_review_after_move", subject=plan, start=start_of(placement.started_on),
                      case=placement.case)  # fmt: skip


def pathway_plan_started(plan: Plan, written_at: datetime) -> None:
    """Inside plan_start: the plan meets its clock and its reviews begin."""
    meet_open_on_case(plan.case, ["pathway_plan"], written_at)
    open_clock("pathway_plan_review_interval", subject=plan, start=start_of(plan.started_on), case=plan.case)


@transaction.atomic
def pathway_review_record(*, case: Case, recorded_by: User, held_at: datetime | None, attendees: str,
                          summary: str) -> Meeting:  # fmt: skip
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_write_plan(recorded_by, case):
        raise PermissionDenied
    plan = Plan.objects.filter(case=case, kind=Plan.Kind.PATHWAY, ended_on=None).first()
    if plan is None:
        raise ValidationError({"held_at": "Start the pathway plan before recording its reviews"})
    errors = meeting_errors(held_at, case, attendees, after=start_of(plan.started_on), summary=summary,
                            summary_missing=PROGRESS_MISSING)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(authority_id=case.authority_id, case=case, child=case.child, plan=plan,
                      kind=Meeting.Kind.PATHWAY_REVIEW, held_at=held_at, chair=recorded_by,
                      attendees=attendees.strip(), summary=summary.strip(), recorded_by=recorded_by)  # fmt: skip
    save_as(meeting, recorded_by)
    meet_open(plan, ["pathway_plan_review_interval", "pathway_plan_review_after_move"], held_at)
    open_clock("pathway_plan_review_interval", subject=plan, start=held_at, case=case)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, occurred_at=held_at,
                     title="Pathway plan review", detail=meeting.summary, written_by=recorded_by)  # fmt: skip
    return meeting
