"""Adoption: the steps on a looked-after child's way to adoption, and the clocks each opens or
meets. Every clock opens only where the authority sets a value (reference timescales §3.7: no
national number exists for any of them).

Clocks, by the step that opens them:
  any first step (the plan is      adoption_best_interest_decision, adoption_match, adoption_move_in
  adoption, the best-interest      (Barnet: 6, 10 and 14 months from becoming looked after). They are
  decision, the placement order)   targets for a child whose plan is adoption, so they open when the
                                   record first says so, counted from the start of the period of
                                   care; each is met by its step (the move-in by placement for
                                   adoption), late if the step came after the target.
  placement order                  placement_order_first_review (Leeds, Wiltshire 3 months);
                                   placement_order_not_placed_check (Leeds 9 months: met by placement
                                   for adoption, or "Done" once the plan was reconsidered); the
                                   child's looked-after legal status becomes E1 from that day (below)
  placed for adoption              adoptive_placement_first_review (Leeds 20 working days, Wiltshire
                                   4 weeks); adoption_application_prompt (St Helens 10 weeks, "Done");
                                   the adoptive placement itself (a placement of type A5/A6, with the
                                   DfE's provider, postcode, Ofsted URN and the coded reason for the
                                   move from the placement it ends), so the placement planning
                                   clocks and the visit schedule follow it
  decision reversed (RD1-RD4)      nothing opens; the adoption clocks still open are cancelled with
                                   the reason (the review clocks run on: the child is still looked
                                   after, and their next review is still due). The legal status
                                   stays E1: a placement order lasts until the court revokes it (the
                                   care order then revives), which is recorded as a new legal status
  adoption order hearing           later_life_letter (Wiltshire 10 calendar days, "Done"); the
                                   looked-after status ends (adopted), with every looked-after and
                                   adoption clock cancelled with that reason

Reviews (looked_after.review_clocks, called by lac_review_record): the IRO's looked-after review is the
review these timescales speak of, so one review clock runs at a time. With a placement order and
the child not yet placed, the order's timetable replaces the regular second review and interval
(the order cancels them; a review opens placement_order_review_interval). Once placed for
adoption, reviews restart as if for a new period of care (Leeds, L3957-3964): the regular review
clocks are cancelled, the first review after placement opens adoptive_placement_second_review
(counted from that review, or from the placement where the authority anchors it there, as
Wiltshire does) and later ones adoptive_placement_review_interval. The statutory first review
(lac_first_review) is never cancelled by an order: if it is still open both run, and the first
review held meets both. Where an authority sets none of these, the regular clocks run unchanged.

The placement order's legal status (the DfE's rule 408: a child placed for adoption under a
placement order has legal status E1) is started through cases' legal_status_start, which ends the
open looked-after status (C2, say) the same day. That is not a new period of care
(looked_after.care_period_start follows the statuses back), so no becoming-looked-after clock opens
again and the review clocks run on; planning/episodes.py starts a new SSDA903 episode that day with
RNE "L" (or "B"/"U" where the child is placed for adoption the same day). Who may record the step
(the allocated worker or a manager of the open case, can_write_plan) may also start a status, so
the one permission covers both. Where the status is already E1 nothing more is recorded.

Adoptive placement visits (adoptive_placement_first_visit and the intervals) belong to visits:
planning raises `adoption_changed` and visits schedules them (planning never imports visits).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.codes import LegalStatus as LegalStatusCode
from cases.codes.ssda903 import ADOPTER_LEGAL_STATUSES, ADOPTER_SEXES, PLACED_FOR_ADOPTION_ENDED
from cases.dates import check_not_in_future, long_date, start_of
from cases.events import publish
from cases.models import Case, ChronologyEntry, Deadline, LegalStatus, User
from cases.selectors.children import can_write_case, manages_case
from cases.services.children import chronology_write
from cases.services.deadlines import deadline_cancel
from cases.services.family import legal_status_end, legal_status_start
from cases.services.writes import each_locked, first_locked, locked_case, save_as
from planning.models import Adopters, AdoptionStep, Placement, Plan
from planning.services.clocks import authority_sets, meet_open_on_case, open_clock
from planning.services.looked_after import (
    LOOKED_AFTER_KEYS,
    ORDER_REVIEW_KEYS,
    PLACED_REVIEW_KEYS,
    care_period_start,
    steps_in_period,
)
from planning.services.meetings import check_visible
from planning.services.placements import (
    TEMPORARY,
    move_reason_errors,
    placement_begin,
    placement_changed_publish,
    returns_fields_errors,
)
from planning.services.plans import can_write_plan, plan_close

Kind = AdoptionStep.Kind

# Barnet's permanence targets, each met by the step named.
TARGETS = {
    "adoption_best_interest_decision": Kind.BEST_INTEREST,
    "adoption_match": Kind.MATCH,
    "adoption_move_in": Kind.PLACED,
}
NOT_PLACED_CHECK = "placement_order_not_placed_check"
APPLICATION_PROMPT = "adoption_application_prompt"
LATER_LIFE_LETTER = "later_life_letter"
# Every adoption clock stops when the child stops being looked after (services.on_status_changed);
# the later-life letter, which follows the adoption, does not.
ADOPTION_LOOKED_AFTER_KEYS = (*TARGETS, *ORDER_REVIEW_KEYS, *PLACED_REVIEW_KEYS, NOT_PLACED_CHECK,
                              APPLICATION_PROMPT)  # fmt: skip
ADOPTION_KEYS = (*ADOPTION_LOOKED_AFTER_KEYS, LATER_LIFE_LETTER)
# The steps that change the child's placement or legal status are recorded by those who may change
# those (the allocated worker or a manager), not by the IRO, who records reviews.
CHANGES_STATUS = (Kind.PLACED, Kind.HEARING)
# How the placement ends when the adoption order is made (SSDA903 REC): E11 unopposed, E12 the
# court dispensed with the parents' consent.
ORDER_END_REASONS = ("E11", "E12")
# What must be recorded before a step, and the words for it in the error.
AFTER = {
    Kind.PLACED: (Kind.PLACEMENT_ORDER, "the placement order was granted"),
    Kind.HEARING: (Kind.PLACED, "the child was placed for adoption"),
    Kind.REVERSED: (Kind.BEST_INTEREST, "the decision that adoption is in the child's best interest was made"),
}
# A reversal leaves nothing to count towards, so the adoption clocks stop; the reviews' own
# clocks do not, because the child is still looked after and still to be reviewed.
REVERSAL_CANCELS = (*TARGETS, NOT_PLACED_CHECK, APPLICATION_PROMPT)
# The SSDA903 AD1 details of the adopters are asked where the child is matched, or placed if the
# match did not ask them.
ADOPTERS_ASKED = (Kind.MATCH, Kind.PLACED)
SINGLE_ADOPTER_SEXES = ("M1", "F1")
# Which couples each legal status can describe: "different genders" needs a man and a woman.
DIFFERENT_GENDERS, SAME_GENDER = ("L11", "L3"), ("L12", "L4")
# The SSDA903 legal status of a child under a placement order (rule 408).
PLACEMENT_ORDER_STATUS = LegalStatusCode.E1


def _looked_after(case: Case) -> LegalStatus | None:
    return LegalStatus.objects.filter(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None).first()


def can_record_step(user: User, case: Case, kind: str | None = None) -> bool:
    if kind in CHANGES_STATUS:
        return case.is_open and (can_write_case(user, case) or manages_case(user, case))
    return can_write_plan(user, case)


def _cancel(case: Case, keys, reason: str) -> None:
    for deadline in Deadline.objects.filter(case=case, key__in=keys, status=Deadline.Status.OPEN):
        deadline_cancel(deadline=deadline, reason=reason)


def _check(case: Case, kind: str, happened_on: date | None, carer: str, steps: dict, period: date) -> dict:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = "Select the adoption step"
    elif Kind.REVERSED in steps:
        errors["kind"] = (f"The decision to place for adoption was reversed on "
                          f"{long_date(steps[Kind.REVERSED].happened_on)}")  # fmt: skip
    elif kind in steps:
        errors["kind"] = f"{Kind(kind).label} is already recorded, on {long_date(steps[kind].happened_on)}"
    elif kind in AFTER and AFTER[kind][0] not in steps:
        errors["kind"] = f"Record that {AFTER[kind][1]} first"
    try:
        check_not_in_future(happened_on, "happened_on", "date")
    except ValidationError as error:
        errors |= error.message_dict
    if "happened_on" not in errors:
        if happened_on < period:
            errors["happened_on"] = (f"The date must be on or after {long_date(period)}, "
                                     "when the child became looked after")  # fmt: skip
        elif "kind" not in errors and kind in AFTER and happened_on < steps[AFTER[kind][0]].happened_on:
            before = steps[AFTER[kind][0]].happened_on
            errors["happened_on"] = f"The date must be on or after {long_date(before)}, when {AFTER[kind][1]}"
    if kind == Kind.PLACED and not (carer or "").strip():
        errors["carer"] = "Enter the prospective adopters' names"
    return errors


def _order_status_errors(status: LegalStatus, happened_on: date) -> dict[str, str]:
    """The placement order's legal status starts the day it was granted, so that day cannot be before
    the child's current legal status started."""
    if status.legal_status == PLACEMENT_ORDER_STATUS or happened_on >= status.started_on:
        return {}
    return {"happened_on": f"The date must be on or after {long_date(status.started_on)}, when the child's current "
                           f"legal status ({status.get_legal_status_display()}) started"}  # fmt: skip


