"""Missing and away-from-placement episodes of a looked-after child (the SSDA903 MISSING table).

An episode is recorded when the child goes (open) or afterwards with both ends. The child's return
opens the authority's return-interview clock, `missing_return_visit` (the national value: the
return interview is offered within 72 hours of the return; Leeds: a visit within 72 hours), where
the authority sets one; recording that the interview was offered meets it, on the day it was
offered, late if past due. An interview not offered leaves the clock running.

Who records: the allocated worker and the case's managers, and business support, who log the
police's missing notifications at the front door as they keep the child's other front-door facts
(`cases.services.family.can_write_child`). Nothing here is deleted: a wrong episode is corrected in
its history."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.codes.ssda903 import MISSING_KINDS
from cases.dates import long_date, start_of
from cases.models import Case, ChronologyEntry, LegalStatus, User
from cases.services.children import chronology_write
from cases.services.family import can_write_child
from cases.services.writes import locked, locked_case, save_as
from planning.models import MissingEpisode
from planning.services.clocks import meet_open, open_clock
from planning.services.meetings import check_visible

RETURN_KEY = "missing_return_visit"


def can_record_missing(user: User, case: Case) -> bool:
    """Whether this user may record the case's child going missing or coming back."""
    return case.is_open and can_write_child(user, case.child, case=case)


def _looked_after_on(case: Case, moment: datetime) -> bool:
    day = timezone.localdate(moment)
    statuses = LegalStatus.objects.filter(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, started_on__lte=day)
    return statuses.filter(ended_on=None).exists() or statuses.filter(ended_on__gte=day).exists()


def _moment_errors(errors: dict, field: str, moment: datetime | None, what: str, *, after: datetime | None = None,
                   after_what: str = "") -> None:  # fmt: skip
    if moment is None:
        errors[field] = f"Enter the date and time {what}"
    elif moment > timezone.now():
        errors[field] = f"The date and time {what} must be in the past"
    elif after is not None and moment <= after:
        errors[field] = f"The date and time {what} must be after {after_what}"


def _interview_errors(errors: dict, *, ended_at: datetime | None, offered: bool | None, offered_on: date | None,
                      accepted: bool | None) -> None:  # fmt: skip
    """The interview is answered only once the child is back; offered needs the day, accepted
    follows an offer."""
    if offered is None:
        if offered_on is not None:
            errors["interview_offered"] = "Select whether a return interview was offered"
        if accepted is not None:
            errors["interview_accepted"] = "Leave accepted blank until a return interview is offered"
        return
    if ended_at is None:
        errors["interview_offered"] = "Record when the child came back before the return interview"
        return
    if not offered:
        if offered_on is not None:
            errors["interview_offered_on"] = "Leave the date offered blank: no return interview was offered"
        if accepted is not None:
            errors["interview_accepted"] = "Leave accepted blank: no return interview was offered"
        return
    returned_on = timezone.localdate(ended_at)
    if offered_on is None:
        errors["interview_offered_on"] = "Enter the date the return interview was offered"
    elif offered_on > timezone.localdate():
        errors["interview_offered_on"] = "The date the return interview was offered must be today or in the past"
    elif offered_on < returned_on:
        errors["interview_offered_on"] = (f"The date the return interview was offered must be on or after "
                                          f"{long_date(returned_on)}, when the child came back")  # fmt: skip
    if accepted is None:
        errors["interview_accepted"] = "Select whether the return interview was accepted"


def _offer_met(episode: MissingEpisode) -> None:
    """The offer meets the clock at midday on the day offered (the page asks the day, not the hour),
    never before the return itself."""
    if episode.interview_offered:
        met_at = max(start_of(episode.interview_offered_on).replace(hour=12), episode.ended_at)
        meet_open(episode, [RETURN_KEY], met_at, started_only=False)


def _returned(episode: MissingEpisode) -> None:
    open_clock(RETURN_KEY, subject=episode, start=episode.ended_at, case=episode.case)
    _offer_met(episode)


