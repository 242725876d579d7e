"""Pre-proceedings under the Public Law Outline, with family group decision making, as the CIN
census (2026-27) asks for them. A record is started when the legal planning meeting decides to
start pre-proceedings and filled in as the work goes on, on the same page; it closes with the
decision to step up or down. Each date follows what it depends on: the letter before proceedings
and the first meeting come after the start, the meeting after the letter that invites the family
to it, the decision after the meeting, and the court application and the letter initiating
proceedings after a decision to issue."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.dates import check_not_in_future, long_date, start_of
from cases.models import Case, ChronologyEntry, User
from cases.services.children import chronology_write
from cases.services.writes import locked, locked_case, save_as
from planning.models import PreProceedings
from planning.services.meetings import check_visible
from planning.services.plans import can_write_plan

Outcome = PreProceedings.Outcome
FIELDS = ("started_on", "letter_sent_on", "fgdm_offered", "fgdm_held", "first_meeting_on", "review_meetings",
          "decided_on", "outcome", "court_application_on", "proceedings_letter_on")  # fmt: skip
# Each date, in words, and the earlier date it may not come before.
DATES = {
    "started_on": ("date pre-proceedings started", None),
    "letter_sent_on": ("date the letter before proceedings was sent", "started_on"),
    "first_meeting_on": ("date of the first pre-proceedings meeting", "letter_sent_on"),
    "decided_on": ("date of the decision to step up or down", "first_meeting_on"),
    "court_application_on": ("date the application to court was made", "decided_on"),
    "proceedings_letter_on": ("date the letter initiating proceedings was sent", "decided_on"),
}
AFTER_WHAT = {"started_on": "pre-proceedings started", "letter_sent_on": "the letter before proceedings was sent",
              "first_meeting_on": "the first meeting", "decided_on": "the decision"}  # fmt: skip


def can_record_pre_proceedings(user: User, case: Case) -> bool:
    """The allocated worker or a manager of the case (the legal planning meeting's decision is
    theirs to record)."""
    return can_write_plan(user, case)


def _earliest_before(values: dict, field: str) -> tuple[str, date] | None:
    """The nearest recorded date this one may not come before (the chain skips a date not yet known)."""
    before = DATES[field][1]
    while before is not None:
        if values.get(before) is not None:
            return before, values[before]
        before = DATES[before][1]
    return None


def _check(values: dict) -> dict:
    errors: dict[str, str] = {}
    for field, (words, _) in DATES.items():
        day = values.get(field)
        if day is None and field != "started_on":
            continue
        try:
            check_not_in_future(day, field, words)
        except ValidationError as error:
            errors |= error.message_dict
            continue
        earlier = _earliest_before(values, field)
        if earlier is not None and earlier[0] not in errors and day < earlier[1]:
            errors[field] = (f"The {words} must be on or after {long_date(earlier[1])}, "
                             f"when {AFTER_WHAT[earlier[0]]}")  # fmt: skip
    if values.get("letter_sent_on") is None and values.get("fgdm_offered") is not None:
        errors["fgdm_offered"] = "Leave this blank until the letter before proceedings is sent"
    elif values.get("letter_sent_on") is not None and values.get("fgdm_offered") is None:
        errors["fgdm_offered"] = "Select whether the letter offered a family group decision-making meeting"
    if values.get("fgdm_held") is not None and values.get("fgdm_offered") is not True:
        errors["fgdm_held"] = "Leave this blank: a family group decision-making meeting was not offered"
    count = values.get("review_meetings")
    if count is None or not 0 <= count <= 99:
        errors["review_meetings"] = "Enter the number of review meetings held, from 0 to 99"
    elif count and values.get("first_meeting_on") is None:
        errors["review_meetings"] = "Enter the date of the first meeting before counting review meetings"
    outcome, decided = values.get("outcome") or "", values.get("decided_on")
    if outcome and outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome"
    elif decided is not None and not outcome:
        errors["outcome"] = "Select the outcome of the decision"
    elif outcome and decided is None and "decided_on" not in errors:
        errors["decided_on"] = "Enter the date of the decision to step up or down"
    if outcome != Outcome.ISSUE:
        for field in ("court_application_on", "proceedings_letter_on"):
            if values.get(field) is not None and field not in errors:
                errors[field] = f"Leave the {DATES[field][0]} blank unless the decision was to issue care proceedings"
    return errors


def _values(fields: dict) -> dict:
    values = {name: fields.get(name) for name in FIELDS}
    values["outcome"] = values["outcome"] or ""
    return values


def _title(record: PreProceedings) -> str:
    if record.decided_on is None:
        return "Pre-proceedings started"
    return f"Pre-proceedings ended: {record.get_outcome_display()[0].lower()}{record.get_outcome_display()[1:]}"


@transaction.atomic
def pre_proceedings_start(*, case: Case, recorded_by: User, **fields) -> PreProceedings:
    """Record that pre-proceedings started, with what is known so far; nothing is saved if anything
    is wrong. `fields` are the record's (FIELDS): any not given is not known yet."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_record_pre_proceedings(recorded_by, case):
        raise PermissionDenied
    values = _values({"review_meetings": 0, **fields})
    errors = _check(values)
    current = PreProceedings.objects.filter(case=case, decided_on=None).first()
    if current is not None:
        errors["started_on"] = (f"Pre-proceedings that started on {long_date(current.started_on)} are still open: "
                                "update them instead")  # fmt: skip
    if errors:
        raise ValidationError(errors)
    record = PreProceedings(authority_id=case.authority_id, case=case, child=case.child, recorded_by=recorded_by,
                            **values)  # fmt: skip
    save_as(record, recorded_by)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.DECISION,
                     occurred_at=start_of(record.started_on).replace(hour=12), title="Pre-proceedings started",
                     written_by=recorded_by)  # fmt: skip
    if record.decided_on is not None:
        _decided(record, recorded_by)
    return record


@transaction.atomic
def pre_proceedings_update(*, record: PreProceedings, recorded_by: User, **fields) -> PreProceedings:
    """Correct or add to a pre-proceedings record (its history keeps every earlier answer)."""
    record = locked(PreProceedings, pk=record.pk, related=("case", "child"))
    check_visible(recorded_by, record.case)
    if not can_record_pre_proceedings(recorded_by, record.case):
        raise PermissionDenied
    values = _values({name: getattr(record, name) for name in FIELDS} | fields)
    errors = _check(values)
    if record.decided_on is not None and values["decided_on"] is None:
        errors["decided_on"] = "Enter the date of the decision: a decision recorded is corrected, not removed"
    if errors:
        raise ValidationError(errors)
    newly_decided = record.decided_on is None and values["decided_on"] is not None
    for name, value in values.items():
        setattr(record, name, value)
    save_as(record, recorded_by)
    if newly_decided:
        _decided(record, recorded_by)
    return record


def _decided(record: PreProceedings, recorded_by: User) -> None:
    chronology_write(child=record.child, case=record.case, kind=ChronologyEntry.Kind.DECISION,
                     occurred_at=start_of(record.decided_on).replace(hour=12), title=_title(record),
                     written_by=recorded_by)  # fmt: skip