def adoptive_placement_type(foster_for_adoption: bool) -> str:
    """Placed for adoption under a placement order: A5 with the current foster carers, A6 otherwise."""
    return "A5" if foster_for_adoption else "A6"


def asks_move_reason(case: Case) -> bool:
    """Whether the placed step's page asks the coded reason for the move: the child moves from a
    placement that is not temporary (the DfE's rules 225 and 226; an adoptive placement never is)."""
    current = Placement.objects.filter(case=case, ended_on=None).first()
    return current is not None and current.placement_type not in TEMPORARY


def _placement_errors(case: Case, foster_for_adoption: bool, provider: str | None, postcode: str | None,
                      urn: str | None, move_reason: str | None) -> dict[str, str]:  # fmt: skip
    """The adoptive placement's SSDA903 fields, checked with the step's own so the page shows every
    problem at once (placement_begin checks them again). None is a field not asked."""
    placement_type = adoptive_placement_type(foster_for_adoption)
    errors = returns_fields_errors(placement_type=placement_type, provider=provider, postcode=postcode, urn=urn)
    if postcode is not None and not postcode.strip():
        errors["postcode"] = "Enter the postcode of the adoptive placement (the prospective adopters' home)"
    current = Placement.objects.filter(case=case, ended_on=None).first()
    if current is not None:
        errors |= move_reason_errors(ending=current, placement_type=placement_type, move_reason=move_reason)
    return errors


