"""Reading a person's work and a manager's queues, with the time each item has: what is overdue,
due today and due in the next few working days (on the authority's own calendar), by when each
referral must be decided and each case allocated, and each worker's load.

Counts are aggregates in the database, never rows loaded to be counted, so My work and the queues
cost the same few queries however much work there is. Every list names only children the reader
may see (`not_restricted_from`), and the counts agree with the lists they link to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ..models import AlertSettings, Authority, Case, Deadline, Referral, Team, User
from ..models.alerts import DEFAULT_DUE_SOON_WORKING_DAYS
from ..roles import Role
from ..rules.calendar import WorkingCalendar
from .children import not_restricted_from, workers_in
from .people import has_role, teams_managed_by
from .timescales import TimescalesNotLoaded, policy_for

WHEN = ("overdue", "today", "soon")
# A worker picked on the allocation page or named in a manager's filtered list: "nobody" is the
# team's work that no one holds yet (a decision, an allocation), which falls to its managers.
NOBODY = "nobody"


@lru_cache(maxsize=1)
def _bank_holidays_only() -> WorkingCalendar:
    return WorkingCalendar()


def calendar_of(authority: Authority | str) -> WorkingCalendar:
    """The authority's working days (its closure days included), from its cached policy; bank
    holidays alone where its timescales are not loaded yet."""
    try:
        return policy_for(authority).calendar
    except TimescalesNotLoaded:
        return _bank_holidays_only()


@dataclass(frozen=True)
class WorkWindow:
    """Overdue is before `now`; due today is from `now` to the end of today; due soon is after
    today up to the end of the `soon_days`th working day from today."""

    now: datetime
    today: date
    tomorrow_starts: datetime
    soon_days: int
    soon_last_day: date
    soon_ends: datetime
    calendar: WorkingCalendar
    tz: ZoneInfo
    slug: str

    @classmethod
    def of(cls, authority: Authority, now: datetime | None = None) -> WorkWindow:
        """The window on the authority's own calendar, "due soon" as its alert settings say (the
        digest's window too). Load the authority with `authority_of` to have both in one query."""
        now = now or timezone.now()
        tz = ZoneInfo(authority.timezone)
        today = now.astimezone(tz).date()
        calendar = calendar_of(authority)
        try:
            days = authority.alert_settings.due_soon_working_days
        except AlertSettings.DoesNotExist:
            days = DEFAULT_DUE_SOON_WORKING_DAYS
        last = calendar.add_working_days(today, days)
        return cls(now=now, today=today, tomorrow_starts=datetime.combine(today + timedelta(days=1), time.min, tz),
                   soon_days=days, soon_last_day=last,
                   soon_ends=datetime.combine(last + timedelta(days=1), time.min, tz), calendar=calendar,
                   tz=tz, slug=authority.slug)  # fmt: skip

    def bounds(self, when: str) -> Q:
        if when == "overdue":
            return Q(due_at__lt=self.now)
        if when == "today":
            return Q(due_at__gte=self.now, due_at__lt=self.tomorrow_starts)
        if when == "soon":
            return Q(due_at__gte=self.tomorrow_starts, due_at__lt=self.soon_ends)
        raise Http404("No such list")

    def working_days_late(self, due_at: datetime) -> int:
        """Whole working days since the due day, 0 on the due day itself."""
        due_day = due_at.astimezone(self.tz).date()
        return max(self.calendar.working_days_between(due_day, self.today), 0)


def authority_of(user) -> Authority:
    """The user's authority with its alert settings, in one query; kept on the user, so the rest
    of the page reads `user.authority` for nothing."""
    user.authority = Authority.objects.select_related("alert_settings").get(pk=user.authority_id)
    return user.authority


def _visible(user) -> Q:
    return not_restricted_from(user, "child") | Q(child__isnull=True)


def own_deadlines(user) -> QuerySet[Deadline]:
    """The open deadlines that are this person's to meet: those assigned to them, and for a team
    manager the work of their teams that nobody holds yet (a referral to decide, a case to
    allocate), which is theirs until it is given to someone; the same rule as the overdue alerts."""
    if user.authority_id is None:
        return Deadline.objects.none()
    mine = Q(assignee=user)
    managed = teams_managed_by(user)
    if managed:
        mine |= Q(assignee__isnull=True, team__in=managed)
    return Deadline.objects.filter(mine, authority_id=user.authority_id, status=Deadline.Status.OPEN).filter(
        _visible(user)
    )


def own_deadline_counts(user, window: WorkWindow) -> dict[str, int]:
    """How many of this person's deadlines are overdue, due today and due soon: one query."""
    counts = own_deadlines(user).filter(due_at__lt=window.soon_ends).aggregate(
        **{when: Count("pk", filter=window.bounds(when)) for when in WHEN}
    )
    return {when: counts[when] or 0 for when in WHEN}


def worker_named(user, worker: str) -> User | None:
    """The worker whose deadlines a team manager asked to see (None for the team's unheld work):
    404 for anyone who manages no team, and for a person of another authority."""
    if not teams_managed_by(user):
        raise Http404("No such list")
    if worker == NOBODY:
        return None
    pk = int(worker) if worker.isdigit() and len(worker) < 10 else None
    found = User.objects.filter(pk=pk, authority_id=user.authority_id).first() if pk else None
    if found is None:
        raise Http404("No such worker")
    return found


