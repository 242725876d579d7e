"""Reading visits and the schedule's inputs, always through the children the user may see."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.dates import start_of
from cases.models import Case, Deadline, LegalStatus
from cases.roles import Role
from cases.selectors.children import can_write_case, children_visible_to, not_restricted_from
from cases.selectors.people import has_role, teams_managed_by

from .models import Visit, VisitSchedule
from .schedule import PRIORITY, SCHEDULES, VISIT_KEYS, Situation


def visit_for(user, pk: int) -> Visit:
    """The visit, if the user may see its child; otherwise the same 404 as for the child."""
    visible = Visit.objects.filter(child__in=children_visible_to(user)).select_related(
        "case__team", "case__worker", "child", "authority", "visitor", "recorded_by"
    )
    return get_object_or_404(visible, pk=pk)


def visits_of(child) -> QuerySet[Visit]:
    return Visit.objects.filter(child=child).select_related("visitor")


def _status_started(statuses: list[LegalStatus], kind: str) -> datetime | None:
    """When the current unbroken run of a status began: a new category or legal order replaces
    the status the day it starts, and does not restart the child's visits."""
    runs = sorted((status for status in statuses if status.kind == kind), key=lambda status: status.started_on)
    current = next((status for status in reversed(runs) if status.ended_on is None), None)
    if current is None:
        return None
    started = current.started_on
    for status in reversed(runs):
        if status.ended_on == started:
            started = status.started_on
    return start_of(started)


# Schedules whose first visit any visit that saw the child meets (visits.services.SEEN_BY_ANY_VISIT).
FIRST_VISIT_BY_ANY_KIND = ("private_fostering",)


def situation_for(case: Case) -> Situation | None:
    """What the child's visit schedule is computed from, or None when no status calls for
    statutory visits (an assessment, a care leaver, a closed case)."""
    if not case.is_open:
        return None
    statuses = list(case.statuses.all())
    current_kinds = {status.kind for status in statuses if status.ended_on is None}
    schedule = next((kind for kind in PRIORITY if kind in current_kinds), None)
    if schedule is None:
        return None
    started = _status_started(statuses, schedule)
    inputs = VisitSchedule.objects.filter(case=case).first()
    placement_started = inputs.placement_started_on if inputs and schedule == "lac" else None
    seen = Visit.objects.filter(case=case, status=Visit.Status.RECORDED, child_seen=True, visited_at__gte=started)
    last = seen.filter(kind=schedule).order_by("-visited_at").values_list("visited_at", flat=True).first()
    if last is None and schedule in FIRST_VISIT_BY_ANY_KIND:
        # The first visit to a privately fostered child is any visit that saw them (it met that
        # clock); the regular visits count from the latest such visit until one of their own.
        last = seen.order_by("-visited_at").values_list("visited_at", flat=True).first()
    # The adoptive placement's visits apply while it is the child's current placement.
    adoptive = bool(schedule == "lac" and inputs and inputs.adoptive_placed_on
                    and inputs.adoptive_placed_on == placement_started)  # fmt: skip
    return Situation(
        schedule=schedule,
        started=started,
        born=case.child.date_of_birth,
        last_visit=timezone.localtime(last) if last else None,
        placement_started=start_of(placement_started) if placement_started else None,
        permanence_agreed=inputs.permanence_agreed_on if inputs and schedule == "lac" else None,
        conditions=frozenset(inputs.conditions) if inputs else frozenset(),
        adoptive_placed=_day_start(inputs.adoptive_placed_on) if adoptive else None,
        adoptive_first_review=_day_start(inputs.adoptive_first_review_on) if adoptive else None,
    )


def _day_start(day) -> datetime | None:
    return start_of(day) if day else None


# The visit a child's status calls for, strictest first (as the schedule's own priority, then a
# care leaver's contact).
KIND_BY_STATUS = (*PRIORITY, "care_leaver")


def kind_for(case: Case) -> str:
    """The kind of visit to offer first when recording one: the child's current status's visit;
    with no status, a section 47 visit while an enquiry's clocks run, otherwise an assessment visit."""
    current = {status.kind for status in case.statuses.all() if status.ended_on is None}
    kind = next((kind for kind in KIND_BY_STATUS if kind in current), None)
    if kind:
        return kind
    enquiry_open = Deadline.objects.filter(case=case, key__startswith="s47_", status=Deadline.Status.OPEN).exists()
    return Visit.Kind.SECTION_47 if enquiry_open else Visit.Kind.ASSESSMENT


def draft_started_with(user, case: Case, token) -> Visit | None:
    """The visit this user's recording page started (by its automatic save, or a save that was
    refused to record); the services refuse to save it again once it is recorded."""
    if token is None:
        return None
    return Visit.objects.filter(started_with=token, case=case, recorded_by=user).first()


