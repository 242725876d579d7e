"""The data-quality list: open children whose records lack something a statutory return needs,
for the managers who can get it recorded (team managers: their teams; service managers: the
authority). Counts are one query for the fields on the child's own record and one for each other
needed field, whatever the number of children."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from ..data_quality import NeededField, needed_field, needed_fields
from ..models import Case
from ..roles import Role
from .children import not_restricted_from
from .people import has_role, teams_managed_by
from .performance import may_see_performance


def open_cases_checked_for(user) -> QuerySet[Case]:
    """The open cases whose gaps this user may see: the people who read performance, over the same
    teams; 403 for anyone else."""
    if not may_see_performance(user):
        raise PermissionDenied
    cases = Case.objects.filter(authority_id=user.authority_id, closed_at__isnull=True)
    if not has_role(user, Role.SERVICE_MANAGER):
        cases = cases.filter(team__in=teams_managed_by(user))
    return cases.filter(not_restricted_from(user, "child"))


@dataclass
class Gap:
    field: NeededField
    children: int


def data_quality_summary(user) -> list[Gap]:
    cases, today = open_cases_checked_for(user), timezone.localdate()
    fields = needed_fields()
    together = [field for field in fields if field.on_the_record]
    counts = cases.aggregate(**{field.key: Count("pk", filter=field.missing(today)) for field in together})
    counts |= {field.key: cases.filter(field.missing(today)).count() for field in fields if not field.on_the_record}
    return [Gap(field, counts[field.key]) for field in fields]


def needed_field_for(user, key: str) -> NeededField:
    open_cases_checked_for(user)  # the same 403 first
    field = needed_field(key)
    if field is None:
        raise Http404("No such field")
    return field


def cases_missing(user, field: NeededField) -> QuerySet[Case]:
    """The open cases lacking `field`, by team and worker, with what the page shows."""
    return (
        open_cases_checked_for(user)
        .filter(field.missing(timezone.localdate()))
        .select_related("child", "team", "worker")
        .order_by("team__name", "worker__full_name", "child__last_name", "child__first_name", "pk")
    )


def missing_by_worker(cases: QuerySet[Case]) -> list[dict]:
    """How many each team and worker have, in one query."""
    return list(
        cases.order_by().values("team__name", "worker__full_name").annotate(children=Count("pk"))
        .order_by("team__name", "worker__full_name")
    )
