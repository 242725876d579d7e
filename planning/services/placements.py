"""Placements of a looked-after child. Each change is raised as `placement_changed`, so the
child's visit schedule (visits) follows it in the same transaction."""

import re
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.codes import PLACEMENT_TYPES, collection_year_label, collection_year_of
from cases.codes.ssda903 import EPISODE_END_REASONS, PLACEMENT_CHANGE_REASONS, PLACEMENT_PROVIDERS
from cases.concurrency import check_version
from cases.dates import check_not_in_future, long_date, start_of
from cases.events import publish
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.selectors.children import can_write_case, manages_case
from cases.services.children import chronology_write
from cases.services.writes import first_locked, locked, locked_case, save_as, save_changes
from planning.models import Placement
from planning.services.leaving_care import placement_moved
from planning.services.looked_after import care_period_start, placement_opened

# The DfE's rules on which placements carry which SSDA903 fields (csc-validator-be-903): no provider
# for a temporary or "other" placement (rules 178, 213, 526), PR0 only with own parents (550); no
# URN but "XXXXXXX" where Ofsted registers no such provider (218, 222); no coded reason for a move
# into or out of a temporary placement (225, 226). Z1 is the "other" type before 2025.
TEMPORARY = frozenset({"T0", "T1", "T2", "T3", "T4"})
NO_PROVIDER = TEMPORARY | {"Z1", "Z11", "Z12", "Z13", "Z14"}
NO_URN = NO_PROVIDER | {"P1", "P3", "R1", "R2", "R5"}
OWN_PARENTS, PARENTS_PROVIDER = "P1", "PR0"
# What the DfE asks for where a placement that should have a URN has none: placed outside England,
# or with a provider Ofsted has not registered.
URN_NONE = "XXXXXXX"
CONTINUES = "X1"  # the end reason of an episode that another follows the same day
URN_FORMAT = re.compile(r"SC\d{6}|\d{6,7}|XXXXXXX")
POSTCODE_FORMAT = re.compile(r"(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})")


