"""Private fostering: a notification that a child is (or is to be) privately fostered. The first
notification of an arrangement starts the child's private-fostering status through the cases
service, so the visit schedule (visits) opens `pf_first_visit` from the day the notice was received
where the authority sets it (Leeds: 7 working days), and a visit where the child is seen meets it
there. A later notification while the arrangement is current (a new carer, a correction) is kept
on the record without restarting the status or its first visit."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import long_date
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.selectors.children import can_write_case, manages_case
from cases.services.children import chronology_write
from cases.services.family import legal_status_start

from .models import PrivateFosteringNotification


def can_record_notification(user: User, case: Case) -> bool:
    """The allocated worker or a manager of the case (the same people who may start a status)."""
    return case.is_open and (can_write_case(user, case) or manages_case(user, case))


@transaction.atomic
def pf_notification_record(*, case: Case, recorded_by: User, received_at: datetime | None, notified_by: str,
                           arrangement_started_on: date | None,
                           carer: str) -> PrivateFosteringNotification:  # fmt: skip
    case = Case.objects.select_for_update().select_related("child", "authority").get(pk=case.pk)
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
    notification._history_user = recorded_by
    notification.save()
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.STATUS, occurred_at=received_at,
                     title=f"Private fostering notified by {notification.notified_by}",
                     detail=f"Carer: {notification.carer}. The arrangement starts or started on "
                            f"{long_date(arrangement_started_on)}.", written_by=recorded_by)  # fmt: skip
    current = case.statuses.filter(kind=LegalStatus.Kind.PRIVATE_FOSTERING, ended_on=None).exists()
    if not current:
        legal_status_start(case=case, kind=LegalStatus.Kind.PRIVATE_FOSTERING,
                           started_on=timezone.localdate(received_at), recorded_by=recorded_by)  # fmt: skip
    return notification
