"""Visits and the child's visit schedule. Recording a visit where the child was seen meets the
open statutory-visit deadline (at the visit, not the write-up) and opens the next, and meets every
other clock that waited for the child to be seen; a visit where the child was not seen leaves them
open and says so on the schedule's. The write-up has its own deadline from the visit; each action
agreed at the visit becomes its owner's deadline. A change of status, placement or a manager's
conditions recalculates the schedule."""

import uuid
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.concurrency import check_version
from cases.dates import long_date
from cases.events import publish
from cases.models import Case, ChronologyEntry, Deadline, User
from cases.selectors.children import can_write_case, manages_case
from cases.selectors.timescales import policy_for
from cases.services.children import chronology_write
from cases.services.deadlines import (
    deadline_add_note,
    deadline_cancel,
    deadline_meet,
    deadline_open,
    deadline_open_agreed,
    deadline_open_where_set,
)
from cases.services.writes import locked, locked_case, locked_or_created, save_as

from .models import Visit, VisitSchedule
from .schedule import SCHEDULES, next_visits
from .selectors import draft_started_with, open_visit_deadlines, schedule_kind_of, situation_for

STATUTORY = frozenset(SCHEDULES)
# Clocks waiting only for the child to be seen, which a visit of any kind meets: seeing the child
# after allocation (the first assessment visit) and the first visit to a privately fostered child.
# A section 47 enquiry's and an assessment's own records of the sighting follow the `child_seen` event.
ACTION_KEY = "visit_action"  # as visits.selectors.actions_for reads it
SEEN_BY_ANY_VISIT = ("child_seen_after_allocation", "pf_first_visit")


# --- The schedule ---------------------------------------------------------------------------


@transaction.atomic
def schedule_refresh(*, case: Case, reason: str) -> list[Deadline]:
    """Make the open visit deadlines what the child's situation calls for now: the ones that
    still match are kept as they are; the rest are cancelled with `reason` and replaced."""
    case = locked_case(case)
    situation = situation_for(case)
    wanted = next_visits(policy_for(case.authority), situation) if situation else []
    kept, result = set(), []
    for deadline in open_visit_deadlines(case):
        match = next((visit for visit in wanted if (visit.key, visit.start, visit.due.due_at) ==
                      (deadline.key, deadline.anchor_at, deadline.due_at)), None)  # fmt: skip
        if match is None or match.key in kept:
            deadline_cancel(deadline=deadline, reason=reason)
        else:
            kept.add(match.key)
            result.append(deadline)
    for visit in wanted:
        if visit.key not in kept:
            result.append(deadline_open(authority=case.authority, key=visit.key, subject=case, start=visit.start,
                                        conditions=visit.conditions, case=case, team=case.team,
                                        assignee=case.worker, counted_from=visit.counted_from))  # fmt: skip
    return result


def on_status_changed(*, case: Case, changed_by: User) -> None:
    schedule_refresh(case=case, reason="The child's status changed: the visit schedule was recalculated")


def on_placement_changed(*, case: Case, changed_by: User, placement_started_on: date | None,
                         permanence_agreed_on: date | None) -> None:  # fmt: skip
    inputs = locked_or_created(VisitSchedule, case=case)
    inputs.placement_started_on, inputs.permanence_agreed_on = placement_started_on, permanence_agreed_on
    save_as(inputs, changed_by)
    schedule_refresh(case=case, reason="The placement changed: the visit schedule was recalculated")


def on_adoption_changed(*, case: Case, changed_by: User, placed_on: date | None,
                        first_review_on: date | None) -> None:  # fmt: skip
    inputs = locked_or_created(VisitSchedule, case=case)
    inputs.adoptive_placed_on, inputs.adoptive_first_review_on = placed_on, first_review_on
    save_as(inputs, changed_by)
    schedule_refresh(case=case, reason="The adoptive placement changed: the visit schedule was recalculated")


def schedule_conditions_for(authority) -> list[tuple[str, str]]:
    """The conditions this authority's visit timescales vary on, which a manager may record (a
    baby's age and an agreed permanence are known from the record and are not offered)."""
    policy = policy_for(authority)
    from_record = {"under_1", "permanence_agreed"}
    names = {
        condition
        for keys in SCHEDULES.values()
        for key in (keys.first, keys.steady, *keys.phases)
        if key
        for condition in policy.timescale(key).conditions
    }
    return [(name, policy.conditions[name]) for name in sorted(names - from_record) if name in policy.conditions]


