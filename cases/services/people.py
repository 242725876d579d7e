"""Writes about people and organisation. Each service is one transaction."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..events import publish
from ..models import AccessLog, Authority, RoleAssignment, Team, User
from ..selectors.people import role_assignments_forget


@transaction.atomic
def user_create(
    *,
    authority: Authority,
    email: str,
    full_name: str,
    password: str | None,
    roles: list[tuple[str, Team | None]] = (),
    newly_qualified_from=None,
    is_staff: bool = False,
) -> User:
    user = User(
        authority=authority,
        email=email,
        full_name=full_name,
        newly_qualified=newly_qualified_from is not None,
        newly_qualified_from=newly_qualified_from,
        is_staff=is_staff,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    user.save()
    for role, team in roles:
        role_assign(user=user, role=role, team=team)
    staff_practice_changed(user=user, changed_by=None)
    return user


def staff_practice_changed(*, user: User, changed_by: User | None) -> None:
    """Tell the apps that follow a worker's roles and newly qualified year (supervision's cadence)
    that they changed; called after the user and their roles are saved."""
    role_assignments_forget(user)
    publish("staff_practice_changed", user=user, changed_by=changed_by)


def role_assign(*, user: User, role: str, team: Team | None = None) -> RoleAssignment:
    assignment = RoleAssignment(user=user, role=role, team=team)
    assignment.full_clean()
    assignment.save()
    return assignment


def access_log_record(*, user: User, subject, path: str) -> AccessLog:
    """Record that `user` opened `subject`. The subject must belong to the user's authority."""
    authority_id = getattr(subject, "authority_id", None)
    if authority_id is None or authority_id != user.authority_id:
        raise ValidationError("An access can be logged only for a record in the user's own authority")
    return AccessLog.objects.create(
        authority_id=authority_id,
        user=user,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        path=path[:500],
        viewed_at=timezone.now(),
    )


def sessions_clear_expired() -> int:
    """Delete sessions past their expiry; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