@transaction.atomic
def missing_episode_record(*, case: Case, recorded_by: User, kind: str, started_at: datetime | None,
                           ended_at: datetime | None = None, interview_offered: bool | None = None,
                           interview_offered_on: date | None = None,
                           interview_accepted: bool | None = None) -> MissingEpisode:  # fmt: skip
    """The child went missing or away at `started_at`; with `ended_at`, came back then (opening
    the return-interview clock) and, with the interview's answers, that it was offered."""
    case = locked_case(case)
    check_visible(recorded_by, case)
    if not can_record_missing(recorded_by, case):
        raise PermissionDenied
    errors = {}
    if kind not in dict(MISSING_KINDS.choices):
        errors["kind"] = "Select whether the child was missing or away without authorisation"
    _moment_errors(errors, "started_at", started_at, "the child went")
    if "started_at" not in errors and not _looked_after_on(case, started_at):
        errors["started_at"] = "The child was not looked after then: record episodes while the child is in care"
    if ended_at is not None:
        _moment_errors(errors, "ended_at", ended_at, "the child came back",
                       after=None if "started_at" in errors else started_at, after_what="the child went")
    elif MissingEpisode.objects.filter(case=case, ended_at=None).exists():
        errors["ended_at"] = "The child is already recorded as missing or away: record their return on that episode"
    _interview_errors(errors, ended_at=ended_at, offered=interview_offered, offered_on=interview_offered_on,
                      accepted=interview_accepted)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    episode = MissingEpisode(authority_id=case.authority_id, case=case, child=case.child, kind=kind,
                             started_at=started_at, ended_at=ended_at, interview_offered=interview_offered,
                             interview_offered_on=interview_offered_on, interview_accepted=interview_accepted,
                             recorded_by=recorded_by)  # fmt: skip
    save_as(episode, recorded_by)
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.PLACEMENT, occurred_at=started_at,
                     title=f"{episode}: went from the placement", written_by=recorded_by)  # fmt: skip
    if ended_at is not None:
        _came_back(episode, recorded_by)
    return episode


def _came_back(episode: MissingEpisode, recorded_by: User) -> None:
    _returned(episode)
    chronology_write(child=episode.child, case=episode.case, kind=ChronologyEntry.Kind.PLACEMENT,
                     occurred_at=episode.ended_at, title=f"{episode}: came back", written_by=recorded_by)  # fmt: skip


@transaction.atomic
def missing_episode_end(*, episode: MissingEpisode, recorded_by: User, ended_at: datetime | None,
                        interview_offered: bool | None = None, interview_offered_on: date | None = None,
                        interview_accepted: bool | None = None) -> MissingEpisode:  # fmt: skip
    """The child came back: the episode ends, and the return-interview clock opens."""
    case = locked_case(episode.case)
    episode = locked(MissingEpisode, pk=episode.pk)
    check_visible(recorded_by, case)
    if not can_record_missing(recorded_by, case):
        raise PermissionDenied
    if not episode.is_open:
        raise ValidationError({"ended_at": "This episode has already ended"})
    errors = {}
    _moment_errors(errors, "ended_at", ended_at, "the child came back", after=episode.started_at,
                   after_what=f"the child went ({long_date(timezone.localdate(episode.started_at))})")
    _interview_errors(errors, ended_at=ended_at or episode.started_at, offered=interview_offered,
                      offered_on=interview_offered_on, accepted=interview_accepted)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    episode.case = case
    episode.ended_at = ended_at
    episode.interview_offered, episode.interview_offered_on = interview_offered, interview_offered_on
    episode.interview_accepted = interview_accepted
    save_as(episode, recorded_by)
    _came_back(episode, recorded_by)
    return episode


@transaction.atomic
def missing_interview_record(*, episode: MissingEpisode, recorded_by: User, interview_offered: bool | None,
                             interview_offered_on: date | None,
                             interview_accepted: bool | None) -> MissingEpisode:  # fmt: skip
    """The return interview after the child came back: an offer meets the return-interview clock.
    Answerable until an offer is recorded (a "not offered" can be followed by a later offer)."""
    case = locked_case(episode.case)
    episode = locked(MissingEpisode, pk=episode.pk)
    check_visible(recorded_by, case)
    if not can_record_missing(recorded_by, case):
        raise PermissionDenied
    if episode.is_open or episode.interview_offered:
        raise ValidationError({"interview_offered": "The return interview can be recorded once the child is back, "
                                                    "until it is offered"})  # fmt: skip
    errors = {}
    if interview_offered is None:
        errors["interview_offered"] = "Select whether a return interview was offered"
    _interview_errors(errors, ended_at=episode.ended_at, offered=interview_offered, offered_on=interview_offered_on,
                      accepted=interview_accepted)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    episode.case = case
    episode.interview_offered, episode.interview_offered_on = interview_offered, interview_offered_on
    episode.interview_accepted = interview_accepted
    save_as(episode, recorded_by)
    _offer_met(episode)
    return episode
