"""Reading supervision. A session's personal parts (wellbeing) are for the worker, their
supervisor and the supervisor's managers only; a case discussion belongs to the child's record
and is seen by whoever may see the child."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from cases.models import Deadline, User
from cases.roles import Role
from cases.selectors.children import not_restricted_from
from cases.selectors.people import has_role, teams_managed_by

from .models import CaseDiscussion, ManagementOversight, SupervisionSession
from .services import CASE_KEY, WORKER_KEYS


def sessions_visible_to(user) -> QuerySet[SupervisionSession]:
    sessions = SupervisionSession.objects.filter(authority_id=user.authority_id)
    if has_role(user, Role.SERVICE_MANAGER):
        return sessions
    return sessions.filter(Q(worker=user) | Q(supervisor=user))


def session_for(user, pk: int) -> SupervisionSession:
    """404, not 403, for anyone else: a session's existence is personal too."""
    visible = sessions_visible_to(user).select_related("worker", "supervisor")
    return get_object_or_404(visible, pk=pk)


def supervised_by(user) -> QuerySet[User]:
    """The workers this manager supervises: everyone holding a role in a team they manage."""
    if has_role(user, Role.SERVICE_MANAGER):
        teams = Q(role_assignments__team__authority_id=user.authority_id)
    else:
        teams = Q(role_assignments__team__in=teams_managed_by(user))
    return (
        User.objects.filter(
            teams, authority_id=user.authority_id, is_active=True, role_assignments__role=Role.SOCIAL_WORKER
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("full_name")
    )


def worker_supervision_due(workers) -> dict[int, Deadline]:
    """Each worker's open supervision deadline (one query)."""
    deadlines = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(User), subject_id__in=[worker.pk for worker in workers],
        key__in=WORKER_KEYS, status=Deadline.Status.OPEN,
    ).order_by("due_at")  # fmt: skip
    due = {}
    for deadline in deadlines:
        due.setdefault(deadline.subject_id, deadline)
    return due


def case_supervision_due(user) -> QuerySet[Deadline]:
    """Children whose case supervision is open in the teams this manager oversees."""
    deadlines = Deadline.objects.filter(authority_id=user.authority_id, key=CASE_KEY, status=Deadline.Status.OPEN)
    if not has_role(user, Role.SERVICE_MANAGER):
        deadlines = deadlines.filter(team__in=teams_managed_by(user))
    return (
        deadlines.filter(not_restricted_from(user, "child")).select_related("child", "case__worker").order_by("due_at")
    )


def discussions_in(session: SupervisionSession, user) -> tuple[QuerySet[CaseDiscussion], int]:
    """The session's case discussions this person may read, and how many others it holds: a child's
    restricted record stays hidden from anyone not named on it, even in a supervision they attend."""
    all_discussions = session.discussions.all()
    readable = all_discussions.filter(not_restricted_from(user, "child")).select_related("child")
    return readable, all_discussions.count() - readable.count()


def discussions_of(child) -> QuerySet[CaseDiscussion]:
    return (
        CaseDiscussion.objects.filter(child=child).select_related("session__supervisor").order_by("-session__held_at")
    )


def oversight_of(child) -> QuerySet[ManagementOversight]:
    return ManagementOversight.objects.filter(child=child).select_related("manager")


def actions_for(user) -> QuerySet[Deadline]:
    """Open actions from supervision that this person owns."""
    return (
        Deadline.objects.filter(assignee=user, key="supervision_action", status=Deadline.Status.OPEN)
        .filter(not_restricted_from(user, "child"))
        .select_related("child")
        .order_by("due_at")
    )