def open_visit_deadlines(case: Case) -> QuerySet[Deadline]:
    """Soonest first, each with its child (the pages name it: visits/_deadline.html)."""
    return (Deadline.objects.filter(case=case, key__in=VISIT_KEYS, status=Deadline.Status.OPEN)
            .select_related("child").order_by("due_at"))  # fmt: skip


@dataclass(frozen=True)
class NextVisitDue:
    """An open visit deadline, which the page tells in plain English (cases/explaining.py), the
    working behind "How this date was worked out"."""

    deadline: Deadline


def next_visits_due(case: Case) -> list[NextVisitDue]:
    """The child's next statutory visits (one query)."""
    return [NextVisitDue(deadline) for deadline in open_visit_deadlines(case)]


def schedule_kind_of(key: str) -> str | None:
    return next((kind for kind, keys in SCHEDULES.items() if key in keys.all()), None)


def visits_due_for(user, *, team=None) -> QuerySet[Deadline]:
    """Open statutory-visit deadlines the user answers for: a worker's own, a manager's teams',
    a service manager's whole authority (or one team of it), never a child they may not see."""
    deadlines = Deadline.objects.filter(authority_id=user.authority_id, key__in=VISIT_KEYS,
                                        status=Deadline.Status.OPEN)  # fmt: skip
    if has_role(user, Role.SERVICE_MANAGER):
        scope = Q()
    elif has_role(user, Role.TEAM_MANAGER):
        scope = Q(team__in=teams_managed_by(user)) | Q(assignee=user)
    else:
        scope = Q(assignee=user)
    deadlines = deadlines.filter(scope)
    if team is not None:
        deadlines = deadlines.filter(team=team)
    return (
        deadlines.filter(not_restricted_from(user, "child"))
        .select_related("child", "assignee", "team", "case")
        .order_by("due_at", "pk")
    )


def visits_due_by_worker(user, *, team=None, now: datetime, week_end: datetime) -> list[dict]:
    """A manager's picture: per worker, visits overdue, due this week and in all (one query)."""
    return list(
        visits_due_for(user, team=team)
        .order_by()
        .values("assignee", "assignee__full_name")
        .annotate(overdue=Count("pk", filter=Q(due_at__lt=now)),
                  this_week=Count("pk", filter=Q(due_at__gte=now, due_at__lt=week_end)), total=Count("pk"))
        .order_by("-overdue", "assignee__full_name")
    )  # fmt: skip


def week_ending(now: datetime) -> datetime:
    """The end of the working week holding `now` (Sunday night), for 'due this week'."""
    local = timezone.localtime(now)
    return start_of(local.date() + timedelta(days=7 - local.weekday()))


def last_visits(child) -> dict:
    """For the child's record: the last recorded visit, the last time they were seen alone."""
    recorded = Visit.objects.filter(child=child, status=Visit.Status.RECORDED)
    return {
        "last_visit": recorded.order_by("-visited_at").first(),
        "last_seen_alone": recorded.filter(seen_alone=True).order_by("-visited_at").first(),
    }


def drafts_to_write_up(user) -> QuerySet[Visit]:
    """The user's draft visits, with their write-up's due date (one query)."""
    due = Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Visit), subject_id=OuterRef("pk"),
                                  key="visit_recording", status=Deadline.Status.OPEN).values("due_at")[:1]  # fmt: skip
    return (
        Visit.objects.filter(recorded_by=user, status=Visit.Status.DRAFT, authority_id=user.authority_id)
        .filter(not_restricted_from(user, "child"))
        .select_related("child")
        .annotate(write_up_due=Subquery(due))
        .order_by("visited_at")
    )


def actions_for(user) -> QuerySet[Deadline]:
    """Open actions from visits that this person owns, soonest first (one query)."""
    return (
        Deadline.objects.filter(assignee=user, key="visit_action", status=Deadline.Status.OPEN)
        .filter(not_restricted_from(user, "child"))
        .select_related("child")
        .order_by("due_at")
    )


@dataclass(frozen=True)
class VisitAction:
    index: int
    what: str
    who: str
    by_when: date
    deadline: Deadline | None
    can_mark_done: bool


def visit_actions_of(visit: Visit, user) -> list[VisitAction]:
    """The visit's actions, each with its deadline (open, met) and whether this user may mark it
    done: its owner, or anyone who may write on the case (one query)."""
    ids = [row["deadline_id"] for row in visit.actions if row.get("deadline_id")]
    deadlines = Deadline.objects.in_bulk(ids) if ids else {}
    writes = can_write_case(user, visit.case)
    rows = []
    for index, row in enumerate(visit.actions):
        deadline = deadlines.get(row.get("deadline_id"))
        is_open = deadline is not None and deadline.status == Deadline.Status.OPEN
        rows.append(VisitAction(index, row["what"], row["who"], date.fromisoformat(row["by_when"]), deadline,
                                is_open and (writes or user.pk == row.get("owner_id"))))  # fmt: skip
    return rows
