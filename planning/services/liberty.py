"""Deprivation of liberty orders for a looked-after child, as the SSDA903 DoLO table (2026-27)
wants them: each starts after the child's birth (validator rule 708) and no earlier than the last
one ended, only once any earlier one has ended (705), and ends no earlier than it started (702)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.dates import check_not_in_future, long_date, start_of
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.services.children import chronology_write
from cases.services.writes import locked, locked_case, save_as
from planning.models import DeprivationOfLiberty
from planning.services.meetings import check_visible
from planning.services.plans import can_write_plan


def can_record_liberty(user: User, case: Case) -> bool:
    return can_write_plan(user, case)


def _errors_of(check, *args) -> dict:
    try:
        check(*args)
    except ValidationError as error:
        return error.message_dict
    return {}


@transaction.atomic
def liberty_order_start(*, case: Case, started_on: date | None, recorded_by: User) -> DeprivationOfLiberty:
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_record_liberty(recorded_by, case):
        raise PermissionDenied
    if not case.statuses.filter(kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None).exists():
        raise ValidationError({"started_on": "The child is not looked after"})
    errors = _errors_of(check_not_in_future, started_on, "started_on", "date the order started")
    orders = list(DeprivationOfLiberty.objects.filter(child=case.child))
    still_open = next((order for order in orders if order.ended_on is None), None)
    last_end = max((order.ended_on for order in orders if order.ended_on), default=None)
    born = case.child.date_of_birth
    if not errors and still_open is not None:
        errors["started_on"] = (f"The order that started on {long_date(still_open.started_on)} has not ended: "
                                "record the date it ended first")  # fmt: skip
    elif not errors and born is not None and started_on < born:
        errors["started_on"] = f"The date the order started must be on or after {long_date(born)}, the date of birth"
    elif not errors and last_end is not None and started_on < last_end:
        errors["started_on"] = (f"The date the order started must be on or after {long_date(last_end)}, "
                                "when the last order ended")  # fmt: skip
    if errors:
        raise ValidationError(errors)
    order = DeprivationOfLiberty(authority_id=case.authority_id, case=case, child=case.child, started_on=started_on,
                                 recorded_by=recorded_by)  # fmt: skip
    save_as(order, recorded_by)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.OTHER,
                     occurred_at=start_of(started_on).replace(hour=12),
                     title="Deprivation of liberty order made", written_by=recorded_by)  # fmt: skip
    return order


@transaction.atomic
def liberty_order_end(*, order: DeprivationOfLiberty, ended_on: date | None, recorded_by: User) -> DeprivationOfLiberty:
    order = locked(DeprivationOfLiberty, pk=order.pk, related=("case", "child"))
    check_visible(recorded_by, order.case)
    if not can_record_liberty(recorded_by, order.case):
        raise PermissionDenied
    if order.ended_on is not None:
        raise ValidationError({"ended_on": f"The order already ended, on {long_date(order.ended_on)}"})
    errors = _errors_of(check_not_in_future, ended_on, "ended_on", "date the order ended")
    if not errors and ended_on < order.started_on:
        errors["ended_on"] = (f"The date the order ended must be on or after {long_date(order.started_on)}, "
                              "when it started")  # fmt: skip
    if errors:
        raise ValidationError(errors)
    order.ended_on = ended_on
    save_as(order, recorded_by, update_fields=["ended_on"])
    chronology_write(child=order.child, case=order.case, kind=ChronologyEntry.Kind.OTHER,
                     occurred_at=start_of(ended_on).replace(hour=12),
                     title="Deprivation of liberty order ended", written_by=recorded_by)  # fmt: skip
    return order
