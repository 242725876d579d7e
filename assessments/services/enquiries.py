"""Strategy discussions and section 47 enquiries: recording each step meets the deadline that was
waiting for it and opens the next ones, with the chronology entry, in one transaction.

The clocks (each opened only where the authority's timescales set it):
  strategy_discussion          from the referral's receipt, opened when the case opens for one
  strategy_record_circulation  from the discussion
  s47_child_seen, s47_child_seen_alone, s47_completion, s47_writeup, icpc_threshold_decision, icpc
                               from the discussion that started the enquiry (or the enquiry's start,
                               where the authority counts from there)
  s47_outcome_shared           from the outcome
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models.enquiries import PARTNER_AGENCIES, Agency, Section47Enquiry, StrategyDiscussion
from cases.models import Case, ChronologyEntry, Deadline, User
from cases.selectors.children import can_write_case, manages_case
from cases.selectors.timescales import policy_for
from cases.services.children import chronology_write
from cases.services.deadlines import deadline_cancel, deadline_open_where_set, deadlines_meet_open
from cases.services.writes import CASE_RELATED, each_locked, locked, locked_case, save_as

ENQUIRY_KEYS = ("s47_child_seen", "s47_child_seen_alone", "s47_completion", "s47_writeup",
                "icpc_threshold_decision", "icpc")  # fmt: skip
SEEN_KEYS = ("s47_child_seen", "s47_child_seen_alone")
# Met when the outcome is recorded: the findings are the write-up, and the outcome says whether the
# conference threshold is met.
MET_BY_OUTCOME = ("s47_completion", "s47_writeup", "icpc_threshold_decision")
ALL_KEYS = ("strategy_discussion", "strategy_record_circulation", *ENQUIRY_KEYS, "s47_outcome_shared")


def _check_writer(user: User, case: Case) -> None:
    """The allocated worker, or a manager of the case's team (or a service manager), on an open case."""
    if not case.is_open or not (can_write_case(user, case) or manages_case(user, case)):
        raise PermissionDenied


def _check_conditions(authority, conditions) -> tuple[str, ...]:
    unknown = set(conditions) - set(policy_for(authority).conditions)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ValidationError({"conditions": f"Not a condition your authority's timescales know: {names}"})
    return tuple(conditions)


def strategy_conditions_for(authority) -> list[tuple[str, str]]:
    """The conditions that change when this authority's strategy discussion is due (Wiltshire: the
    same day for serious risk), described, for the form that decides the referral."""
    policy = policy_for(authority)
    return [(name, policy.conditions.get(name, name.replace("_", " ")))
            for name in policy.timescale("strategy_discussion").conditions]  # fmt: skip


def enquiry_conditions_for(authority) -> list[tuple[str, str]]:
    """Conditions that vary any clock a discussion or enquiry opens, for this authority."""
    policy = policy_for(authority)
    names = dict.fromkeys(c for key in ALL_KEYS[1:] for c in policy.timescale(key).conditions)
    return [(name, policy.conditions.get(name, name.replace("_", " "))) for name in names]


def _open(key: str, subject, start: datetime, case: Case, conditions=()) -> Deadline | None:
    return deadline_open_where_set(authority=case.authority, key=key, subject=subject, start=start,
                                   conditions=conditions, case=case, team=case.team, assignee=case.worker)  # fmt: skip


def _open_deadlines(subject, keys) -> list[Deadline]:
    return list(Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
                                        key__in=keys, status=Deadline.Status.OPEN))  # fmt: skip


def _check_moment(errors: dict, field: str, moment: datetime | None, earliest: datetime, what: str) -> None:
    if moment is None:
        return
    if moment > timezone.now():
        errors[field] = f"The {what} must be today or in the past"
    elif moment < earliest:
        errors[field] = f"The {what} cannot be before {timezone.localtime(earliest):%-d %B %Y %H:%M}"


@transaction.atomic
def strategy_discussion_due(*, case: Case, opened_by: User, conditions: tuple[str, ...] = ()) -> Deadline | None:
    """Start the clock for holding the strategy discussion, from the referral's receipt. For the
    referral decision "strategy discussion" to call once it has opened the case; `conditions` are
    the ones the manager saw (serious risk, immediate concerns...). Opens nothing where the
    authority sets no timescale, and never a second clock for the same case."""
    _check_writer(opened_by, case)
    conditions = _check_conditions(case.authority, conditions)
    existing = Deadline.objects.filter(case=case, key="strategy_discussion", status=Deadline.Status.OPEN).first()
    if existing is not None:
        if not conditions or sorted(conditions) == sorted(existing.conditions):
            return existing
        # The manager has recorded what applies (serious risk, immediate concerns): the clock the
        # decision started gives way to the one those conditions set.
        deadline_cancel(deadline=existing, reason=f"Recalculated for: {', '.join(sorted(conditions))}")
    start = case.referral.received_at if case.referral_id else case.opened_at
    return _open("strategy_discussion", case, start, case, conditions)


