"""Writing who the child is: their details, where they have lived, their family and network, the
professionals around them, and their legal status on the case.

Nothing here is deleted. A relationship or a professional's involvement ends with a date; an
address ends when the next one starts; a status ends when it is ended or replaced. Each function
is one transaction and checks permission itself, whatever the view has already checked.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..concurrency import check_version
from ..dates import check_not_in_future, long_date, start_of
from ..events import publish
from ..models import Address, Case, Child, ChronologyEntry, LegalStatus, Professional, Relationship, User
from ..roles import Role
from ..selectors.children import can_write_case, children_visible_to, manages_case, open_case_for
from ..selectors.people import has_role
from .children import chronology_write
from .writes import first_locked, locked, locked_case, save_as, save_changes

# The child's own details, as the details form changes them. Restriction is not here: who may
# see a record is decided elsewhere, by a manager.
DETAIL_LABELS = {
    "first_name": "first name", "last_name": "last name", "other_names": "other names",
    "date_of_birth": "date of birth", "expected_date_of_birth": "expected date of birth", "sex": "sex",
    "gender_identity": "gender identity", "ethnicity": "ethnicity", "first_language": "first language",
    "interpreter_needed": "need for an interpreter", "religion": "religion", "disability": "disability",
    "immigration_status": "immigration status", "nhs_number": "NHS number", "upn": "unique pupil number",
    "school": "school", "gp": "GP",
}  # fmt: skip
DETAIL_FIELDS = tuple(DETAIL_LABELS)
RELATIONSHIP_FIELDS = ("kind", "name", "related_child", "parental_responsibility", "lives_with_child", "phone",
                       "address", "notes")  # fmt: skip
PROFESSIONAL_FIELDS = ("role", "name", "organisation", "phone", "email")
# Business support keep the front-door facts up to date; a team manager answers for the record.
WRITES_ANY_VISIBLE_CHILD = (Role.BUSINESS_SUPPORT, Role.TEAM_MANAGER)

_UNKNOWN = object()


def can_write_child(user: User, child: Child, *, case: Case | None = _UNKNOWN, seen: bool = False) -> bool:
    """Whether this user may change the child's details, family and professionals: anyone who can
    write on the child's open case, or business support and team managers who can see the child.

    Pass `case` (the open case, or None) and `seen=True` when the caller has already fetched them
    through the permission-scoped selectors, to save the queries."""
    if not seen and not children_visible_to(user).filter(pk=child.pk).exists():
        return False
    if has_role(user, *WRITES_ANY_VISIBLE_CHILD):
        return True
    if case is _UNKNOWN:
        case = open_case_for(child)
    return case is not None and can_write_case(user, case)


def _check_can_write_child(user: User, child: Child) -> None:
    if not can_write_child(user, child):
        raise PermissionDenied


def _check_unknown(fields: dict, allowed: tuple) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not a field that can be changed here: {', '.join(sorted(unknown))}")


def latest_version(child: Child) -> int:
    """The stamp the details form carries, so that a save can tell if someone saved in between."""
    latest = child.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True).first()
    return latest or 0


def details_changed_since(child: Child, version: int) -> list[str]:
    """The details someone has saved since `version`, in form order; all of them if the version is
    not one of this child's. Changes to anything else (who the record is restricted to) do not
    count: saving the details cannot overwrite them."""
    latest = child.history.order_by("-history_date", "-history_id").first()
    if latest is None or latest.history_id == version:
        return []
    loaded = child.history.filter(history_id=version).first()
    if loaded is None:
        return list(DETAIL_FIELDS)
    changed = set(latest.diff_against(loaded, included_fields=DETAIL_FIELDS).changed_fields)
    return [name for name in DETAIL_FIELDS if name in changed]


def _shown(child: Child, name: str) -> str:
    value = getattr(child, name)
    field = Child._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return long_date(value)
    return f"“{value}”" if value else "blank"


def _conflict_message(child: Child, changed: list[str]) -> str:
    latest = child.history.order_by("-history_date", "-history_id").select_related("history_user").first()
    who = latest.history_user.full_name if latest.history_user else "Someone else"
    saved_at = timezone.localtime(latest.history_date)
    when = f"{long_date(saved_at)} at {saved_at:%H:%M}"
    if len(changed) == len(DETAIL_FIELDS):
        what = "this record"
    else:
        parts = [f"the {DETAIL_LABELS[name]} (now {_shown(child, name)})" for name in changed]
        what = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return (
        f"{who} changed {what} on {when}, after you opened this page, so nothing you entered has been saved. "
        "Their changes are shown below with the rest of your answers: check them and save again."
    )


@transaction.atomic
def child_details_update(*, child: Child, updated_by: User, version: int, **fields) -> Child:
    """Change the child's details. `version` is `latest_version(child)` as it was when the form was
    loaded: if someone has changed any of these details since, nothing is saved and the error says
    who changed what, rather than one person's changes silently replacing another's."""
    _check_unknown(fields, DETAIL_FIELDS)
    child = locked(Child, pk=child.pk)
    _check_can_write_child(updated_by, child)
    changed = details_changed_since(child, version)
    if changed:
        raise ValidationError({"version": _conflict_message(child, changed)})
    if "nhs_number" in fields:
        fields["nhs_number"] = (fields["nhs_number"] or "").replace(" ", "")
    # Children recorded before records had an author have no created_by; that is not this form's to fix.
    save_changes(child, fields, updated_by, unchecked=["created_by"])
    return child


@transaction.atomic
def address_add(*, child: Child, added_by: User, address: str, lived_from: date, postcode: str = "") -> Address:
    """A new address; the one the child lived at until now ends the day before."""
    _check_can_write_child(added_by, child)
    if not (address or "").strip():
        raise ValidationError({"address": "Enter the address"})
    check_not_in_future(lived_from, "lived_from", "date they started living here")
    current = first_locked(Address.objects.filter(child=child, lived_until__isnull=True))
    if current is not None and lived_from <= current.lived_from:
        raise ValidationError(
            {
                "lived_from": f"The date they started living here must be after "
                f"{long_date(current.lived_from)}, when they moved to {current}"
            }
        )
    if current is not None:
        current.lived_until = lived_from - timedelta(days=1)
        save_as(current, added_by, update_fields=["lived_until"])
    new = Address(child=child, address=address.strip(), postcode=(postcode or "").strip().upper(),
                  lived_from=lived_from)  # fmt: skip
    new.full_clean()
    save_as(new, added_by)
    return new


def _check_related_child(user: User, child: Child, related_child: Child | None) -> None:
    if related_child is None:
        return
    if related_child.pk == child.pk:
        raise ValidationError({"related_child": "Enter another child's case ID, not this child's"})
    if not children_visible_to(user).filter(pk=related_child.pk).exists():
        raise ValidationError({"related_child": "Enter the case ID of a child known to us"})


@transaction.atomic
def relationship_add(*, child: Child, added_by: User, **fields) -> Relationship:
    _check_unknown(fields, RELATIONSHIP_FIELDS)
    _check_can_write_child(added_by, child)
    _check_related_child(added_by, child, fields.get("related_child"))
    relationship = Relationship(child=child, **fields)
    relationship.full_clean()
    save_as(relationship, added_by)
    return relationship


@transaction.atomic
def relationship_update(*, relationship: Relationship, updated_by: User, version: int, **fields) -> Relationship:
    """Correct or bring up to date what we know of this person, from the `version` the form was
    opened at (a save made meanwhile is never overwritten). Ending is `relationship_end`."""
    _check_unknown(fields, RELATIONSHIP_FIELDS)
    relationship = locked(Relationship, pk=relationship.pk, related=["child"])
    _check_can_write_child(updated_by, relationship.child)
    check_version(relationship, version, fields, "person's details")
    if "related_child" in fields and fields["related_child"] != relationship.related_child:
        _check_related_child(updated_by, relationship.child, fields["related_child"])
    for name, value in fields.items():
        setattr(relationship, name, value)
    relationship.full_clean()
    relationship.version += 1
    save_as(relationship, updated_by)
    return relationship


@transaction.atomic
def relationship_end(*, relationship: Relationship, ended_by: User, ended_on: date) -> Relationship:
    """The person is no longer part of the child's life as recorded; the record of them stays."""
    relationship = locked(Relationship, pk=relationship.pk, related=["child"])
    _check_can_write_child(ended_by, relationship.child)
    if relationship.ended_on is not None:
        raise ValidationError({"ended_on": f"This relationship already ended on {long_date(relationship.ended_on)}"})
    check_not_in_future(ended_on, "ended_on", "date the relationship ended")
    relationship.ended_on = ended_on
    save_as(relationship, ended_by, update_fields=["ended_on"])
    return relationship


