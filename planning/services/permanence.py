"""Previous permanence (the SSDA903 PrevPerm table): asked when a child starts to be looked after,
whether they had left care before through adoption, a special guardianship order or a child
arrangements order, and for those, which authority arranged it and when. P4 (not known) and Z1
(none) take neither (validator rule 635). The order's date may have its day, or day and month,
unknown (the return writes "zz" for them, rule 632), and comes before the period of care."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.codes.ssda903 import PREVIOUS_PERMANENCE
from cases.dates import EARLIEST, LATEST, date_in_range, long_date
from cases.models import Case, LegalStatus, User
from cases.services.writes import first_locked, locked_case, save_as
from planning.models import PreviousPermanence
from planning.services.looked_after import care_period_start
from planning.services.meetings import check_visible
from planning.services.plans import can_write_plan

Known = PreviousPermanence.Known
WITH_DETAILS = ("P1", "P2", "P3")
# LA_PERM's valid values, as validator rule 633 lists them: English authorities' DfE numbers, and
# the codes for an order made in Wales, Scotland, Northern Ireland or outside the UK.
LA_CODES = frozenset([
    "800", "889", "822", "301", "304", "303", "330", "825", "837", "302", "846", "370", "350", "890", "867", "380",
    "305", "801", "351", "873", "823", "895", "896", "381", "909", "202", "908", "331", "306", "841", "830", "831",
    "878", "371", "835", "332", "840", "307", "308", "811", "881", "845", "390", "916", "203", "876", "850", "311",
    "204", "884", "312", "205", "313", "805", "919", "310", "309", "420", "921", "206", "207", "886", "810", "382",
    "314", "340", "888", "208", "856", "383", "855", "209", "925", "341", "201", "821", "352", "806", "887", "826",
    "315", "929", "812", "391", "926", "892", "813", "802", "928", "891", "392", "316", "815", "353", "931", "879",
    "836", "851", "874", "807", "354", "317", "870", "318", "372", "857", "333", "935", "343", "803", "373", "342",
    "893", "356", "355", "871", "394", "334", "933", "882", "936", "861", "852", "319", "860", "808", "393", "866",
    "210", "357", "894", "883", "880", "358", "211", "937", "869", "320", "359", "865", "384", "335", "336", "212",
    "868", "872", "885", "344", "877", "213", "938", "816", "999", "WAL", "SCO", "NUK", "NIR",
])  # fmt: skip


def _looked_after(case: Case) -> LegalStatus | None:
    return case.statuses.filter(kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None).first()


def can_record_previous_permanence(user: User, case: Case) -> bool:
    return can_write_plan(user, case) and _looked_after(case) is not None


def _made_on(errors: dict, day: int | None, month: int | None, year: int | None) -> tuple[date | None, str]:
    """The date from its known parts, and which parts are known."""
    if year is None:
        errors["made_year"] = "Enter at least the year of the order"
        return None, ""
    if day is not None and month is None:
        errors["made_month"] = "Enter the month of the order, or leave the day blank too"
        return None, ""
    try:
        made_on = date(year, month or 1, day or 1)
    except (ValueError, OverflowError):
        field = "made_day" if day is not None and month is not None and 1 <= month <= 12 else "made_month"
        errors[field if month is not None else "made_year"] = "The date of the order must be a real date"
        return None, ""
    return made_on, Known.DAY if day is not None else Known.MONTH if month is not None else Known.YEAR


@transaction.atomic
def previous_permanence_record(*, case: Case, code: str, recorded_by: User, made_by: str = "",
                               made_day: int | None = None, made_month: int | None = None,
                               made_year: int | None = None) -> PreviousPermanence:  # fmt: skip
    """Record, or correct, the answer for this case; nothing is saved if anything is wrong."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_write_plan(recorded_by, case):
        raise PermissionDenied
    status = _looked_after(case)
    if status is None:
        raise ValidationError({"code": "The child is not looked after"})
    errors: dict[str, str] = {}
    made_by = (made_by or "").strip().upper()
    made_on, known = None, ""
    if code not in dict(PREVIOUS_PERMANENCE.choices):
        errors["code"] = "Select whether the child had a previous permanence order"
    elif code in WITH_DETAILS:
        if not made_by:
            errors["made_by"] = "Enter the local authority that arranged the order"
        elif made_by not in LA_CODES:
            errors["made_by"] = ("Enter the local authority's 3-digit DfE number, like 383 for Leeds, or WAL, SCO, "
                                 "NIR or NUK for an order made outside England")  # fmt: skip
        made_on, known = _made_on(errors, made_day, made_month, made_year)
        start = care_period_start(case, status)
        if made_on is not None and not date_in_range(made_on):
            errors["made_year"] = f"The year of the order must be between {EARLIEST.year} and {LATEST.year}"
        elif made_on is not None and made_on >= start:
            errors["made_year"] = (f"The date of the order must be before {long_date(start)}, when the child "
                                   "started to be looked after")  # fmt: skip
    else:
        for field, value in (("made_by", made_by), ("made_day", made_day), ("made_month", made_month),
                             ("made_year", made_year)):  # fmt: skip
            if value not in (None, ""):
                errors[field] = ("Leave the local authority and date blank when the child had no previous "
                                 "permanence order, or it is not known")  # fmt: skip
    if errors:
        raise ValidationError(errors)
    record = first_locked(PreviousPermanence.objects.filter(case=case)) or PreviousPermanence(
        authority_id=case.authority_id, case=case, child=case.child)  # fmt: skip
    record.code, record.made_by, record.made_on, record.made_on_known = code, made_by, made_on, known
    record.recorded_by = recorded_by
    save_as(record, recorded_by)
    return record


def previous_permanence_of(case: Case | None) -> PreviousPermanence | None:
    return None if case is None else PreviousPermanence.objects.filter(case=case).first()