def _clean_participants(participants) -> tuple[list[dict], str]:
    rows = []
    for row in participants:
        name, agency, role = (str(row.get(part) or "").strip() for part in ("name", "agency", "role"))
        if not (name or agency or role):
            continue
        if not name or agency not in Agency.values:
            return [], "Give each participant's name and agency"
        rows.append({"name": name, "agency": agency, "role": role})
    if not rows:
        return [], "Enter who took part in the discussion"
    if not PARTNER_AGENCIES & {row["agency"] for row in rows}:
        return rows, "Add at least one participant from the police or health: a strategy discussion is multi-agency"
    return rows, ""


@transaction.atomic
def strategy_discussion_record(*, case: Case, recorded_by: User, held_at: datetime, chair: User | None,
                               participants: list[dict], information_shared: str, decision: str, rationale: str,
                               conditions: tuple[str, ...] = ()) -> StrategyDiscussion:  # fmt: skip
    """Record a strategy discussion. It meets the clock for holding one, opens the clock for
    sending its record round, and a decision of section 47 starts the enquiry and its clocks."""
    case = locked_case(case, related=[*CASE_RELATED, "referral"])
    _check_writer(recorded_by, case)
    errors = {}
    earliest = case.referral.received_at if case.referral_id else case.opened_at
    if held_at is None:
        errors["held_at"] = "Enter when the discussion was held"
    _check_moment(errors, "held_at", held_at, earliest, "date of the discussion")
    if chair is None or chair.authority_id != case.authority_id:
        errors["chair"] = "Select who chaired the discussion"
    rows, problem = _clean_participants(participants)
    if problem:
        errors["participants"] = problem
    if decision not in StrategyDiscussion.Decision.values:
        errors["decision"] = "Select the decision"
    elif decision == StrategyDiscussion.Decision.SECTION_47 and case.section_47_enquiries.filter(outcome="").exists():
        errors["decision"] = "A section 47 enquiry is already in progress: record its outcome first"
    if not (rationale or "").strip():
        errors["rationale"] = "Enter the reasons for the decision"
    if errors:
        raise ValidationError(errors)
    conditions = _check_conditions(case.authority, conditions)
    discussion = StrategyDiscussion(authority_id=case.authority_id, case=case, child=case.child, held_at=held_at,
                                    chair=chair, participants=rows, decision=decision, rationale=rationale.strip(),
                                    information_shared=(information_shared or "").strip(),
                                    recorded_by=recorded_by)  # fmt: skip
    save_as(discussion, recorded_by)
    deadlines_meet_open(subject=case, keys=["strategy_discussion"], met_at=held_at)
    _open("strategy_record_circulation", discussion, held_at, case, conditions)
    agencies = ", ".join(sorted({row["agency"] for row in rows}))
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.STRATEGY, occurred_at=held_at,
                     title=f"Strategy discussion: {discussion.get_decision_display()}",
                     detail=f"{discussion.rationale}\n\nChaired by {chair}; agencies: {agencies.replace('_', ' ')}.",
                     written_by=recorded_by)  # fmt: skip
    if decision == StrategyDiscussion.Decision.SECTION_47:
        _start_enquiry(discussion, recorded_by, conditions)
    return discussion


def _start_enquiry(discussion: StrategyDiscussion, started_by: User, conditions) -> Section47Enquiry:
    case = discussion.case
    enquiry = Section47Enquiry(authority_id=case.authority_id, case=case, child=case.child,
                               strategy_discussion=discussion, started_at=discussion.held_at)  # fmt: skip
    save_as(enquiry, started_by)
    policy = policy_for(case.authority)
    # Working Together counts the conference from the discussion; some authorities count the
    # child-seen clocks from the enquiry's start instead: each key says which.
    anchors = {"strategy_discussion": discussion.held_at, "s47_start": enquiry.started_at}
    for key in ENQUIRY_KEYS:
        anchor = policy.timescale(key, timezone.localdate(discussion.held_at)).anchor
        _open(key, enquiry, anchors.get(anchor, enquiry.started_at), case, conditions)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.DECISION, occurred_at=discussion.held_at,
                     title="Section 47 enquiry started", detail=discussion.rationale,
                     written_by=started_by)  # fmt: skip
    return enquiry


def _locked_discussion(discussion: StrategyDiscussion) -> StrategyDiscussion:
    return locked(StrategyDiscussion, pk=discussion.pk, related=["case__authority", "child"])


