"""How the returns name a child, the same in both (the DfE links a child's CIN census and SSDA903
records by the authority's own child identifier)."""

from collections.abc import Iterable

from cases.models import Child
from returns.models import ReturnIdentity


def la_child_id(child: Child) -> str:
    """The authority's identifier for the child: the one its previous system gave a child imported
    from a past return (the DfE already knows the child by it), otherwise the case ID practitioners
    already quote (at most 10 characters, as both returns allow).

    Free when the child was read with `select_related("return_identity")`; one query otherwise."""
    try:
        return child.return_identity.la_child_id
    except ReturnIdentity.DoesNotExist:
        return child.reference


def la_child_ids(children: Iterable[Child]) -> dict[int, str]:
    """Each child's identifier by the child's pk, in one query, for children read without it."""
    children = list(children)
    imported = dict(ReturnIdentity.objects.filter(child__in=[child.pk for child in children])
                    .values_list("child_id", "la_child_id"))  # fmt: skip
    return {child.pk: imported.get(child.pk) or child.reference for child in children}
