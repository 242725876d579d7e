"""In-app notifications (DESIGN §6): deadlines newly overdue, and work submitted for sign-off,
returned or approved. Each is checked against what its reader may see when it is raised, and
again whenever it is read (`selectors.alerts`)."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from ..models import Authority, Case, Child, Deadline, Notification, RoleAssignment, User
from ..roles import Role
from ..selectors.children import visible_child_ids
from ..selectors.digests import timescale_what
from ..selectors.people import load_role_assignments
from ..selectors.timescales import policy_for

# A deadline that went overdue longer ago than this (the job was down, or this is the first run on
# an old ledger) is left to the digests rather than raised as news.
LOOKBACK_DAYS = 7
BATCH = 2000


def notify(*, users, kind: str, text: str, url: str = "", child: Child | None = None,
           authority_id: int | None = None) -> list[Notification]:  # fmt: skip
    """Notify each of `users` who may see `child`. Runs inside the caller's transaction."""
    recipients = [user for user in {user.pk: user for user in users if user is not None}.values() if user.is_active]
    if child is not None and recipients:
        load_role_assignments(recipients)
        visible = visible_child_ids(recipients, {child.pk})
        recipients = [user for user in recipients if child.pk in visible[user.pk]]
    return Notification.objects.bulk_create(
        [Notification(authority_id=authority_id or user.authority_id, user=user, kind=kind, text=text[:300],
                      url=url, child=child) for user in recipients]
    )  # fmt: skip


def team_managers(team_ids) -> dict[int, list[User]]:
    managers = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(team_id__in=set(team_ids), role=Role.TEAM_MANAGER,
                                                    user__is_active=True).select_related("user"):  # fmt: skip
        managers[assignment.team_id].append(assignment.user)
    return managers


SIGN_OFF = {
    "submitted": (Notification.Kind.AWAITING_SIGN_OFF, "{child}'s {what} is awaiting your sign-off, from {by}"),
    "returned": (Notification.Kind.RETURNED, "{child}'s {what} was returned for changes by {by}"),
    "approved": (Notification.Kind.APPROVED, "{child}'s {what} was approved by {by}"),
}


def notify_sign_off(*, event: str, case: Case, what: str, url: str, by: User) -> list[Notification]:
    """A piece of work on `case` was submitted (its team's managers hear), or returned or approved
    (its worker hears). Nobody is told of their own action."""
    kind, template = SIGN_OFF[event]
    users = team_managers([case.team_id])[case.team_id] if event == "submitted" else [case.worker]
    users = [user for user in users if user is not None and user.pk != by.pk]
    text = template.format(child=case.child.full_name, what=what, by=by.full_name)
    return notify(users=users, kind=kind, text=text, url=url, child=case.child, authority_id=case.authority_id)


def overdue_alerts_raise(*, now: datetime | None = None) -> int:
    """Raise an alert for each deadline that has gone overdue since the last run: to its assignee,
    or to its team's managers while nobody holds it. Running it again raises nothing twice."""
    now = now or timezone.now()
    raised = 0
    for authority in Authority.objects.order_by("pk"):
        already = Notification.objects.filter(deadline=OuterRef("pk"), kind=Notification.Kind.OVERDUE)
        rows = list(
            Deadline.objects.filter(authority=authority, status=Deadline.Status.OPEN, due_at__lt=now,
                                    due_at__gte=now - timedelta(days=LOOKBACK_DAYS))  # fmt: skip
            .exclude(Exists(already))
            .values("pk", "key", "due_at", "child_id", "child__first_name", "child__last_name", "assignee_id",
                    "team_id")[:BATCH]  # fmt: skip
        )
        if rows:
            raised += _raise(authority, rows)
    return raised


@transaction.atomic
def _raise(authority: Authority, rows: list[dict]) -> int:
    managers = team_managers(row["team_id"] for row in rows if row["assignee_id"] is None)
    assignees = User.objects.filter(pk__in={row["assignee_id"] for row in rows}, is_active=True).in_bulk()
    people = {user.pk: user for user in [*assignees.values(), *(u for users in managers.values() for u in users)]}
    load_role_assignments(list(people.values()))
    visible = visible_child_ids(people.values(), {row["child_id"] for row in rows if row["child_id"]})
    policy = policy_for(authority)
    notifications = []
    for row in rows:
        recipients = [assignees.get(row["assignee_id"])] if row["assignee_id"] else managers.get(row["team_id"], [])
        who = f"{row['child__first_name']} {row['child__last_name']}: " if row["child_id"] else ""
        text = f"{who}{timescale_what(policy, row['key'])} was due {timezone.localtime(row['due_at']):%-d %B %Y %H:%M}"
        url = reverse("child", args=[row["child_id"]]) if row["child_id"] else reverse("my-work")
        notifications += [
            Notification(authority=authority, user=user, kind=Notification.Kind.OVERDUE, text=text[:300], url=url,
                         child_id=row["child_id"], deadline_id=row["pk"])
            for user in recipients
            if user is not None and (row["child_id"] is None or row["child_id"] in visible[user.pk])
        ]  # fmt: skip
    return len(Notification.objects.bulk_create(notifications, ignore_conflicts=True))


@transaction.atomic
def notification_read(*, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionDenied("Only its reader marks a notification read")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