@transaction.atomic
def strategy_record_circulated(*, discussion: StrategyDiscussion, recorded_by: User,
                               circulated_at: datetime | None = None) -> StrategyDiscussion:  # fmt: skip
    """The record of the discussion has gone to everyone who took part."""
    discussion = _locked_discussion(discussion)
    _check_writer(recorded_by, discussion.case)
    errors = {}
    if discussion.record_circulated_at:
        errors["record_circulated_at"] = "The record has already been sent to the participants"
    circulated_at = circulated_at or timezone.now()
    _check_moment(errors, "record_circulated_at", circulated_at, discussion.held_at, "date the record was sent")
    if errors:
        raise ValidationError(errors)
    discussion.record_circulated_at = circulated_at
    save_as(discussion, recorded_by, update_fields=["record_circulated_at"])
    deadlines_meet_open(subject=discussion, keys=["strategy_record_circulation"], met_at=circulated_at)
    chronology_write(child=discussion.child, case=discussion.case, kind=ChronologyEntry.Kind.STRATEGY,
                     occurred_at=circulated_at, title="Strategy discussion record sent to the participants",
                     written_by=recorded_by)  # fmt: skip
    return discussion


def _locked_enquiry(enquiry: Section47Enquiry) -> Section47Enquiry:
    return locked(Section47Enquiry, pk=enquiry.pk, related=["case__authority", "child"])


def _check_in_progress(enquiry: Section47Enquiry, field: str) -> None:
    if enquiry.concluded:
        raise ValidationError({field: "The enquiry has concluded: it cannot change now"})


@transaction.atomic
def s47_child_seen_record(*, enquiry: Section47Enquiry, recorded_by: User, seen_at: datetime | None = None,
                          seen_alone_at: datetime | None = None,
                          not_seen_alone_reason: str = "") -> Section47Enquiry:  # fmt: skip
    """The child was seen, and seen alone (or why seeing them alone was not appropriate: too young,
    or it would harm them). Either may be recorded first; each meets its own clock."""
    enquiry = _locked_enquiry(enquiry)
    _check_writer(recorded_by, enquiry.case)
    _check_in_progress(enquiry, "seen_at")
    reason = (not_seen_alone_reason or "").strip()
    errors = {}
    if enquiry.child_seen_at and seen_at:
        errors["seen_at"] = "The child has already been recorded as seen"
    elif not enquiry.child_seen_at and not seen_at:
        errors["seen_at"] = "Enter when the child was seen"
    _check_moment(errors, "seen_at", seen_at, enquiry.started_at, "date the child was seen")
    alone_recorded = enquiry.child_seen_alone_at or enquiry.not_seen_alone_reason
    if (seen_alone_at or reason) and alone_recorded:
        errors["seen_alone_at"] = "Seeing the child alone has already been recorded"
    elif seen_alone_at and reason:
        errors["not_seen_alone_reason"] = "Give the date the child was seen alone or why not, not both"
    _check_moment(errors, "seen_alone_at", seen_alone_at, enquiry.started_at, "date the child was seen alone")
    first_seen = seen_at or enquiry.child_seen_at
    if seen_alone_at and first_seen and seen_alone_at < first_seen and "seen_alone_at" not in errors:
        errors["seen_alone_at"] = "The child cannot have been seen alone before they were first seen"
    if errors:
        raise ValidationError(errors)
    case, moments = enquiry.case, []
    if seen_at:
        enquiry.child_seen_at = seen_at
        deadlines_meet_open(subject=enquiry, keys=["s47_child_seen"], met_at=seen_at)
        moments.append((seen_at, "Child seen during the section 47 enquiry", ""))
    if seen_alone_at:
        enquiry.child_seen_alone_at = seen_alone_at
        deadlines_meet_open(subject=enquiry, keys=["s47_child_seen_alone"], met_at=seen_alone_at)
        moments.append((seen_alone_at, "Child seen alone during the section 47 enquiry", ""))
    elif reason:
        enquiry.not_seen_alone_reason = reason
        for deadline in _open_deadlines(enquiry, ["s47_child_seen_alone"]):
            deadline_cancel(deadline=deadline, reason=f"Not seen alone: {reason}")
        moments.append((timezone.now(), "Child not seen alone during the section 47 enquiry", reason))
    save_as(enquiry, recorded_by, update_fields=["child_seen_at", "child_seen_alone_at", "not_seen_alone_reason"])
    for occurred_at, title, detail in moments:
        chronology_write(child=enquiry.child, case=case, kind=ChronologyEntry.Kind.STRATEGY, occurred_at=occurred_at,
                         title=title, detail=detail, written_by=recorded_by)  # fmt: skip
    return enquiry


