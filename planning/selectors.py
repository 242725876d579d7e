"""Reading placements, always through the children the user may see."""

from django.shortcuts import get_object_or_404

from cases.selectors.children import children_visible_to

from .models import Placement


def placements_of(child) -> list[Placement]:
    return list(Placement.objects.filter(child=child).select_related("recorded_by"))


def placement_for(user, pk: int) -> Placement:
    """The placement, if the user may see its child; otherwise the same 404 as for the child."""
    visible = Placement.objects.filter(child__in=children_visible_to(user)).select_related("case", "child")
    return get_object_or_404(visible, pk=pk)