@transaction.atomic
def schedule_conditions_set(*, case: Case, conditions: list[str], reason: str, set_by: User) -> VisitSchedule:
    """A manager records what the child's visits may vary on (St Helens: fortnightly visits once
    the manager approves the step-down; Wiltshire: the disabled children's team's levels)."""
    if not manages_case(set_by, case) or not case.is_open:
        raise PermissionDenied
    offered = {name for name, _ in schedule_conditions_for(case.authority)}
    if set(conditions) - offered:
        raise ValidationError({"conditions": "Select only the conditions listed"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for the change"})
    inputs = locked_or_created(VisitSchedule, case=case)
    inputs.conditions, inputs.conditions_reason = sorted(conditions), reason.strip()
    save_as(inputs, set_by)
    schedule_refresh(case=case, reason=f"The manager changed the visit conditions: {reason.strip()}")
    return inputs


# --- Visits ---------------------------------------------------------------------------------


def _check_writer(user: User, case: Case) -> None:
    if not can_write_case(user, case):
        raise PermissionDenied


def _check_when(case: Case, visited_at: datetime | None) -> None:
    if visited_at is None:
        raise ValidationError({"visited_at": "Enter the date of the visit"})
    if visited_at > timezone.now():
        raise ValidationError({"visited_at": "The visit must be in the past: record a visit once it has happened"})
    opened = timezone.localdate(case.opened_at)
    if timezone.localdate(visited_at) < opened:
        raise ValidationError({"visited_at": f"The visit must be on or after {long_date(opened)}, "
                                             "when the case opened"})  # fmt: skip


def _open_recording_deadline(visit: Visit) -> None:
    conditions = ("assessment_visit",) if visit.kind == Visit.Kind.ASSESSMENT else ()
    known = tuple(condition for condition in conditions if condition in policy_for(visit.authority).conditions)
    deadline_open_where_set(authority=visit.authority, key="visit_recording", subject=visit, start=visit.visited_at,
                            conditions=known, case=visit.case, team=visit.case.team,
                            assignee=visit.recorded_by)  # fmt: skip


def _recording_deadline(visit: Visit) -> Deadline | None:
    return Deadline.objects.filter(subject_id=visit.pk, case=visit.case, key="visit_recording",
                                   status=Deadline.Status.OPEN).first()  # fmt: skip


@transaction.atomic
def visit_start(*, case: Case, recorded_by: User, kind: str, visited_at: datetime | None,
                started_with: uuid.UUID | None = None) -> Visit:  # fmt: skip
    """Begin the record of a visit that has happened: a draft, and the write-up's own clock."""
    case = locked_case(case)
    _check_writer(recorded_by, case)
    if kind not in Visit.Kind.values:
        raise ValidationError({"kind": "Select the kind of visit"})
    _check_when(case, visited_at)
    visit = Visit(authority_id=case.authority_id, case=case, child=case.child, kind=kind, visited_at=visited_at,
                  visitor=recorded_by, recorded_by=recorded_by, started_with=started_with)  # fmt: skip
    save_as(visit, recorded_by)
    _open_recording_deadline(visit)
    return visit


@transaction.atomic
def visit_begin(*, case: Case, recorded_by: User, started_with: uuid.UUID | None, version: int, **content) -> Visit:
    """The first save from the one page that records a visit (kind, date and write-up together).
    The page's automatic saves and its submit carry the same token: the first of them starts the
    draft, and every later one saves that draft (checking its version), so none makes a second."""
    case = locked_case(case)
    draft = draft_started_with(recorded_by, case, started_with)
    if draft is None:
        draft = visit_start(case=case, recorded_by=recorded_by, kind=content.get("kind", ""),
                            visited_at=content.get("visited_at"), started_with=started_with)  # fmt: skip
        version = draft.version
    return visit_save(visit=draft, saved_by=recorded_by, version=version, **content)


def _locked(visit: Visit) -> Visit:
    return locked(Visit, pk=visit.pk, related=["case__team", "case__child", "authority"])


def _owner_of(row: dict, authority_id: int) -> User | None:
    """The member of staff who will do an action: given as a user (from the page) or as the
    `owner_id` already stored on a draft's row."""
    owner = row.get("owner") or row.get("owner_id")
    if owner is None or owner == "":
        return None
    owner_id = owner.pk if isinstance(owner, User) else owner
    return User.objects.filter(pk=owner_id, authority_id=authority_id, is_active=True).first()


def _clean_actions(actions, visited_on: date, authority_id: int) -> list[dict]:
    rows = []
    for row in actions or []:
        what, by_when = str(row.get("what") or "").strip(), row.get("by_when")
        given_owner = row.get("owner") or row.get("owner_id")
        if not (what or given_owner or by_when):
            continue
        owner = _owner_of(row, authority_id)
        if owner is not None:
            who = owner.full_name
        elif given_owner:
            who = ""  # not a member of staff here (any more): refused below
        else:
            who = str(row.get("who") or "").strip()  # a row kept from before actions had owners: no deadline
        if not (what and who and by_when):
            raise ValidationError({"actions": "Give each action what is to be done, who will do it and by when"})
        by_when = by_when if isinstance(by_when, date) else date.fromisoformat(str(by_when))
        if by_when < visited_on:
            raise ValidationError({"actions": "Each action's date must be on or after the visit"})
        rows.append({"what": what, "who": who, "owner_id": owner.pk if owner else None, "by_when": by_when.isoformat()})
    return rows


def _check_consistent(visit: Visit) -> None:
    """Answers that contradict each other are refused on every save, draft or not."""
    if visit.child_seen is False and visit.seen_alone:
        raise ValidationError({"seen_alone": "The child cannot have been seen alone if they were not seen"})


@transaction.atomic
def visit_save(*, visit: Visit, saved_by: User, version: int, **content) -> Visit:
    """Save the draft. A save from an older version than the one stored is refused, naming what
    someone else changed (two tabs, or a manager and the worker, never overwrite each other)."""
    visit = _locked(visit)
    _check_writer(saved_by, visit.case)
    if visit.status != Visit.Status.DRAFT:
        raise ValidationError("This visit has been recorded: add anything further in a case note")
    check_version(visit, version, Visit.CONTENT_FIELDS, "visit")
    unknown = set(content) - set(Visit.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not visit content: {', '.join(sorted(unknown))}")
    if "kind" in content and content["kind"] not in Visit.Kind.values:
        raise ValidationError({"kind": "Select the kind of visit"})
    moved = "visited_at" in content and content["visited_at"] != visit.visited_at
    if "visited_at" in content:
        _check_when(visit.case, content["visited_at"])
    for name, value in content.items():
        setattr(visit, name, value)
    visit.actions = _clean_actions(visit.actions, timezone.localdate(visit.visited_at), visit.authority_id)
    _check_consistent(visit)
    visit.version += 1
    save_as(visit, saved_by)
    if moved:
        recording = _recording_deadline(visit)
        if recording:
            deadline_cancel(deadline=recording, reason="The date of the visit was corrected")
        _open_recording_deadline(visit)
    return visit


def _check_complete(visit: Visit) -> None:
    errors = {}
    if not visit.place:
        errors["place"] = "Select where the visit took place"
    if visit.announced is None:
        errors["announced"] = "Select whether the visit was announced"
    if visit.child_seen is None:
        errors["child_seen"] = "Select whether the child was seen"
    elif not visit.child_seen and not visit.not_seen_reason.strip():
        errors["not_seen_reason"] = "Enter why the child was not seen"
    elif visit.child_seen:
        if visit.seen_alone is None:
            errors["seen_alone"] = "Select whether the child was seen alone"
        elif not visit.seen_alone and not visit.not_seen_alone_reason.strip():
            errors["not_seen_alone_reason"] = "Enter why the child was not seen alone"
        if not visit.child_views.strip():
            errors["child_views"] = "Enter the child's wishes and feelings, in their own words or as they showed them"
    if visit.place in ("home", "placement"):
        if visit.bedroom_seen is None:
            errors["bedroom_seen"] = "Select whether the child's bedroom was seen"
        elif not visit.bedroom_seen and not visit.bedroom_not_seen_reason.strip():
            errors["bedroom_not_seen_reason"] = "Enter why the bedroom was not seen"
    if not visit.observations.strip():
        errors["observations"] = "Enter your observations"
    if not visit.analysis.strip():
        errors["analysis"] = "Enter your analysis"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_record(*, visit: Visit, recorded_by: User) -> Visit:
    """The write-up is finished. Its own deadline is met now (late if after it); a statutory visit
    where the child was seen meets the schedule at the time of the visit and opens the next."""
    visit = _locked(visit)
    _check_writer(recorded_by, visit.case)
    if visit.status != Visit.Status.DRAFT:
        raise ValidationError("This visit has already been recorded")
    _check_consistent(visit)
    _check_complete(visit)
    now = timezone.now()
    visit.status, visit.recorded_at = Visit.Status.RECORDED, now
    save_as(visit, recorded_by, update_fields=["status", "recorded_at"])
    recording = _recording_deadline(visit)
    if recording:
        deadline_meet(deadline=recording, met_at=now)
    if visit.child_seen:
        _meet_child_seen_clocks(visit)
    if visit.kind in STATUTORY:
        _apply_to_schedule(visit)
    _open_action_deadlines(visit, recorded_by)
    if visit.child_seen:
        publish("child_seen", case=visit.case, seen_at=visit.visited_at, seen_alone=bool(visit.seen_alone),
                recorded_by=recorded_by)  # fmt: skip
    seen = ("seen alone" if visit.seen_alone else "seen, not alone") if visit.child_seen else "not seen"
    chronology_write(child=visit.child, case=visit.case, kind=ChronologyEntry.Kind.VISIT, occurred_at=visit.visited_at,
                     title=f"{visit.get_kind_display()}: child {seen}", detail=visit.analysis,
                     written_by=recorded_by)  # fmt: skip
    return visit


def _open_action_deadlines(visit: Visit, recorded_by: User) -> None:
    """Each action agreed at the visit is its owner's, due by its date, on their My work and in their
    digest, as an action from a plan, supervision or an audit is."""
    owners = {owner.pk: owner for owner in User.objects.filter(pk__in=[row["owner_id"] for row in visit.actions
                                                                       if row.get("owner_id")])}  # fmt: skip
    visited = timezone.localtime(visit.visited_at)
    for row in visit.actions:
        owner = owners.get(row.get("owner_id"))
        if owner is None:
            continue
        deadline = deadline_open_agreed(authority=visit.authority, key=ACTION_KEY, subject=visit,
                                        due_on=date.fromisoformat(row["by_when"]),
                                        what=f"Action from the visit on {visited:%a %-d %b %Y}: {row['what']}",
                                        agreed_at=visit.visited_at, team=visit.case.team, assignee=owner,
                                        case=visit.case)  # fmt: skip
        row["deadline_id"] = deadline.pk  # so the action can be marked done
    if owners:
        save_as(visit, recorded_by, update_fields=["actions"])


@transaction.atomic
def visit_action_done(*, visit: Visit, index: int, done_by: User) -> Deadline:
    """An action from a recorded visit is done: its deadline is met now (late if after its date).
    Its owner says so, or anyone who may write on the child's case."""
    visit = _locked(visit)
    row = visit.actions[index] if visit.status == Visit.Status.RECORDED and 0 <= index < len(visit.actions) else {}
    if not row.get("deadline_id"):
        raise ValidationError("This action has no deadline to mark done")
    if done_by.pk != row.get("owner_id") and not can_write_case(done_by, visit.case):
        raise PermissionDenied
    deadline = Deadline.objects.filter(pk=row["deadline_id"], status=Deadline.Status.OPEN).first()
    if deadline is None:
        raise ValidationError("This action is already done")
    return deadline_meet(deadline=deadline)


def _meet_child_seen_clocks(visit: Visit) -> None:
    """One sighting, entered once: every open clock that waited for the child to be seen, and began
    before the visit, is met at the visit (before the schedule is recalculated, which would otherwise
    cancel a first visit it no longer needs)."""
    waiting = Deadline.objects.filter(case=visit.case, key__in=SEEN_BY_ANY_VISIT, status=Deadline.Status.OPEN,
                                      anchor_at__lte=visit.visited_at)  # fmt: skip
    met = [deadline_meet(deadline=deadline, met_at=visit.visited_at) for deadline in waiting]
    if visit.kind not in STATUTORY and any(deadline.key == "pf_first_visit" for deadline in met):
        schedule_refresh(case=visit.case, reason="A visit saw the child")


def _apply_to_schedule(visit: Visit) -> None:
    due = [deadline for deadline in open_visit_deadlines(visit.case)
           if schedule_kind_of(deadline.key) == visit.kind and deadline.anchor_at <= visit.visited_at]  # fmt: skip
    if not visit.child_seen:
        when = timezone.localtime(visit.visited_at)
        for deadline in due:
            deadline_add_note(deadline=deadline, note=f"A visit on {when:%a %-d %b %Y} did not meet this deadline: "
                                                      "the child was not seen.")  # fmt: skip
        return
    for deadline in due:
        deadline_meet(deadline=deadline, met_at=visit.visited_at)
    schedule_refresh(case=visit.case, reason="A later visit was recorded")