@transaction.atomic
def professional_add(*, child: Child, added_by: User, **fields) -> Professional:
    _check_unknown(fields, PROFESSIONAL_FIELDS)
    _check_can_write_child(added_by, child)
    professional = Professional(child=child, **fields)
    professional.full_clean()
    save_as(professional, added_by)
    return professional


@transaction.atomic
def professional_update(*, professional: Professional, updated_by: User, version: int, **fields) -> Professional:
    """As `relationship_update`, for a professional."""
    _check_unknown(fields, PROFESSIONAL_FIELDS)
    professional = locked(Professional, pk=professional.pk, related=["child"])
    _check_can_write_child(updated_by, professional.child)
    check_version(professional, version, fields, "professional's details")
    for name, value in fields.items():
        setattr(professional, name, value)
    professional.full_clean()
    professional.version += 1
    save_as(professional, updated_by)
    return professional


@transaction.atomic
def professional_end(*, professional: Professional, ended_by: User, involved_until: date) -> Professional:
    professional = locked(Professional, pk=professional.pk, related=["child"])
    _check_can_write_child(ended_by, professional.child)
    if professional.involved_until is not None:
        raise ValidationError({"involved_until": f"Their involvement already ended on "
                                                 f"{long_date(professional.involved_until)}"})  # fmt: skip
    check_not_in_future(involved_until, "involved_until", "date their involvement ended")
    professional.involved_until = involved_until
    save_as(professional, ended_by, update_fields=["involved_until"])
    return professional