def on_child_seen(*, case: Case, seen_at: datetime, seen_alone: bool, recorded_by: User) -> None:
    """A recorded visit saw the child (alone, if `seen_alone`): an enquiry under way that began
    before it, and has not yet recorded the sighting, takes it from the visit and meets its clock.
    The visit's own chronology entry records the event, so none is written here."""
    under_way = Section47Enquiry.objects.filter(case=case, outcome="", started_at__lte=seen_at)
    for enquiry in each_locked(under_way):
        taken = []
        if enquiry.child_seen_at is None:
            enquiry.child_seen_at, taken = seen_at, [*taken, "child_seen_at"]
            deadlines_meet_open(subject=enquiry, keys=["s47_child_seen"], met_at=seen_at)
        if seen_alone and enquiry.child_seen_alone_at is None and not enquiry.not_seen_alone_reason:
            enquiry.child_seen_alone_at, taken = seen_at, [*taken, "child_seen_alone_at"]
            deadlines_meet_open(subject=enquiry, keys=["s47_child_seen_alone"], met_at=seen_at)
        if taken:
            save_as(enquiry, recorded_by, update_fields=taken)


@transaction.atomic
def s47_outcome_record(*, enquiry: Section47Enquiry, recorded_by: User, outcome: str, findings: str,
                       recorded_at: datetime | None = None) -> Section47Enquiry:  # fmt: skip
    """Conclude the enquiry. It meets the completion clocks; where a conference is needed the ICPC
    clock stays open for the conference to meet, otherwise it is cancelled with the reason."""
    enquiry = _locked_enquiry(enquiry)
    _check_writer(recorded_by, enquiry.case)
    _check_in_progress(enquiry, "outcome")
    recorded_at = recorded_at or timezone.now()
    errors = {}
    if outcome not in Section47Enquiry.Outcome.values:
        errors["outcome"] = "Select the outcome of the enquiry"
    if not (findings or "").strip():
        errors["findings"] = "Enter the findings of the enquiry"
    _check_moment(errors, "outcome_recorded_at", recorded_at, enquiry.started_at, "date of the outcome")
    if errors:
        raise ValidationError(errors)
    enquiry.outcome, enquiry.findings = outcome, findings.strip()
    enquiry.outcome_recorded_at, enquiry.outcome_recorded_by = recorded_at, recorded_by
    save_as(enquiry, recorded_by, update_fields=["outcome", "findings", "outcome_recorded_at", "outcome_recorded_by"])
    deadlines_meet_open(subject=enquiry, keys=list(MET_BY_OUTCOME), met_at=recorded_at)
    label = enquiry.get_outcome_display()
    for deadline in _open_deadlines(enquiry, SEEN_KEYS):
        deadline_cancel(deadline=deadline, reason=f"The enquiry concluded ({label}) without this being recorded")
    if outcome != Section47Enquiry.Outcome.ICPC:
        for deadline in _open_deadlines(enquiry, ["icpc"]):
            deadline_cancel(deadline=deadline, reason=f"No initial conference: {label}")
    _open("s47_outcome_shared", enquiry, recorded_at, enquiry.case)
    chronology_write(child=enquiry.child, case=enquiry.case, kind=ChronologyEntry.Kind.DECISION,
                     occurred_at=recorded_at, title=f"Section 47 outcome: {label}", detail=enquiry.findings,
                     written_by=recorded_by)  # fmt: skip
    return enquiry


@transaction.atomic
def s47_outcome_shared_record(*, enquiry: Section47Enquiry, recorded_by: User,
                              shared_at: datetime | None = None) -> Section47Enquiry:  # fmt: skip
    """The written outcome has gone to the agencies that took part (Barnet: within 24 hours)."""
    enquiry = _locked_enquiry(enquiry)
    _check_writer(recorded_by, enquiry.case)
    errors = {}
    if not enquiry.concluded:
        errors["outcome_shared_at"] = "Record the outcome before sending it to the agencies"
    elif enquiry.outcome_shared_at:
        errors["outcome_shared_at"] = "The outcome has already been sent to the agencies"
    shared_at = shared_at or timezone.now()
    if not errors:
        _check_moment(errors, "outcome_shared_at", shared_at, enquiry.outcome_recorded_at, "date the outcome was sent")
    if errors:
        raise ValidationError(errors)
    enquiry.outcome_shared_at = shared_at
    save_as(enquiry, recorded_by, update_fields=["outcome_shared_at"])
    deadlines_meet_open(subject=enquiry, keys=["s47_outcome_shared"], met_at=shared_at)
    chronology_write(child=enquiry.child, case=enquiry.case, kind=ChronologyEntry.Kind.STRATEGY,
                     occurred_at=shared_at, title="Section 47 outcome sent to the agencies that took part",
                     written_by=recorded_by)  # fmt: skip
    return enquiry


def strategy_clock_on_referral_decision(*, case: Case, referral, decided_by: User) -> None:
    """Registered with cases: a referral decided as "strategy discussion" starts the clock."""
    if referral.decision == referral.Decision.STRATEGY_DISCUSSION:
        strategy_discussion_due(case=case, opened_by=decided_by)
