"""Reading closure and transfer requests, and who viewed a child's record. Both are for managers;
both start from the user's authority and leave out restricted children the user is not named on."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import AccessLog, Case, CaseClosure, Child
from ..roles import Role
from .children import children_visible_to, manages_case
from .people import has_role, teams_managed_by

VIEW_ACCESS_LOG = "cases.view_access_log"


def closure_requests_awaiting(user) -> QuerySet[CaseClosure]:
    """Requests waiting for a decision in the teams this user manages (the whole authority for a
    service manager), oldest first."""
    requests = CaseClosure.objects.filter(
        case__authority_id=user.authority_id, status=CaseClosure.Status.REQUESTED
    ).filter(Q(case__child__restricted=False) | Q(case__child__restricted_to=user))
    if not has_role(user, Role.SERVICE_MANAGER):
        requests = requests.filter(case__team__in=teams_managed_by(user))
    return requests.select_related("case__child", "case__team", "to_team", "requested_by").order_by("requested_at")


def closure_request_for(user, pk: int) -> CaseClosure:
    """A request on a child this user may see; 404 otherwise, as for the child."""
    found = (
        CaseClosure.objects.filter(pk=pk, case__child__in=children_visible_to(user))
        .select_related("case__child", "case__team", "case__worker", "to_team", "requested_by", "decided_by")
        .first()
    )
    if found is None:
        raise Http404("No such request")
    return found


def may_see_closure_request(user, request: CaseClosure) -> bool:
    return request.requested_by_id == user.pk or manages_case(user, request.case)


def access_log_for_child(user, child: Child) -> QuerySet[AccessLog]:
    """Who opened this child's record or one of their cases, newest first."""
    if not user.has_perm(VIEW_ACCESS_LOG) or child.authority_id != user.authority_id:
        raise PermissionDenied
    types = ContentType.objects.get_for_models(Child, Case)
    about_child = Q(subject_type=types[Child], subject_id=child.pk)
    about_cases = Q(subject_type=types[Case], subject_id__in=Case.objects.filter(child=child).values("pk"))
    return (
        AccessLog.objects.filter(authority_id=user.authority_id)
        .filter(about_child | about_cases)
        .select_related("user")
        .order_by("-viewed_at", "-pk")
    )
