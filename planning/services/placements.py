"""Placements of a looked-after child. Each change is raised as `placement_changed`, so the
child's visit schedule (visits) follows it in the same transaction."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.codes import PLACEMENT_TYPES, collection_year_label, collection_year_of
from cases.dates import check_not_in_future, long_date, start_of
from cases.events import publish
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.selectors.children import can_write_case, manages_case
from cases.services.children import chronology_write
from cases.services.writes import first_locked, locked, locked_case, save_as
from planning.models import Placement
from planning.services.leaving_care import placement_moved
from planning.services.looked_after import care_period_start, placement_opened


def placement_changed_publish(case: Case, changed_by: User) -> None:
    """Tell the rest of the service (visits) what the child's current placement is now."""
    current = Placement.objects.filter(case=case, ended_on=None).first()
    publish("placement_changed", case=case, changed_by=changed_by,
            placement_started_on=current.started_on if current else None,
            permanence_agreed_on=current.permanence_agreed_on if current else None)  # fmt: skip


@transaction.atomic
def placement_start(*, case: Case, recorded_by: User, placement_type: str, carer: str, started_on: date | None,
                    change_reason: str = "", emergency: bool = False,
                    started_at: datetime | None = None) -> Placement:  # fmt: skip
    """A new placement; the current one (if any) ends the day this one starts, and the reason for
    the move is then required. It opens the placement planning meeting clock (and the care plan's,
    for the first placement of the period of care); `emergency` uses the unplanned-move values."""
    case = locked_case(case)
    if not can_write_case(recorded_by, case):
        raise PermissionDenied
    return placement_begin(case=case, recorded_by=recorded_by, placement_type=placement_type, carer=carer,
                           started_on=started_on, change_reason=change_reason, emergency=emergency,
                           started_at=started_at)  # fmt: skip


def placement_begin(*, case: Case, recorded_by: User, placement_type: str, carer: str, started_on: date | None,
                    change_reason: str = "", emergency: bool = False,
                    started_at: datetime | None = None) -> Placement:  # fmt: skip
    """placement_start's work, inside the caller's transaction on the locked case, once the caller
    has decided who may record it (placement for adoption: planning/services/adoption.py)."""
    looked_after = case.statuses.filter(kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None).first()
    if looked_after is None:
        raise ValidationError({"placement_type": "Record that the child is looked after before recording a placement"})
    errors = {}
    if placement_type not in dict(PLACEMENT_TYPES.choices):
        errors["placement_type"] = "Select the type of placement"
    elif started_on and placement_type not in PLACEMENT_TYPES.valid_in(collection_year_of(started_on)):
        year = collection_year_label(collection_year_of(started_on))
        label = PLACEMENT_TYPES.label(placement_type)
        errors["placement_type"] = (f"The DfE does not accept ‘{label}’ for a placement starting in {year}: "
                                    "choose one of this year's types")
    if not (carer or "").strip():
        errors["carer"] = "Enter the carer or provider"
    try:
        check_not_in_future(started_on, "started_on", "start date")
    except ValidationError as error:
        errors |= error.message_dict
    current = first_locked(Placement.objects.filter(case=case, ended_on=None))
    earliest = current.started_on if current else looked_after.started_on
    if started_on and "started_on" not in errors and started_on < earliest:
        errors["started_on"] = f"The start date must be on or after {long_date(earliest)}, " + (
            "when the current placement started" if current else "when the child became looked after")
    if current is not None and not (change_reason or "").strip():
        errors["change_reason"] = "Enter why the placement changed"
    if errors:
        raise ValidationError(errors)
    if current is not None:
        current.ended_on = started_on
        save_as(current, recorded_by, update_fields=["ended_on"])
    placement = Placement(authority_id=case.authority_id, case=case, child=case.child, placement_type=placement_type,
                          carer=carer.strip(), started_on=started_on, change_reason=(change_reason or "").strip(),
                          recorded_by=recorded_by)  # fmt: skip
    save_as(placement, recorded_by)
    period_start = care_period_start(case, looked_after)
    earlier = Placement.objects.filter(case=case, started_on__gte=period_start).exclude(pk=placement.pk)
    first = not earlier.exists()
    # A clock in hours counts from the hour the child arrived where the page gave it.
    placement_opened(placement, first_of_period=first, emergency=emergency, started_at=started_at)
    placement_moved(placement)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLACEMENT, occurred_at=start_of(started_on),
                     title=f"Placement started: {placement}", detail=placement.change_reason,
                     written_by=recorded_by)  # fmt: skip
    placement_changed_publish(case, recorded_by)
    return placement


@transaction.atomic
def placement_agree_permanence(*, placement: Placement, agreed_on: date | None, recorded_by: User) -> Placement:
    """A manager records that the placement is formally agreed as permanent (or to last until the
    child is 18): statutory visits may then be three-monthly after its first year."""
    placement = locked(Placement, pk=placement.pk, related=["case__child"])
    if not manages_case(recorded_by, placement.case):
        raise PermissionDenied
    if placement.ended_on is not None:
        raise ValidationError({"agreed_on": "This placement has ended"})
    if placement.permanence_agreed_on is not None:
        agreed = long_date(placement.permanence_agreed_on)
        raise ValidationError({"agreed_on": f"This placement was already agreed as permanent on {agreed}"})
    check_not_in_future(agreed_on, "agreed_on", "date it was agreed")
    if agreed_on < placement.started_on:
        raise ValidationError({"agreed_on": f"The date must be on or after {long_date(placement.started_on)}, "
                                            "when the placement started"})  # fmt: skip
    placement.permanence_agreed_on = agreed_on
    save_as(placement, recorded_by, update_fields=["permanence_agreed_on"])
    chronology_write(child=placement.child, case=placement.case, kind=ChronologyEntry.Kind.PLACEMENT,
                     occurred_at=start_of(agreed_on), title=f"Placement agreed as permanent: {placement}",
                     written_by=recorded_by)  # fmt: skip
    placement_changed_publish(placement.case, recorded_by)
    return placement
