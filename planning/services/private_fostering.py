"""Private fostering: a notification that a child is (or is to be) privately fostered. The first
notification of an arrangement starts the child's private-fostering status through the cases
service, so the visit schedule (visits) opens `pf_first_visit` from the day the notice was received
where the authority sets it (Leeds: 7 working days), and a visit where the child is seen meets it
there. A later notification while the arrangement is current (a new carer, a correction) is kept
on the record without restarting the status or its first visit.

An absence from the carer opens `pf_absence_reset` where the authority sets a limit (Leeds: 27
days), for the worker to check on the child by then; a return past the limit ends the arrangement
the day after it and starts it again on the return (Leeds: visits revert to the first-year
interval, and a new arrangement's first visit is due)."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import long_date, start_of
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.selectors.children import can_write_case, manages_case
from cases.services.children import chronology_write
from cases.services.family import legal_status_end, legal_status_start
from cases.services.writes import locked_case, save_as
from planning.models import PrivateFosteringAbsence, PrivateFosteringNotification
from planning.services.clocks import meet_open, open_clock


def can_record_notification(user: User, case: Case) -> bool:
    """The allocated worker or a manager of the case (the same people who may start a status)."""
    return case.is_open and (can_write_case(user, case) or manages_case(user, case))


@transaction.atomic
def pf_notification_record(*, case: Case, recorded_by: User, received_at: datetime | None, notified_by: str,
                           arrangement_started_on: date | None,
                           carer: str) -> PrivateFosteringNotification:  # fmt: skip
    case = locked_case(case)
    if not can_record_notification(recorded_by, case):
        raise PermissionDenied
    errors = {}
    if received_at is None:
        errors["received_at"] = "Enter the date and time the notification was received"
    elif received_at > timezone.now():
        errors["received_at"] = "The notification must have been received today or in the past"
    elif timezone.localdate(received_at) < timezone.localdate(case.opened_at):
        opened = long_date(timezone.localdate(case.opened_at))
        errors["received_at"] = f"The date received must be on or after {opened}, when the case opened"
    if not (notified_by or "").strip():
        errors["notified_by"] = "Enter who notified the authority"
    if arrangement_started_on is None:
        errors["arrangement_started_on"] = "Enter the date the arrangement starts or started"
    if not (carer or "").strip():
        errors["carer"] = "Enter the private foster carer"
    if errors:
        raise ValidationError(errors)
    notification = PrivateFosteringNotification(
        authority_id=case.authority_id, case=case, child=case.child, received_at=received_at,
        notified_by=notified_by.strip(), arrangement_started_on=arrangement_started_on, carer=carer.strip(),
        recorded_by=recorded_by,
    )
    notification.full_clean()
    save_as(notification, recorded_by)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.STATUS, occurred_at=received_at,
                     title=f"Private fostering notified by {notification.notified_by}",
                     detail=f"Carer: {notification.carer}. The arrangement starts or started on "
                            f"{long_date(arrangement_started_on)}.", written_by=recorded_by)  # fmt: skip
    current = case.statuses.filter(kind=LegalStatus.Kind.PRIVATE_FOSTERING, ended_on=None).exists()
    if not current:
        legal_status_start(case=case, kind=LegalStatus.Kind.PRIVATE_FOSTERING,
                           started_on=timezone.localdate(received_at), recorded_by=recorded_by)  # fmt: skip
    return notification


ABSENCE_KEY = "pf_absence_reset"


def _current_pf_status(case: Case) -> LegalStatus | None:
    return case.statuses.filter(kind=LegalStatus.Kind.PRIVATE_FOSTERING, ended_on=None).first()


def open_absence(case: Case) -> PrivateFosteringAbsence | None:
    return case.pf_absences.filter(returned_on=None).first()


@transaction.atomic
def pf_absence_start(*, case: Case, recorded_by: User, left_on: date | None, returned_on: date | None = None,
                     notes: str = "") -> PrivateFosteringAbsence:  # fmt: skip
    """The child has left the private foster carer. Where the authority sets a limit, the worker
    is asked to check on the child by the day it is reached; a return recorded here or later
    decides whether the arrangement ended."""
    case = locked_case(case)
    if not can_record_notification(recorded_by, case):
        raise PermissionDenied
    status = _current_pf_status(case)
    errors = {}
    if status is None:
        errors["left_on"] = "The child is not privately fostered: record the notification first"
    elif open_absence(case) is not None:
        errors["left_on"] = "An absence is already recorded: record the child's return first"
    _check_dates(errors, left_on, returned_on, after=status.started_on if status else None)
    if errors:
        raise ValidationError(errors)
    absence = PrivateFosteringAbsence(authority_id=case.authority_id, case=case, child=case.child, left_on=left_on,
                                      notes=(notes or "").strip(), recorded_by=recorded_by)  # fmt: skip
    save_as(absence, recorded_by)
    open_clock(ABSENCE_KEY, subject=absence, start=start_of(left_on), case=case)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.STATUS, occurred_at=start_of(left_on),
                     title="Left the private foster carer", detail=absence.notes, written_by=recorded_by)  # fmt: skip
    if returned_on is not None:
        _returned(absence, returned_on, recorded_by)
    return absence


@transaction.atomic
def pf_absence_return(*, case: Case, recorded_by: User, returned_on: date | None) -> PrivateFosteringAbsence:
    case = locked_case(case)
    if not can_record_notification(recorded_by, case):
        raise PermissionDenied
    absence = open_absence(case)
    if absence is None:
        raise ValidationError({"returned_on": "No absence is waiting for a return"})
    errors = {}
    _check_dates(errors, absence.left_on, returned_on, required_return=True)
    if errors:
        raise ValidationError(errors)
    return _returned(absence, returned_on, recorded_by)


def _check_dates(errors: dict, left_on, returned_on, *, after: date | None = None, required_return=False) -> None:
    today = timezone.localdate()
    if left_on is None:
        errors["left_on"] = "Enter the date the child left the carer"
    elif left_on > today:
        errors["left_on"] = "The date the child left must be today or in the past"
    elif after is not None and left_on < after:
        errors.setdefault("left_on", f"The date the child left must be on or after {long_date(after)}, "
                                     "when the arrangement was notified")  # fmt: skip
    if returned_on is None:
        if required_return:
            errors["returned_on"] = "Enter the date the child returned"
    elif returned_on > today:
        errors["returned_on"] = "The date the child returned must be today or in the past"
    elif left_on is not None and returned_on < left_on:
        errors["returned_on"] = f"The date the child returned must be on or after {long_date(left_on)}"


def _returned(absence: PrivateFosteringAbsence, returned_on: date, recorded_by: User) -> PrivateFosteringAbsence:
    """Past the authority's limit the arrangement ended the day after it; the return starts it
    again (the status restarts, so visits return to the first-year interval)."""
    case = absence.case
    absence.returned_on = returned_on
    limit = meet_open(absence, [ABSENCE_KEY], start_of(returned_on), started_only=False)
    ended_on = timezone.localdate(limit[0].due_at) + timedelta(days=1) if limit else None
    absence.ended_arrangement = ended_on is not None and returned_on >= ended_on
    save_as(absence, recorded_by, update_fields=["returned_on", "ended_arrangement"])
    detail = ""
    if absence.ended_arrangement:
        legal_status_end(status=_current_pf_status(case), ended_on=ended_on, ended_by=recorded_by)
        legal_status_start(case=case, kind=LegalStatus.Kind.PRIVATE_FOSTERING, started_on=returned_on,
                           recorded_by=recorded_by)  # fmt: skip
        detail = (f"Away longer than the authority allows, so the arrangement ended on {long_date(ended_on)} "
                  "and started again on the child's return.")  # fmt: skip
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.STATUS, occurred_at=start_of(returned_on),
                     title="Returned to private foster care", detail=detail, written_by=recorded_by)  # fmt: skip
    return absence