def check_adopters(number: int | None, sex: str, legal_status: str, were_foster_carers: bool | None) -> dict:
    """The AD1 details, each error on its field: the sex and legal status must describe as many
    adopters as there are (M1 and F1, and L0, only for a single adopter)."""
    errors: dict[str, str] = {}
    if number not in (1, 2):
        errors["adopters_number"] = "Select how many adopters there are"
    if sex not in dict(ADOPTER_SEXES.choices):
        errors["adopters_sex"] = "Select the sex of the adopters"
    elif number == 1 and sex not in SINGLE_ADOPTER_SEXES:
        errors["adopters_sex"] = "For a single adopter, select single man or single woman"
    elif number == 2 and sex in SINGLE_ADOPTER_SEXES:
        errors["adopters_sex"] = "For two adopters, select the couple's sexes"
    if legal_status not in dict(ADOPTER_LEGAL_STATUSES.choices):
        errors["adopters_legal_status"] = "Select the legal status of the adopters"
    elif number == 1 and legal_status != "L0":
        errors["adopters_legal_status"] = "For a single adopter, select single adopter"
    elif number == 2 and legal_status == "L0":
        errors["adopters_legal_status"] = "For two adopters, select the couple's legal status"
    elif "adopters_sex" not in errors and ((legal_status in DIFFERENT_GENDERS and sex in ("MM", "FF"))
                                           or (legal_status in SAME_GENDER and sex == "MF")):  # fmt: skip
        errors["adopters_legal_status"] = "The legal status must match the sexes of the adopters"
    if were_foster_carers is None:
        errors["adopters_were_foster_carers"] = "Select whether the adopters were the child's foster carers"
    return errors


