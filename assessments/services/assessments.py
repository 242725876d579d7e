"""The assessment's life: start (opening its deadlines), drafts that never lose text, and the
sign-off loop. Every transition is recorded with who, when and what they wrote, in the same
transaction as the change and its deadlines."""

from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models.assessments import Assessment, AssessmentTransition
from assessments.selectors.assessments import COMPLETION_KEYS, writers_of
from cases.concurrency import check_version
from cases.models import Case, Deadline, LegalStatus, User
from cases.selectors.children import can_write_case, manages_case
from cases.selectors.timescales import policy_for
from cases.services.alerts import notify_sign_off
from cases.services.children import chronology_write
from cases.services.deadlines import deadline_cancel, deadline_meet, deadline_open_where_set
from cases.services.family import legal_status_start
from cases.services.writes import each_locked, locked, save_as

# Every section of the write-up, then what the census needs: a manager signs off a whole
# assessment, never one with a section "Not written yet". In the page's order, so the error summary
# follows the form.
NEEDED_TO_SUBMIT = {
    "developmental_needs": "Enter the child's developmental needs",
    "parenting_capacity": "Enter the parenting capacity",
    "family_environment": "Enter the family and environmental factors",
    "child_views": "Enter the child's views, in their own words",
    "parent_views": "Enter the parents' and carers' views",
    "diversity": "Enter the identity, culture and diversity section",
    "risks": "Enter the risks",
    "protective_factors": "Enter the protective factors",
    "analysis": "Enter the analysis",
    "outcome": "Select the outcome",
    # The children in need census returns the factors of every completed assessment.
    "factors": "Select the assessment factors, or ‘No factors identified’",
}
NO_FACTORS = "21"


def completion_rule(assessment: Assessment) -> tuple[str, tuple[str, ...]]:
    """The timescale key and conditions the track means for this authority."""
    if assessment.track == Assessment.Track.BRIEF:
        return "assessment_brief_completion", ()
    if assessment.track in (Assessment.Track.TRACK_10, Assessment.Track.TRACK_25):
        return "assessment_completion", (assessment.track,)
    return "assessment_completion", ()


def tracks_for(authority) -> list[str]:
    """The tracks this authority's timescales give a value for: standard always."""
    policy = policy_for(authority)
    tracks = [Assessment.Track.STANDARD]
    if policy.timescale("assessment_brief_completion").is_deadline:
        tracks.append(Assessment.Track.BRIEF)
    tracks += [t for t in (Assessment.Track.TRACK_10, Assessment.Track.TRACK_25)
               if t in policy.timescale("assessment_completion").conditions]  # fmt: skip
    return tracks


def _check_track(assessment: Assessment) -> None:
    if assessment.track not in tracks_for(assessment.authority):
        raise ValidationError({"track": "Select a track your authority's timescales set"})


def _open_completion(assessment: Assessment) -> Deadline | None:
    key, conditions = completion_rule(assessment)
    case = assessment.case
    return deadline_open_where_set(authority=assessment.authority, key=key, subject=assessment,
                                   start=assessment.clock_started_at, conditions=conditions, case=case,
                                   team=case.team, assignee=case.worker)  # fmt: skip


def _open_completion_deadline(assessment: Assessment) -> Deadline | None:
    return Deadline.objects.filter(subject_id=assessment.pk, key__in=COMPLETION_KEYS, case=assessment.case,
                                   status=Deadline.Status.OPEN).first()  # fmt: skip


def _transition(assessment: Assessment, to_status: str, by: User, comment: str = "") -> None:
    AssessmentTransition.objects.create(assessment=assessment, from_status=assessment.status, to_status=to_status,
                                        by=by, comment=comment)  # fmt: skip
    assessment.status = to_status


@transaction.atomic
def assessment_start(*, case: Case, started_by: User, track: str = Assessment.Track.STANDARD,
                     clock_started_at: datetime | None = None) -> Assessment:  # fmt: skip
    """Start a single assessment on an open case, its completion clock counted from the event the
    authority's timescale names."""
    if not case.is_open or not (can_write_case(started_by, case) or manages_case(started_by, case)):
        raise PermissionDenied
    if case.assessments.exclude(status=Assessment.Status.APPROVED).exists():
        raise ValidationError({"track": "This case already has an assessment in progress"})
    assessment = Assessment(authority_id=case.authority_id, case=case, child=case.child,
                            author=case.worker or started_by, track=track)  # fmt: skip
    _check_track(assessment)
    assessment.clock_started_at = clock_started_at or _clock_start(case, completion_rule(assessment)[0])
    assessment.save()
    _open_completion(assessment)
    deadline_open_where_set(authority=assessment.authority, key="assessment_progress_review", subject=assessment,
                            start=timezone.now(), case=case, team=case.team)  # fmt: skip
    chronology_write(child=case.child, case=case, kind="assessment", occurred_at=timezone.now(),
                     title=f"Assessment started ({assessment.get_track_display()})", written_by=started_by)  # fmt: skip
    return assessment


