"""Reading the records that hang off a child (relationships, professionals, legal statuses): only
through a child the user may see, so a record never confirms that a restricted child exists."""

from django.http import Http404

from ..models import LegalStatus
from .children import children_visible_to


def record_of_visible_child(model, user, pk):
    """A relationship, professional or address, if the user may see its child; 404 otherwise."""
    found = model.objects.filter(pk=pk, child__in=children_visible_to(user)).select_related("child").first()
    if found is None:
        raise Http404("Not found")
    return found


def status_of_visible_child(user, pk) -> LegalStatus:
    found = (
        LegalStatus.objects.filter(pk=pk, case__child__in=children_visible_to(user))
        .select_related("case__child", "case__team", "case__worker")
        .first()
    )
    if found is None:
        raise Http404("Not found")
    return found