def asks_adopters(case: Case, kind: str) -> bool:
    """Whether this step's page asks the adopters' details: on the match, and on placement for
    adoption where the match (in this period of care) did not record them."""
    if kind == Kind.MATCH:
        return True
    if kind != Kind.PLACED:
        return False
    status = _looked_after(case)
    period = care_period_start(case, status) if status else None
    return period is None or not Adopters.objects.filter(case=case, step__happened_on__gte=period).exists()


@transaction.atomic
def adoption_step_record(*, case: Case, kind: str, happened_on: date | None, recorded_by: User, carer: str = "",
                         foster_for_adoption: bool = False, notes: str = "", reversal_reason: str = "",
                         adopters_number: int | None = None, adopters_sex: str = "", adopters_legal_status: str = "",
                         adopters_were_foster_carers: bool | None = None,
                         adopters_asked: bool = False, order_opposed: str = "",
                         provider: str | None = None, postcode: str | None = None, urn: str | None = None,
                         move_reason: str | None = None) -> AdoptionStep:  # fmt: skip
    """Record an adoption step for a looked-after child: it opens and meets the authority's
    adoption clocks (see the module's docstring); nothing is saved if anything is wrong.

    The adopters' details are required where the page asked them (`adopters_asked`, from
    `asks_adopters`) and checked whenever any is given; a step brought in from an authority's past
    returns may not have them. On the adoption order, `order_opposed` is how the placement ended in
    the DfE's words (ORDER_END_REASONS); a step brought in without it ends the placement unexplained.
    On the placement for adoption, `provider`, `postcode` and `urn` are the adoptive placement's
    (the SSDA903 PLACE_PROVIDER, PL_POST and URN; the postcode is required where asked) and
    `move_reason` the DfE's code for the move from the placement it ends (REASON_PLACE_CHANGE,
    stored on that placement); None is a field not asked, so not checked.
    The placement order starts the looked-after legal status E1 from the day it was granted (see the
    module's docstring)."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_record_step(recorded_by, case, kind):
        raise PermissionDenied
    status = _looked_after(case)
    if status is None:
        raise ValidationError({"kind": "The child is not looked after"})
    period = care_period_start(case, status)
    steps = steps_in_period(case, period)
    errors = _check(case, kind, happened_on, carer, steps, period)
    if kind == Kind.HEARING and order_opposed not in ("", *ORDER_END_REASONS):
        errors["order_opposed"] = "Select whether the adoption order was made with the parents' consent"
    if kind == Kind.REVERSED and reversal_reason not in dict(PLACED_FOR_ADOPTION_ENDED.choices):
        errors["reversal_reason"] = "Select why the decision to place for adoption was reversed"
    if kind == Kind.PLACEMENT_ORDER and not errors:
        errors |= _order_status_errors(status, happened_on)
    if kind == Kind.PLACED:
        errors |= _placement_errors(case, foster_for_adoption, provider, postcode, urn, move_reason)
    details = (adopters_number, adopters_sex, adopters_legal_status, adopters_were_foster_carers)
    with_adopters = kind in ADOPTERS_ASKED and (adopters_asked or details != (None, "", "", None))
    if with_adopters:
        errors |= check_adopters(*details)
    if errors:
        raise ValidationError(errors)
    step = AdoptionStep(authority_id=case.authority_id, case=case, child=case.child, kind=kind, happened_on=happened_on,
                        carer=(carer or "").strip() if kind == Kind.PLACED else "", notes=(notes or "").strip(),
                        reversal_reason=reversal_reason if kind == Kind.REVERSED else "",
                        recorded_by=recorded_by)  # fmt: skip
    save_as(step, recorded_by)
    if with_adopters:
        adopters = Adopters(authority_id=case.authority_id, case=case, child=case.child, step=step,
                            number=adopters_number, sex=adopters_sex, legal_status=adopters_legal_status,
                            were_foster_carers=adopters_were_foster_carers, recorded_by=recorded_by)  # fmt: skip
        save_as(adopters, recorded_by)
    start, done_at = start_of(happened_on), start_of(happened_on).replace(hour=12)
    if kind == Kind.REVERSED:
        _cancel(case, REVERSAL_CANCELS, f"The decision to place the child for adoption was reversed on "
                                        f"{long_date(happened_on)}: {step.get_reversal_reason_display()}")  # fmt: skip
    elif kind != Kind.HEARING:
        _targets_open(case, period)
    met = [key for key, by in TARGETS.items() if by == kind]
    if met:
        meet_open_on_case(case, met, done_at, started_only=False)
    if kind == Kind.PLACEMENT_ORDER:
        _order_granted(case, step, start)
        _order_status_start(case, step, status, recorded_by)
    elif kind == Kind.PLACED:
        _placed(case, step, recorded_by, foster_for_adoption, provider=provider, postcode=postcode, urn=urn,
                move_reason=move_reason)  # fmt: skip
    elif kind == Kind.HEARING:
        _adopted(case, step, status, recorded_by, end_reason=order_opposed)
    title = f"Adoption: {step.get_kind_display()[0].lower()}{step.get_kind_display()[1:]}"
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, occurred_at=done_at,
                     title=f"{title} ({step.carer})" if step.carer else title, detail=step.notes,
                     written_by=recorded_by)  # fmt: skip
    return step


def _targets_open(case: Case, period: date) -> None:
    """Barnet's targets, once per period of care, when the record first shows the plan is adoption."""
    start = start_of(period)
    opened = set(Deadline.objects.filter(case=case, key__in=TARGETS, anchor_at=start).values_list("key", flat=True))
    for key in TARGETS:
        if key not in opened:
            open_clock(key, subject=case, start=start, case=case)