def _clock_start(case: Case, key: str) -> datetime:
    """Authorities count from different events: the referral's receipt (the national rule, Barnet,
    Leeds), the allocation (York), or the start of the assessment itself (St Helens, Wiltshire). A
    second assessment on the same case counts from its own start."""
    if case.assessments.exists():
        return timezone.now()
    anchor = policy_for(case.authority).timescale(key).anchor
    if anchor == "referral_received" and case.referral_id:
        return case.referral.received_at
    if anchor == "allocation":
        allocation = case.allocations.filter(ended_at=None).order_by("-allocated_at").first()
        if allocation is not None:
            return allocation.allocated_at
    return timezone.now()


def _locked(assessment: Assessment) -> Assessment:
    return locked(Assessment, pk=assessment.pk, related=["case", "authority"])


@transaction.atomic
def assessment_save(*, assessment: Assessment, saved_by: User, version: int, **content) -> Assessment:
    """Save the draft. A save made from an older version than the one stored is refused, naming the
    fields someone else changed, so two people (or two tabs) never overwrite each other."""
    assessment = _locked(assessment)
    if not can_write_case(saved_by, assessment.case):
        raise PermissionDenied
    if not assessment.editable:
        raise ValidationError(f"The assessment is {assessment.get_status_display().lower()}: it cannot be changed now")
    check_version(assessment, version, Assessment.CONTENT_FIELDS, "assessment")
    unknown = set(content) - set(Assessment.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not assessment content: {', '.join(sorted(unknown))}")
    for name, value in content.items():
        setattr(assessment, name, value)
    _check_seen_dates(assessment)
    assessment.version += 1
    save_as(assessment, saved_by)
    if assessment.child_seen_on:
        _meet_child_seen(assessment)
    return assessment


def _meet_child_seen(assessment: Assessment) -> None:
    """Seeing the child for the assessment meets the clock allocation started (York: 5 working
    days), at the day recorded."""
    seen = timezone.make_aware(datetime.combine(assessment.child_seen_on, time(12)))
    for deadline in Deadline.objects.filter(case=assessment.case, key="child_seen_after_allocation",
                                            status=Deadline.Status.OPEN):  # fmt: skip
        deadline_meet(deadline=deadline, met_at=max(seen, deadline.anchor_at))


def on_child_seen(*, case: Case, seen_at: datetime, seen_alone: bool, recorded_by: User) -> None:
    """A recorded visit saw the child: an assessment in progress takes the day as the date the child
    was seen (and seen alone), where none is recorded yet and the day is within the assessment, so
    the worker does not type it again. Inside the visit's transaction; the version moves on, so a
    tab opened before the visit shows this change rather than saving over it."""
    day = timezone.localdate(seen_at)
    in_progress = Assessment.objects.filter(case=case, status__in=(Assessment.Status.DRAFT, Assessment.Status.RETURNED))
    for assessment in each_locked(in_progress):
        if day < timezone.localdate(assessment.clock_started_at):
            continue
        taken = []
        if assessment.child_seen_on is None:
            assessment.child_seen_on, taken = day, [*taken, "child_seen_on"]
        if seen_alone and assessment.child_seen_alone_on is None:
            assessment.child_seen_alone_on, taken = day, [*taken, "child_seen_alone_on"]
        if taken:
            assessment.version += 1
            save_as(assessment, recorded_by, update_fields=[*taken, "version"])
            _meet_child_seen(assessment)


def _check_seen_dates(assessment: Assessment) -> None:
    today = timezone.localdate()
    started = timezone.localdate(assessment.clock_started_at)
    for field in ("child_seen_on", "child_seen_alone_on"):
        day = getattr(assessment, field)
        if day and (day > today or day < started):
            raise ValidationError({field: "The date must be between the start of the assessment and today"})


@transaction.atomic
def assessment_submit(*, assessment: Assessment, submitted_by: User) -> Assessment:
    assessment = _locked(assessment)
    if not can_write_case(submitted_by, assessment.case):
        raise PermissionDenied
    if not assessment.editable:
        raise ValidationError("Only a draft or returned assessment can be submitted")
    missing = {name: message for name, message in NEEDED_TO_SUBMIT.items() if not _written(getattr(assessment, name))}
    if NO_FACTORS in assessment.factors and len(assessment.factors) > 1:
        missing["factors"] = "‘No factors identified’ cannot be chosen with another factor"
    if missing:
        raise ValidationError(missing)
    _transition(assessment, Assessment.Status.SUBMITTED, submitted_by)
    assessment.save(update_fields=["status"])
    _notify(assessment, "submitted", submitted_by)
    return assessment


def _written(value) -> bool:
    return bool(value.strip() if isinstance(value, str) else value)


def _notify(assessment: Assessment, event: str, by: User) -> None:
    """The bell: the team's managers hear of a submission, the worker of a return or approval."""
    notify_sign_off(event=event, case=assessment.case, what="assessment", by=by,
                    url=reverse("assessment", args=[assessment.pk]))  # fmt: skip


def _check_manager(manager: User, assessment: Assessment) -> None:
    """A manager of the team that holds the case, who did not write or submit the assessment."""
    if not manages_case(manager, assessment.case):
        raise PermissionDenied
    if manager.pk in writers_of(assessment):
        raise PermissionDenied("A manager never signs off their own assessment")


@transaction.atomic
def assessment_return(*, assessment: Assessment, manager: User, reasons: str) -> Assessment:
    assessment = _locked(assessment)
    _check_manager(manager, assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be returned")
    if not reasons.strip():
        raise ValidationError({"reasons": "Enter what needs to change"})
    _transition(assessment, Assessment.Status.RETURNED, manager, reasons.strip())
    assessment.save(update_fields=["status"])
    _notify(assessment, "returned", manager)
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, manager: User, view: str, lateness_reason: str = "") -> Assessment:
    """Approval completes the assessment and meets its completion deadline (met late after it,
    when the reason for lateness is required)."""
    assessment = _locked(assessment)
    _check_manager(manager, assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be approved")
    if not view.strip():
        raise ValidationError({"view": "Enter your view and the rationale for approving"})
    now = timezone.now()
    deadline = _open_completion_deadline(assessment)
    late = deadline is not None and now > deadline.due_at
    if late and not lateness_reason.strip():
        raise ValidationError({"lateness_reason": f"Enter why the assessment was completed after it was due "
                                                  f"({timezone.localtime(deadline.due_at):%d %B %Y})"})  # fmt: skip
    _transition(assessment, Assessment.Status.APPROVED, manager, view.strip())
    assessment.manager_view, assessment.approved_by, assessment.approved_at = view.strip(), manager, now
    assessment.lateness_reason = lateness_reason.strip() if late else ""
    assessment.save()
    if deadline is not None:
        deadline_meet(deadline=deadline, met_at=now)
    chronology_write(child=assessment.child, case=assessment.case, kind="assessment", occurred_at=now,
                     title=f"Assessment approved: {assessment.get_outcome_display()}", detail=assessment.analysis,
                     written_by=manager)  # fmt: skip
    _start_next_step(assessment, manager, now)
    _notify(assessment, "approved", manager)
    return assessment


def _start_next_step(assessment: Assessment, manager: User, now: datetime) -> None:
    """The outcome starts what follows: a child in need status, or the clock to hold a strategy
    discussion. Closure (no further action, early help) goes through the closure request, which
    needs its own approval; becoming looked after is recorded with its legal order."""
    case = assessment.case
    if assessment.outcome == Assessment.Outcome.CHILD_IN_NEED:
        legal_status_start(case=case, kind=LegalStatus.Kind.CHILD_IN_NEED, started_on=timezone.localdate(now),
                           recorded_by=manager)  # fmt: skip
    elif assessment.outcome == Assessment.Outcome.STRATEGY_DISCUSSION:
        deadline_open_where_set(authority=assessment.authority, key="strategy_discussion", subject=case, start=now,
                                case=case, team=case.team, assignee=case.worker)  # fmt: skip


@transaction.atomic
def assessment_progress_review(*, assessment: Assessment, manager: User, note: str) -> AssessmentTransition:
    """The manager's review of progress part-way through (York day 5, Wiltshire day 7): kept among
    the assessment's steps and on the chronology, and it meets the review deadline."""
    assessment = _locked(assessment)
    if not manages_case(manager, assessment.case):
        raise PermissionDenied
    if assessment.status == Assessment.Status.APPROVED:
        raise ValidationError({"note": "The assessment is already approved"})
    if not note.strip():
        raise ValidationError({"note": "Enter what you found and what should happen next"})
    now = timezone.now()
    step = AssessmentTransition.objects.create(assessment=assessment, from_status=assessment.status,
                                               to_status=assessment.status, by=manager, at=now,
                                               comment=f"Progress review: {note.strip()}")  # fmt: skip
    for deadline in Deadline.objects.filter(subject_id=assessment.pk, case=assessment.case,
                                            key="assessment_progress_review", status=Deadline.Status.OPEN):  # fmt: skip
        deadline_meet(deadline=deadline, met_at=now)
    chronology_write(child=assessment.child, case=assessment.case, kind="assessment", occurred_at=now,
                     title="Manager's progress review of the assessment", detail=note.strip(),
                     written_by=manager)  # fmt: skip
    return step


@transaction.atomic
def assessment_change_track(*, assessment: Assessment, manager: User, track: str, reason: str) -> Deadline | None:
    """The manager moves the assessment to another track: the completion deadline is recalculated
    from the same start, and the old one is cancelled with the reason."""
    assessment = _locked(assessment)
    if not manages_case(manager, assessment.case):
        raise PermissionDenied
    if assessment.status == Assessment.Status.APPROVED:
        raise ValidationError({"track": "An approved assessment's track cannot change"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the track is changing"})
    assessment.track = track
    _check_track(assessment)
    previous = _open_completion_deadline(assessment)
    if previous is not None:
        deadline_cancel(deadline=previous, reason=f"Track changed to {assessment.get_track_display()}: {reason}")
    assessment.save(update_fields=["track"])
    return _open_completion(assessment)
