"""Reading assessments: always through a child the user may see (404 otherwise)."""

from django.db.models import QuerySet
from django.http import Http404

from assessments.models.assessments import Assessment
from cases.models import Deadline
from cases.roles import Role
from cases.selectors.children import children_visible_to, not_restricted_from
from cases.selectors.people import has_role, teams_managed_by


def assessment_for(user, pk: int) -> Assessment:
    found = (
        Assessment.objects.filter(pk=pk, child__in=children_visible_to(user))
        .select_related("child", "case__team", "case__worker", "author", "authority")
        .first()
    )
    if found is None:
        raise Http404("No such assessment")
    return found


def assessments_of_child(child) -> QuerySet[Assessment]:
    return child.assessments.select_related("author", "approved_by").order_by("-created_at")


def assessments_awaiting_sign_off(user) -> QuerySet[Assessment]:
    """Submitted assessments in the teams this user manages (every team, for a service manager)."""
    awaiting = Assessment.objects.filter(authority_id=user.authority_id, status=Assessment.Status.SUBMITTED)
    if not has_role(user, Role.SERVICE_MANAGER):
        awaiting = awaiting.filter(case__team__in=teams_managed_by(user))
    return awaiting.filter(not_restricted_from(user, "child")).select_related("child", "author", "case__team")


def assessments_returned_to(user) -> QuerySet[Assessment]:
    """Returned work for the worker who holds the case: shown first on My work."""
    return Assessment.objects.filter(
        authority_id=user.authority_id, status=Assessment.Status.RETURNED, case__worker=user
    ).select_related("child")


def completion_deadline_of(assessment: Assessment) -> Deadline | None:
    return (
        Deadline.objects.filter(case=assessment.case, subject_id=assessment.pk, key__contains="completion")
        .exclude(status=Deadline.Status.CANCELLED)
        .order_by("-pk")
        .first()
    )
