"""Reading a person's in-app notifications. A notification about a child is shown only while its
reader may still see that child (a record restricted afterwards drops out)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import Notification
from .children import not_restricted_from

NO_CHILD = Q(child__isnull=True)


def notifications_for(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user, authority_id=user.authority_id).filter(
        not_restricted_from(user, "child") | NO_CHILD
    )


def unread_count(user) -> int:
    """One query: the bell in the header."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def notification_for(user, pk: int) -> Notification:
    found = notifications_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such notification")
    return found