def _order_granted(case: Case, step: AdoptionStep, start: datetime) -> None:
    if open_clock("placement_order_first_review", subject=step, start=start, case=case) is not None:
        _cancel(case, ["lac_second_review", "lac_review_interval"],
                f"A placement order was granted on {long_date(step.happened_on)}: "
                "reviews follow the placement order's timetable")  # fmt: skip
    open_clock(NOT_PLACED_CHECK, subject=step, start=start, case=case)


def _order_status_start(case: Case, step: AdoptionStep, status: LegalStatus, recorded_by: User) -> None:
    """The child's legal status is the placement order's from the day it was granted (rule 408)."""
    if status.legal_status == PLACEMENT_ORDER_STATUS:
        return
    try:
        legal_status_start(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, legal_status=PLACEMENT_ORDER_STATUS,
                           started_on=step.happened_on, recorded_by=recorded_by)  # fmt: skip
    except ValidationError as error:  # the status's own checks, on this form's date
        raise ValidationError({"happened_on" if field == "started_on" else "kind": messages
                               for field, messages in error.message_dict.items()}) from error  # fmt: skip


def _placed(case: Case, step: AdoptionStep, recorded_by: User, foster_for_adoption: bool, *, provider: str | None,
            postcode: str | None, urn: str | None, move_reason: str | None) -> None:
    start, done_at = start_of(step.happened_on), start_of(step.happened_on).replace(hour=12)
    meet_open_on_case(case, [NOT_PLACED_CHECK], done_at, started_only=False)
    reason = f"Placed for adoption on {long_date(step.happened_on)}"
    _cancel(case, ORDER_REVIEW_KEYS, f"{reason}: reviews follow the adoptive placement's timetable")
    # Visits first, so the new placement's schedule is computed once, as an adoptive placement.
    publish("adoption_changed", case=case, changed_by=recorded_by, placed_on=step.happened_on, first_review_on=None)
    try:
        placement_begin(case=case, recorded_by=recorded_by, placement_type=adoptive_placement_type(foster_for_adoption),
                        carer=step.carer, started_on=step.happened_on, change_reason="Placed for adoption",
                        provider=provider, postcode=postcode, urn=urn, move_reason=move_reason)  # fmt: skip
    except ValidationError as error:  # the placement's own checks, on this form's fields
        names = {"started_on": "happened_on", "carer": "carer", "provider": "provider", "postcode": "postcode",
                 "urn": "urn", "move_reason": "move_reason"}  # fmt: skip
        raise ValidationError({names.get(field, "kind"): messages
                               for field, messages in error.message_dict.items()}) from error  # fmt: skip
    if authority_sets(case, "adoptive_placement_first_review", start):
        # Leeds: reviews restart as if for a new period of care.
        _cancel(case, ["lac_first_review", "lac_second_review", "lac_review_interval"],
                f"{reason}: reviews restart on the adoptive placement's timetable")  # fmt: skip
        open_clock("adoptive_placement_first_review", subject=step, start=start, case=case)
    open_clock(APPLICATION_PROMPT, subject=step, start=start, case=case)


