"""What the SSDA903 return asks of looked-after children and care leavers each year, recorded where
the practitioner does the work: the social worker's yearly health and wellbeing record (OC2), and
what the personal adviser finds at the contact around a care leaver's birthday (OC3), which is
recorded with that contact (`care_check_record`), under the same rule for who may record it.

Neither is deleted: a wrong record is followed by a right one (the return reads the latest), and
the history keeps both."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.codes.ssda903 import (
    CARE_LEAVER_ACCOMMODATION_KINDS,
    CARE_LEAVER_ACTIVITIES,
    IN_TOUCH,
    NEVER_SUITABLE,
    SDQ_REASONS,
)
from cases.dates import check_not_in_future, long_date, start_of
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.services.children import chronology_write
from cases.services.writes import locked_case, save_as
from planning.models import CareCheck, CareLeaverContact, HealthOutcome
from planning.services.looked_after import care_check_record, care_period_start
from planning.services.meetings import check_visible
from planning.services.plans import can_write_plan

SDQ_SCORES = range(0, 41)
# The yes/no answers of OC2 and what each error says is missing.
HEALTH_ANSWERS = {
    "immunisations_up_to_date": "whether the child's immunisations are up to date",
    "teeth_checked": "whether the child had a dental check in the year",
    "health_assessment_up_to_date": "whether the child's health assessment is up to date",
    "substance_misuse": "whether the child was identified as having a substance misuse problem",
    "convicted": "whether the child was convicted, or given a final warning or reprimand, in the year",
}
INTERVENTION_ANSWERS = {
    "intervention_received": "whether the child received an intervention for substance misuse",
    "intervention_refused": "whether the child was offered an intervention and refused it",
}
HEALTH_CHECK_WHAT = "whether the child's health check-up (development assessments) is up to date"
# OC2's HEALTH_CHECK is asked of a child under this age (the DfE's rules 545 and 546).
HEALTH_CHECK_UNDER = 5
# An SDQ recorded this long before the health record is the year's.
SDQ_YEAR = timedelta(days=365)


def asks_health_check(child, recorded_on: date | None) -> bool | None:
    """Whether the health check-up is asked of the child on the date recorded: True under 5, False
    from 5, None where that is not known (no date of birth, or no date yet)."""
    age = child.age_on(recorded_on) if recorded_on is not None else None
    return None if age is None else age < HEALTH_CHECK_UNDER


def health_check_shown(case: Case) -> bool | None:
    """For the page: whether the health check-up is asked on every date the record may have (from
    the start of the child's period of care to today: True), on none (False), or on some, or the
    child's age is not known (None)."""
    looked_after = LegalStatus.objects.filter(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None).first()
    today = timezone.localdate()
    first = asks_health_check(case.child, care_period_start(case, looked_after) if looked_after else today)
    return first if first == asks_health_check(case.child, today) else None


def health_check_errors(child, recorded_on: date | None, health_check: bool | None) -> dict[str, str]:
    """Required of a child under 5 on the date recorded, refused from 5; either is accepted where
    the child's age that day is not known."""
    asked = asks_health_check(child, recorded_on)
    if asked and health_check is None:
        return {"health_check": f"Select {HEALTH_CHECK_WHAT}: it is asked of a child under 5"}
    if asked is False and health_check is not None:
        return {"health_check": "Leave this blank: the health check-up is asked only of a child under 5 on the "
                                "date recorded"}  # fmt: skip
    return {}


def _sdq_errors(errors: dict, score, reason: str) -> None:
    if score is not None and reason:
        errors["sdq_reason"] = "Leave the reason blank when you give an SDQ score"
    elif score is None and not reason:
        errors["sdq_score"] = "Enter the SDQ score, or select why there is none"
    elif score is not None and (not isinstance(score, int) or score not in SDQ_SCORES):
        errors["sdq_score"] = "The SDQ score must be a whole number from 0 to 40"
    elif reason and reason not in dict(SDQ_REASONS.choices):
        errors["sdq_reason"] = "Select why there is no SDQ score"


@transaction.atomic
def health_outcome_record(*, case: Case, recorded_by: User, recorded_on: date | None, sdq_score: int | None,
                          sdq_reason: str, immunisations_up_to_date: bool | None, teeth_checked: bool | None,
                          health_assessment_up_to_date: bool | None, substance_misuse: bool | None,
                          intervention_received: bool | None, intervention_refused: bool | None,
                          convicted: bool | None, health_check: bool | None = None) -> HealthOutcome:  # fmt: skip
    """The social worker's yearly record of the child's health and wellbeing. A score where no SDQ
    was recorded in the year before also records the SDQ (meeting its clock). `health_check` (OC2's
    HEALTH_CHECK) is required of a child under 5 on the date recorded and refused from 5."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_write_plan(recorded_by, case):
        raise PermissionDenied
    answers = {"immunisations_up_to_date": immunisations_up_to_date, "teeth_checked": teeth_checked,
               "health_assessment_up_to_date": health_assessment_up_to_date, "substance_misuse": substance_misuse,
               "convicted": convicted}  # fmt: skip
    intervention = {"intervention_received": intervention_received, "intervention_refused": intervention_refused}
    errors = {}
    try:
        check_not_in_future(recorded_on, "recorded_on", "date recorded")
    except ValidationError as error:
        errors |= error.message_dict
    looked_after = LegalStatus.objects.filter(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None).first()
    if "recorded_on" not in errors and looked_after is None:
        errors["recorded_on"] = "The child is not looked after: this record is for looked-after children"
    elif "recorded_on" not in errors and recorded_on < (period_start := care_period_start(case, looked_after)):
        errors["recorded_on"] = (f"The date recorded must be on or after {long_date(period_start)}, "
                                 "when the child became looked after")  # fmt: skip
    _sdq_errors(errors, sdq_score, sdq_reason or "")
    errors |= {field: f"Select {what}" for field, what in HEALTH_ANSWERS.items() if answers[field] is None}
    for field, what in INTERVENTION_ANSWERS.items():
        if substance_misuse and intervention[field] is None:
            errors[field] = f"Select {what}"
        elif substance_misuse is False and intervention[field] is not None:
            errors[field] = "Leave this blank: no substance misuse problem was identified"
    if "recorded_on" not in errors:
        errors |= health_check_errors(case.child, recorded_on, health_check)
    if errors:
        raise ValidationError(errors)
    outcome = HealthOutcome(authority_id=case.authority_id, case=case, child=case.child, recorded_on=recorded_on,
                            sdq_score=sdq_score, sdq_reason=sdq_reason or "", recorded_by=recorded_by, **answers,
                            **intervention, health_check=health_check)  # fmt: skip
    save_as(outcome, recorded_by)
    year = CareCheck.objects.filter(case=case, kind=CareCheck.Kind.SDQ, done_on__gt=recorded_on - SDQ_YEAR,
                                    done_on__lte=recorded_on)  # fmt: skip
    if sdq_score is not None and not year.exists():
        care_check_record(case=case, kind=CareCheck.Kind.SDQ, done_on=recorded_on, notes=f"Score {sdq_score}",
                          recorded_by=recorded_by)  # fmt: skip
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN,
                     occurred_at=start_of(recorded_on).replace(hour=12), title=str(outcome),
                     written_by=recorded_by)  # fmt: skip
    return outcome


def care_leaver_errors(*, in_touch: str, activity: str, accommodation: str,
                       accommodation_suitable: bool | None) -> dict[str, str]:  # fmt: skip
    """OC3's rules: nothing more is asked where the young person died or returned home; otherwise
    an activity and the accommodation with whether it suits them (no fixed abode and custody
    never do)."""
    errors = {}
    if in_touch not in dict(IN_TOUCH.choices):
        return {"in_touch": "Select whether you are in touch with the young person"}
    not_asked = in_touch in CareLeaverContact.NOT_ASKED
    given = {"activity": activity, "accommodation": accommodation}
    if not_asked:
        errors |= {field: "Leave this blank: it is not asked when the young person has died or returned home"
                   for field, value in given.items() if value}  # fmt: skip
        if accommodation_suitable is not None:
            errors["accommodation_suitable"] = ("Leave this blank: it is not asked when the young person has died "
                                                "or returned home")  # fmt: skip
        return errors
    if activity not in dict(CARE_LEAVER_ACTIVITIES.choices) or activity == "0":
        errors["activity"] = "Select the young person's main activity"
    if accommodation not in dict(CARE_LEAVER_ACCOMMODATION_KINDS):
        errors["accommodation"] = "Select the kind of accommodation"
    if accommodation_suitable is None:
        errors["accommodation_suitable"] = "Select whether the accommodation is suitable"
    elif accommodation_suitable and accommodation in NEVER_SUITABLE:
        errors["accommodation_suitable"] = ("No fixed abode and custody are always recorded as not suitable: "
                                            "select no")  # fmt: skip
    return errors


@transaction.atomic
def care_leaver_contact_record(*, case: Case, recorded_by: User, done_on: date | None, notes: str, in_touch: str,
                               activity: str, accommodation: str,
                               accommodation_suitable: bool | None) -> CareLeaverContact:  # fmt: skip
    """The personal adviser's contact around the birthday (meeting the contact clock, as any
    adviser contact does) with what they found. Both are saved, or neither."""
    errors = care_leaver_errors(in_touch=in_touch, activity=activity or "", accommodation=accommodation or "",
                                accommodation_suitable=accommodation_suitable)  # fmt: skip
    try:
        contact = care_check_record(case=case, kind=CareCheck.Kind.ADVISER_CONTACT, done_on=done_on, notes=notes,
                                    recorded_by=recorded_by)  # fmt: skip
    except ValidationError as error:
        raise ValidationError(error.message_dict | errors) from None
    if errors:
        raise ValidationError(errors)
    found = CareLeaverContact(authority_id=case.authority_id, case=contact.case, child=contact.child, contact=contact,
                              in_touch=in_touch, activity=activity or "", accommodation=accommodation or "",
                              accommodation_suitable=accommodation_suitable, recorded_by=recorded_by)  # fmt: skip
    save_as(found, recorded_by)
    return found
