"""Reads about people and organisation, always from the viewing user's own authority."""

from django.db.models import QuerySet

from ..models import Authority, RoleAssignment, Team, User
from ..roles import Role

_CACHE_ATTR = "_casework_role_assignments"


def role_assignments_for(user) -> list[RoleAssignment]:
    """The user's role assignments, loaded once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("team"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def role_assignments_forget(user) -> None:
    """Drop the roles kept on the user object, after they changed."""
    user.__dict__.pop(_CACHE_ATTR, None)


def load_role_assignments(users) -> None:
    """Load the role assignments of many users in one query, so role checks on each cost none."""
    by_user: dict[int, list[RoleAssignment]] = {user.pk: [] for user in users}
    for assignment in RoleAssignment.objects.filter(user__in=list(by_user)).select_related("team"):
        by_user[assignment.user_id].append(assignment)
    for user in users:
        setattr(user, _CACHE_ATTR, by_user[user.pk])


def roles_for(user) -> frozenset[str]:
    return frozenset(assignment.role for assignment in role_assignments_for(user))


def has_role(user, *roles: str) -> bool:
    return not roles_for(user).isdisjoint(roles)


def teams_managed_by(user) -> list[Team]:
    return [a.team for a in role_assignments_for(user) if a.role == Role.TEAM_MANAGER and a.team]


def teams_of(user) -> list[Team]:
    """Every team the user has a role in, without repeats, in name order."""
    teams = {a.team.pk: a.team for a in role_assignments_for(user) if a.team}
    return sorted(teams.values(), key=lambda team: team.name)


def authorities_visible_to(user) -> QuerySet[Authority]:
    if user.is_superuser:
        return Authority.objects.all()
    return Authority.objects.filter(pk=user.authority_id)


def teams_visible_to(user) -> QuerySet[Team]:
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(authority_id=user.authority_id)


def users_visible_to(user) -> QuerySet[User]:
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(authority_id=user.authority_id)
