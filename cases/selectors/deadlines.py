"""Reading the deadline ledger. Overdue is always computed against the clock, never stored."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Deadline, Team, User


def overdue_deadlines(*, team: Team | None = None, assignee: User | None = None,
                      now: datetime | None = None) -> QuerySet[Deadline]:
    """Open deadlines already past due, for one team or one worker, oldest first.

    Served by the partial indexes deadline_open_by_team / deadline_open_by_assignee.
    """
    if (team is None) == (assignee is None):
        raise ValueError("Give exactly one of team or assignee")
    scope = {"team": team} if team is not None else {"assignee": assignee}
    return Deadline.objects.filter(status=Deadline.Status.OPEN, due_at__lt=now or timezone.now(), **scope)
