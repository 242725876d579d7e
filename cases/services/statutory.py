"""Writing the child's details that the DfE's returns ask for (the CIN census and the SSDA903):
unique pupil numbers, disabilities, asylum-seeking status, motherhood and death. The rules on the
values themselves are the model's (Child.clean), so every page that saves a child keeps them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..concurrency import check_version
from ..models import Child, User
from ..roles import Role
from ..selectors.children import can_write_case, children_visible_to, open_case_for
from ..selectors.people import has_role
from .writes import locked, save_changes

STATUTORY_FIELDS = ("upn", "former_upn", "upn_unknown", "date_of_death", "disabilities", "uasc", "uasc_ceased_on",
                    "is_mother", "mothers_child_born_on")  # fmt: skip


def can_change_statutory_details(user: User, child: Child, *, case=None) -> bool:
    """The allocated worker and the managers of the team holding the child's open case: the people
    who answer for what the returns say; and the authority's performance and data officer, who
    corrects them from the DfE's findings (only for a child they can see). Pass the open case if
    it has been read already."""
    case = case or open_case_for(child)
    if case is None or case.child_id != child.pk:
        return False
    return can_write_case(user, case) or (has_role(user, Role.DATA_OFFICER) and child.authority_id == user.authority_id)


def _normalised(fields: dict) -> dict:
    for name in ("upn", "former_upn"):
        if name in fields:
            fields[name] = "".join((fields[name] or "").split()).upper()
    if "disabilities" in fields:
        fields["disabilities"] = list(fields["disabilities"] or [])
    # A cleared answer takes its dependants with it, so unticking "mother" never leaves a birth date.
    if fields.get("uasc") is False:
        fields.setdefault("uasc_ceased_on", None)
    if fields.get("is_mother") is False:
        fields.setdefault("mothers_child_born_on", None)
    return fields


def _check_version(child: Child, version: int) -> None:
    """Refuse a save made from an older version only where it would overwrite one of these fields:
    other pages save the child too (its names, its restriction), and those are not this form's."""
    if version == child.version:
        return
    opened = child.history.filter(version=version).first()
    if opened is not None and all(getattr(opened, name) == getattr(child, name) for name in STATUTORY_FIELDS):
        return
    check_version(child, version, STATUTORY_FIELDS, "child's details")


@transaction.atomic
def child_statutory_update(*, child: Child, updated_by: User, version: int, **fields) -> Child:
    """Change the details the returns ask for, from the `version` the form was opened at."""
    unknown = set(fields) - set(STATUTORY_FIELDS)
    if unknown:
        raise TypeError(f"Not a field that can be changed here: {', '.join(sorted(unknown))}")
    child = locked(Child, pk=child.pk)
    visible = children_visible_to(updated_by).filter(pk=child.pk).exists()
    if not (visible and can_change_statutory_details(updated_by, child)):
        raise PermissionDenied
    _check_version(child, version)
    fields = _normalised(fields)
    # Children recorded before records had an author have no created_by; that is not this form's to fix.
    save_changes(child, fields, updated_by, unchecked=["created_by"])
    return child