def _chairs_conference(user: User, case: Case, kind: str) -> bool:
    """A child-protection conference starts and ends the plan: its chair records that."""
    return (kind == LegalStatus.Kind.CHILD_PROTECTION and case.is_open and user.authority_id == case.authority_id
            and has_role(user, Role.CONFERENCE_CHAIR))  # fmt: skip


@transaction.atomic
def legal_status_start(*, case: Case, kind: str, started_on: date, recorded_by: User, cp_category: str = "",
                       legal_status: str = "", started_at: datetime | None = None) -> LegalStatus:  # fmt: skip
    """The child's status on the case changes: a child-protection plan (with its category), looked
    after (with the SSDA903 legal status), and so on. A new status of a kind replaces the open one
    of the same kind (a new category, a new legal order), which ends the day the new one starts."""
    case = locked_case(case)
    # A manager's decision (an approved assessment's outcome) may start a status too, and a
    # conference's chair a child-protection plan (the conference decides it).
    if not (can_write_case(recorded_by, case) or manages_case(recorded_by, case)
            or _chairs_conference(recorded_by, case, kind)):  # fmt: skip
        raise PermissionDenied
    if kind not in LegalStatus.Kind.values:
        raise ValidationError({"kind": "Select the status"})
    # A category belongs only to a plan, and a legal status only to a looked-after child.
    cp_category = cp_category if kind == LegalStatus.Kind.CHILD_PROTECTION else ""
    legal_status = legal_status if kind == LegalStatus.Kind.LOOKED_AFTER else ""
    if kind == LegalStatus.Kind.CHILD_PROTECTION and not cp_category:
        raise ValidationError({"cp_category": "Select the category of the child protection plan"})
    if kind == LegalStatus.Kind.LOOKED_AFTER and not legal_status:
        raise ValidationError({"legal_status": "Select the legal status of the looked-after child"})
    check_not_in_future(started_on, "started_on", "start date")
    opened_on = timezone.localdate(case.opened_at)
    if started_on < opened_on:
        raise ValidationError({"started_on": f"The start date must be on or after {long_date(opened_on)}, "
                                             "when the case opened"})  # fmt: skip
    current = first_locked(LegalStatus.objects.filter(case=case, kind=kind, ended_on__isnull=True))
    if current is not None and started_on < current.started_on:
        raise ValidationError({"started_on": f"The start date must be on or after {long_date(current.started_on)}, "
                                             f"when the current {current} started"})  # fmt: skip
    # The hour is kept only with its own day: a clock in hours never starts on another day.
    started_at = started_at if started_at and timezone.localdate(started_at) == started_on else None
    if started_at is not None and started_at > timezone.now():
        raise ValidationError({"started_time": "The time must be now or earlier"})
    status = LegalStatus(case=case, kind=kind, cp_category=cp_category, legal_status=legal_status,
                         started_on=started_on, started_at=started_at, recorded_by=recorded_by)  # fmt: skip
    status.full_clean()
    if current is not None:
        current.ended_on = started_on
        save_as(current, recorded_by, update_fields=["ended_on"])
    save_as(status, recorded_by)
    detail = f"Replaces {current}, which started on {long_date(current.started_on)}." if current else ""
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.STATUS, occurred_at=start_of(started_on),
                     title=f"{status} started", detail=detail, written_by=recorded_by)  # fmt: skip
    publish("status_changed", case=case, changed_by=recorded_by)
    return status


@transaction.atomic
def legal_status_end(*, status: LegalStatus, ended_on: date, ended_by: User) -> LegalStatus:
    status = locked(LegalStatus, pk=status.pk, related=["case__team", "case__child"])
    if not (can_write_case(ended_by, status.case) or manages_case(ended_by, status.case)
            or _chairs_conference(ended_by, status.case, status.kind)):  # fmt: skip
        raise PermissionDenied
    if status.ended_on is not None:
        raise ValidationError({"ended_on": f"This status already ended on {long_date(status.ended_on)}"})
    check_not_in_future(ended_on, "ended_on", "end date")
    if ended_on < status.started_on:
        raise ValidationError({"ended_on": f"The end date must be on or after {long_date(status.started_on)}, "
                                           "when the status started"})  # fmt: skip
    status.ended_on = ended_on
    save_as(status, ended_by, update_fields=["ended_on"])
    chronology_write(child=status.case.child, case=status.case, kind=ChronologyEntry.Kind.STATUS,
                     occurred_at=start_of(ended_on), title=f"{status} ended", written_by=ended_by)  # fmt: skip
    publish("status_changed", case=status.case, changed_by=ended_by)
    return status