def deadlines_listed(user, when: str, window: WorkWindow, *, worker: str = "") -> QuerySet[Deadline]:
    """The deadlines behind one of My work's counts, soonest first; or, for a team manager who
    names a worker (or `NOBODY`), that worker's deadlines in the teams they manage."""
    if worker:
        named = worker_named(user, worker)
        items = Deadline.objects.filter(authority_id=user.authority_id, team__in=teams_managed_by(user),
                                        status=Deadline.Status.OPEN, assignee=named).filter(_visible(user))  # fmt: skip
    else:
        items = own_deadlines(user)
    return items.filter(window.bounds(when)).select_related("child", "assignee", "team").order_by("due_at", "pk")


@dataclass
class WorkerOverdue:
    worker_id: int | None
    worker: str
    overdue: int
    oldest: datetime
    working_days_late: int

    @property
    def param(self) -> str:
        return str(self.worker_id) if self.worker_id else NOBODY


def team_overdue_by_worker(user, window: WorkWindow) -> list[WorkerOverdue]:
    """A team manager's picture: for each worker holding overdue work in the teams they manage,
    how much and how old the oldest is, most overdue first. One grouped query."""
    managed = teams_managed_by(user)
    if not managed:
        return []
    rows = (
        Deadline.objects.filter(authority_id=user.authority_id, team__in=managed, status=Deadline.Status.OPEN,
                                due_at__lt=window.now)  # fmt: skip
        .filter(_visible(user))
        .values("assignee_id", "assignee__full_name")
        .annotate(overdue=Count("pk"), oldest=Min("due_at"))
        .order_by("-overdue", "oldest")
    )
    return [WorkerOverdue(worker_id=row["assignee_id"], worker=row["assignee__full_name"] or "",
                          overdue=row["overdue"], oldest=row["oldest"],
                          working_days_late=window.working_days_late(row["oldest"]))
            for row in rows]  # fmt: skip


def _open_deadline_of(model, key: str) -> Subquery:
    """The due moment of a record's open deadline of `key` (the index by subject serves it)."""
    deadlines = Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(model),
                                        subject_id=OuterRef("pk"), key=key, status=Deadline.Status.OPEN)  # fmt: skip
    return Subquery(deadlines.order_by("due_at").values("due_at")[:1])


def referral_queue(user) -> QuerySet[Referral]:
    """Undecided referrals in the teams this user manages (every team, for a service manager),
    each with `decide_by` (its open decision deadline, if the authority sets one): child
    protection first, then the soonest to decide, then the longest waiting."""
    referrals = Referral.objects.filter(authority_id=user.authority_id, decision="")
    if not has_role(user, Role.SERVICE_MANAGER):
        referrals = referrals.filter(team__in=teams_managed_by(user))
    return (
        referrals.filter(not_restricted_from(user, "child"))
        .annotate(decide_by=_open_deadline_of(Referral, "contact_decision"))
        .select_related("child", "team")
        .order_by("-child_protection", F("decide_by").asc(nulls_last=True), "received_at", "pk")
    )


def allocation_queue(user) -> QuerySet[Case]:
    """Open cases in the teams this user manages that nobody holds, each with `allocate_by` where
    the authority sets an allocation timescale; the soonest due first, then the longest open."""
    return (
        Case.objects.filter(authority_id=user.authority_id, team__in=teams_managed_by(user), worker__isnull=True,
                            closed_at__isnull=True)  # fmt: skip
        .filter(not_restricted_from(user, "child"))
        .annotate(allocate_by=_open_deadline_of(Case, "assessment_allocation"))
        .select_related("child", "team")
        .order_by(F("allocate_by").asc(nulls_last=True), "opened_at", "pk")
    )


def deadline_of(subject, key: str) -> Deadline | None:
    """The record's latest deadline of `key` that was not cancelled: a referral's decision, a
    case's allocation."""
    return (Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(subject),
                                    subject_id=subject.pk, key=key)
            .exclude(status=Deadline.Status.CANCELLED).order_by("-pk").first())  # fmt: skip


def earlier_referrals(referral: Referral, limit: int = 10) -> list[Referral]:
    """The child's other referrals, latest first, with who decided them."""
    others = referral.child.referrals.exclude(pk=referral.pk).filter(received_at__lte=referral.received_at)
    return list(others.select_related("team", "decided_by").order_by("-received_at", "-pk")[:limit])


def workers_with_load(team: Team, now: datetime | None = None) -> QuerySet[User]:
    """Who a case in this team may go to, each with `caseload` (their open cases) and `overdue`
    (their open deadlines past due): counted by two correlated subqueries in the one query."""
    now = now or timezone.now()
    cases = (Case.objects.filter(worker=OuterRef("pk"), closed_at__isnull=True).order_by().values("worker")
             .annotate(n=Count("pk")).values("n"))  # fmt: skip
    late = (Deadline.objects.filter(assignee=OuterRef("pk"), status=Deadline.Status.OPEN, due_at__lt=now)
            .order_by().values("assignee").annotate(n=Count("pk")).values("n"))  # fmt: skip
    zero = Value(0, output_field=IntegerField())
    return workers_in(team).annotate(caseload=Coalesce(Subquery(cases, output_field=IntegerField()), zero),
                                     overdue=Coalesce(Subquery(late, output_field=IntegerField()), zero))  # fmt: skip