def _adopted(case: Case, step: AdoptionStep, status: LegalStatus, recorded_by: User, end_reason: str) -> None:
    """The adoption order is made: the child is no longer looked after, their placement and care
    plan end, and every looked-after and adoption clock stops with that reason."""
    reason = f"The child was adopted: the adoption order was made on {long_date(step.happened_on)}"
    _cancel(case, [*LOOKED_AFTER_KEYS, *ADOPTION_LOOKED_AFTER_KEYS], reason)
    placement = first_locked(Placement.objects.filter(case=case, ended_on=None))
    if placement is not None:
        placement.ended_on, placement.end_reason = step.happened_on, end_reason
        save_as(placement, recorded_by, update_fields=["ended_on", "end_reason"])
    for plan in each_locked(Plan.objects.filter(case=case, kind=Plan.Kind.CARE, ended_on=None)):
        plan_close(plan=plan, ended_on=max(step.happened_on, plan.started_on), reason="Adopted", ended_by=recorded_by)
    publish("adoption_changed", case=case, changed_by=recorded_by, placed_on=None, first_review_on=None)
    placement_changed_publish(case, recorded_by)
    legal_status_end(status=status, ended_on=step.happened_on, ended_by=recorded_by)
    open_clock(LATER_LIFE_LETTER, subject=step, start=start_of(step.happened_on), case=case)


def adoption_steps_of(child) -> list[AdoptionStep]:
    return list(AdoptionStep.objects.filter(child=child).select_related("recorded_by", "adopters"))


def recordable_steps(user: User, case: Case) -> list[str]:
    """The steps this user may record now: the child is looked after and the step is not yet
    recorded in this period of care (the service checks the order and dates)."""
    status = _looked_after(case)
    if status is None:
        return []
    recorded = steps_in_period(case, care_period_start(case, status))
    if Kind.REVERSED in recorded:
        return []
    return [kind for kind in Kind.values if kind not in recorded and can_record_step(user, case, kind)
            and (kind != Kind.REVERSED or Kind.BEST_INTEREST in recorded)]  # fmt: skip