def normal_postcode(postcode: str) -> str:
    """Upper case, one space before the inward code (the last three characters)."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def returns_fields_errors(*, placement_type: str, provider: str | None, postcode: str | None,
                          urn: str | None) -> dict[str, str]:  # fmt: skip
    """The DfE's checks on a placement's provider, postcode and URN. None is a field the caller did
    not ask (the adoption step, older callers): it is not checked, and nothing is stored for it."""
    errors = {}
    if provider is not None:
        if provider and provider not in dict(PLACEMENT_PROVIDERS.choices):
            errors["provider"] = "Select the placement provider"
        elif placement_type in NO_PROVIDER and provider:
            errors["provider"] = ("The DfE records no placement provider for a temporary or ‘other’ placement: "
                                  "leave the placement provider blank")  # fmt: skip
        elif placement_type and placement_type not in NO_PROVIDER and not provider:
            errors["provider"] = "Select the placement provider"
        elif provider == PARENTS_PROVIDER and placement_type != OWN_PARENTS:
            errors["provider"] = ("The placement provider can be parents only for a placement with the child's "
                                  "own parents or another person with parental responsibility")  # fmt: skip
    if postcode is not None and postcode.strip() and not POSTCODE_FORMAT.fullmatch(normal_postcode(postcode)):
        errors["postcode"] = "Enter the postcode of the placement in the right format, like LS1 4AB"
    if urn is not None:
        urn = urn.strip().upper()
        if urn and not URN_FORMAT.fullmatch(urn):
            errors["urn"] = ("Enter the Ofsted URN in the right format: SC and 6 digits, 6 or 7 digits, "
                             "or XXXXXXX if the provider has none")  # fmt: skip
        elif placement_type in NO_URN and urn not in ("", URN_NONE):
            errors["urn"] = ("The DfE records no Ofsted URN for this type of placement: leave the Ofsted URN "
                             "blank")  # fmt: skip
        elif placement_type and placement_type not in NO_URN and not urn:
            errors["urn"] = ("Enter the Ofsted URN of the provider, or XXXXXXX if it has none (placed outside "
                             "England, or not registered)")  # fmt: skip
    return errors


def move_reason_errors(*, ending: Placement, placement_type: str, move_reason: str | None) -> dict[str, str]:
    """The coded reason for a move: needed between two placements that are not temporary, and not
    given where either is (the DfE's rules 225 and 226)."""
    if move_reason is None:
        return {}
    temporary = ending.placement_type in TEMPORARY or placement_type in TEMPORARY
    if move_reason and move_reason not in dict(PLACEMENT_CHANGE_REASONS.choices):
        return {"move_reason": "Select the reason for the change of placement"}
    if temporary and move_reason:
        return {"move_reason": "The DfE records no reason for a move into or out of a temporary placement: "
                               "leave the reason for the change of placement blank"}  # fmt: skip
    if not temporary and not move_reason:
        return {"move_reason": "Select the reason for the change of placement"}
    return {}


def placement_changed_publish(case: Case, changed_by: User) -> None:
    """Tell the rest of the service (visits) what the child's current placement is now."""
    current = Placement.objects.filter(case=case, ended_on=None).first()
    publish("placement_changed", case=case, changed_by=changed_by,
            placement_started_on=current.started_on if current else None,
            permanence_agreed_on=current.permanence_agreed_on if current else None)  # fmt: skip


@transaction.atomic
def placement_start(*, case: Case, recorded_by: User, placement_type: str, carer: str, started_on: date | None,
                    change_reason: str = "", emergency: bool = False, started_at: datetime | None = None,
                    provider: str | None = None, postcode: str | None = None, urn: str | None = None,
                    move_reason: str | None = None) -> Placement:  # fmt: skip
    """A new placement; the current one (if any) ends the day this one starts, and the reason for
    the move is then required (in words, and as the DfE's code where `move_reason` is asked: it is
    stored on the placement that ends, as the DfE reads it). Its provider, postcode and Ofsted URN
    are checked against the DfE's rules for its type. It opens the placement planning meeting
    clock (and the care plan's, for the first placement of the period of care); `emergency` uses
    the unplanned-move values."""
    case = locked_case(case)
    if not can_write_case(recorded_by, case):
        raise PermissionDenied
    return placement_begin(case=case, recorded_by=recorded_by, placement_type=placement_type, carer=carer,
                           started_on=started_on, change_reason=change_reason, emergency=emergency,
                           started_at=started_at, provider=provider, postcode=postcode, urn=urn,
                           move_reason=move_reason)  # fmt: skip


def placement_begin(*, case: Case, recorded_by: User, placement_type: str, carer: str, started_on: date | None,
                    change_reason: str = "", emergency: bool = False, started_at: datetime | None = None,
                    provider: str | None = None, postcode: str | None = None, urn: str | None = None,
                    move_reason: str | None = None) -> Placement:  # fmt: skip
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
    known_type = "" if "placement_type" in errors else placement_type
    errors |= returns_fields_errors(placement_type=known_type, provider=provider, postcode=postcode, urn=urn)
    if current is not None and known_type:
        errors |= move_reason_errors(ending=current, placement_type=placement_type, move_reason=move_reason)
    if errors:
        raise ValidationError(errors)
    if current is not None:
        # The child is still looked after, so the episode the move ends is followed the same day.
        current.ended_on, current.end_reason, current.move_reason = started_on, CONTINUES, move_reason or ""
        save_as(current, recorded_by, update_fields=["ended_on", "end_reason", "move_reason"])
    placement = Placement(authority_id=case.authority_id, case=case, child=case.child, placement_type=placement_type,
                          carer=carer.strip(), started_on=started_on, change_reason=(change_reason or "").strip(),
                          provider=provider or "", postcode=normal_postcode(postcode or ""),
                          urn=(urn or "").strip().upper(), recorded_by=recorded_by)  # fmt: skip
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
def placement_end(*, placement: Placement, ended_on: date | None, end_reason: str, recorded_by: User) -> Placement:
    """The placement ends with none after it, so the child's episode of care ends: why, in the DfE's
    words, is required. A move to another placement is placement_start's, which ends this one."""
    case = locked_case(placement.case)  # the case first, in the order placement_start locks them
    if not can_write_case(recorded_by, case):
        raise PermissionDenied
    placement = locked(Placement, pk=placement.pk, related=["child"])
    if placement.ended_on is not None:
        raise ValidationError({"ended_on": f"This placement ended on {long_date(placement.ended_on)}"})
    errors = {}
    try:
        check_not_in_future(ended_on, "ended_on", "end date")
    except ValidationError as error:
        errors |= error.message_dict
    if "ended_on" not in errors and ended_on < placement.started_on:
        errors["ended_on"] = (f"The end date must be on or after {long_date(placement.started_on)}, "
                              "when the placement started")  # fmt: skip
    if end_reason not in dict(EPISODE_END_REASONS.choices) or end_reason == CONTINUES:
        errors["end_reason"] = "Select why the placement ended"
    if errors:
        raise ValidationError(errors)
    placement.ended_on, placement.end_reason = ended_on, end_reason
    save_as(placement, recorded_by, update_fields=["ended_on", "end_reason"])
    chronology_write(child=placement.child, case=case, kind=ChronologyEntry.Kind.PLACEMENT,
                     occurred_at=start_of(ended_on), title=f"Placement ended: {placement}",
                     detail=EPISODE_END_REASONS.label(end_reason), written_by=recorded_by)  # fmt: skip
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


# What a correction may change: the placement's own description, not when it ran (its dates start
# clocks and visits, so a wrong date is a new placement or an ending, recorded as such).
CORRECTABLE = ("placement_type", "carer", "provider", "postcode", "urn")


def type_year_of(placement: Placement) -> int:
    """The collection year whose list the placement's type must be in: the last one it is current
    in (this year's while it is open), since that is the return it will next appear in."""
    return collection_year_of(placement.ended_on or timezone.localdate())


def _type_errors(placement: Placement, placement_type: str) -> dict[str, str]:
    if placement_type not in dict(PLACEMENT_TYPES.choices):
        return {"placement_type": "Select the type of placement"}
    year = type_year_of(placement)
    # An ended placement keeps the code it was returned with; an open one must be coded as this
    # year's return needs it, which is how a P2 or Z1 from before April 2025 gets recoded.
    kept = placement.ended_on is not None and placement_type == placement.placement_type
    if not kept and placement_type not in PLACEMENT_TYPES.valid_in(year):
        label = PLACEMENT_TYPES.label(placement_type)
        when = "a placement current in" if placement.ended_on is None else "a placement that ended in"
        return {"placement_type": f"The DfE does not accept ‘{label}’ for {when} {collection_year_label(year)}: "
                                  "choose one of that year's types"}  # fmt: skip
    return {}


def _moves_errors(placement: Placement, placement_type: str) -> dict[str, str]:
    """Recoding a placement to or from a temporary type changes whether the moves into and out of
    it carry a coded reason (the DfE's rules 225 and 226); refuse where a recorded move would then
    be wrong, rather than leave the return to find it."""
    if (placement.placement_type in TEMPORARY) == (placement_type in TEMPORARY):
        return {}
    siblings = Placement.objects.filter(case_id=placement.case_id).exclude(pk=placement.pk)
    before = siblings.filter(ended_on=placement.started_on, end_reason=CONTINUES).first()
    after = siblings.filter(started_on=placement.ended_on).first() if placement.ended_on else None
    recoded = Placement(placement_type=placement_type)
    wrong = (before is not None and move_reason_errors(ending=before, placement_type=placement_type,
                                                       move_reason=before.move_reason))  # fmt: skip
    wrong = wrong or (after is not None and placement.end_reason == CONTINUES and move_reason_errors(
        ending=recoded, placement_type=after.placement_type, move_reason=placement.move_reason))  # fmt: skip
    if not wrong:
        return {}
    return {"placement_type": "A move into or out of this placement is recorded with a reason that would be wrong "
                              "for the DfE if it became temporary or stopped being temporary: record the type "
                              "it had, or ask for the move to be corrected first"}  # fmt: skip


def _described(name: str, value: str) -> str:
    if name == "placement_type":
        return PLACEMENT_TYPES.label(value)
    if name == "provider":
        return PLACEMENT_PROVIDERS.label(value)
    if name == "urn" and value == URN_NONE:
        return "none (placed outside England or not registered)"
    return value


def _what_changed(placement: Placement, fields: dict) -> list[str]:
    """One plain sentence per field the correction changes, in form order."""
    lines = []
    for name, value in fields.items():
        was = getattr(placement, name)
        if was == value:
            continue
        label = Placement._meta.get_field(name).verbose_name
        if not was:
            lines.append(f"{label} added: {_described(name, value)}")
        elif not value:
            lines.append(f"{label} removed (was {_described(name, was)})")
        else:
            lines.append(f"{label} changed from {_described(name, was)} to {_described(name, value)}")
    return lines


@transaction.atomic
def placement_correct(*, placement: Placement, recorded_by: User, version: int, placement_type: str, carer: str,
                      provider: str, postcode: str, urn: str) -> Placement:  # fmt: skip
    """Correct what was recorded about a placement (open or ended): its type, carer, and the DfE's
    provider, postcode and Ofsted URN, checked as at its start, from the `version` the form was
    opened at (a save made meanwhile is never overwritten). Its dates are not changed here."""
    case = locked_case(placement.case)  # the case first, in the order placement_start locks them
    if not can_write_case(recorded_by, case):
        raise PermissionDenied
    placement = locked(Placement, pk=placement.pk, related=["child"])
    fields = {"placement_type": placement_type, "carer": (carer or "").strip(), "provider": provider or "",
              "postcode": normal_postcode(postcode or ""), "urn": (urn or "").strip().upper()}  # fmt: skip
    check_version(placement, version, CORRECTABLE, "placement")
    errors = _type_errors(placement, placement_type)
    if not fields["carer"]:
        errors["carer"] = "Enter the carer or provider"
    known_type = "" if "placement_type" in errors else placement_type
    errors |= returns_fields_errors(placement_type=known_type, provider=fields["provider"],
                                    postcode=fields["postcode"], urn=fields["urn"])  # fmt: skip
    if known_type:
        errors |= _moves_errors(placement, placement_type)
    if errors:
        raise ValidationError(errors)
    changes = _what_changed(placement, fields)
    if not save_changes(placement, fields, recorded_by):
        return placement
    chronology_write(child=placement.child, case=case, kind=ChronologyEntry.Kind.PLACEMENT, occurred_at=timezone.now(),
                     title=f"Placement details corrected: {placement}", detail="\n".join(changes),
                     written_by=recorded_by)  # fmt: skip
    return placement
