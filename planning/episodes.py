"""A looked-after child's SSDA903 episodes, derived from their legal statuses and placements.

The DfE counts a child's time in care in episodes: a new one starts whenever the legal status, the
placement or both change, and each says why it started (RNE) and, once it has ended, why (REC).
This is the one place that derivation is written: a pure function over rows (or anything with the
same attributes), so the returns, the pages and the tests all read the same episodes.

The DfE's rules it follows (csc-validator-be-903): the first episode of a period of care starts
with S (357); a continuation starts the day the last one ended (433), on L when only the legal
status changed (434), P or T when only the placement did (435: T when the carer is the same), B or
U when both did (436: U when the carer is the same); an episode another follows the same day ends
with X1, and carries the coded reason for the move where the placement changed (225)."""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

LOOKED_AFTER = "lac"
CONTINUES = "X1"
STARTED = "S"


@dataclass(frozen=True)
class Episode:
    """One SSDA903 episode; the field names are the DfE's, lower-cased. None is a field the DfE
    leaves blank (an episode still open has no DEC or REC)."""

    decom: date
    rne: str
    ls: str
    place: str
    place_provider: str | None
    pl_post: str | None
    urn: str | None
    dec: date | None
    rec: str | None
    reason_place_change: str | None
    # The placement the episode was spent in, so a return can lead back to it; not a DfE field,
    # and two episodes alike in every DfE field are the same episode.
    placement: Any = field(default=None, compare=False, repr=False)

    def row(self) -> dict[str, Any]:
        """The episode as the DfE names its columns (DECOM, RNE, LS, ...)."""
        return {each.name.upper(): getattr(self, each.name) for each in fields(self) if each.name != "placement"}


@dataclass(frozen=True)
class _Span:
    """A stretch of days with one legal status and one placement: [start, end), end None if open."""

    start: date
    end: date | None
    status: Any
    placement: Any


def episodes_of(statuses: Iterable[Any], placements: Iterable[Any]) -> list[Episode]:
    """The child's episodes, earliest first. `statuses` are legal statuses (`legal_status`,
    `started_on`, `ended_on`; those with a `kind` other than looked after are ignored), `placements`
    are placements (`placement_type`, `carer`, `provider`, `postcode`, `urn`, `started_on`,
    `ended_on`, `end_reason`, `move_reason`). A date it ended is the date the next began, as the
    services record a change. A day looked after without a placement, or placed without being
    looked after, is in no episode; a placement that ended the day it began never happened."""
    statuses = [s for s in statuses if getattr(s, "kind", LOOKED_AFTER) == LOOKED_AFTER and _lasts(s)]
    placements = [p for p in placements if _lasts(p)]
    spans = _merged(_spans(statuses, placements))
    episodes = []
    for index, span in enumerate(spans):
        before = spans[index - 1] if index and spans[index - 1].end == span.start else None
        after = spans[index + 1] if index + 1 < len(spans) and spans[index + 1].start == span.end else None
        episodes.append(_episode(span, before, after))
    return episodes


def _lasts(row) -> bool:
    return row.ended_on is None or row.ended_on > row.started_on


def _covering(rows: list, day: date):
    """The row in force on the day (the latest to start, should two overlap)."""
    found = [row for row in rows if row.started_on <= day and (row.ended_on is None or row.ended_on > day)]
    return max(found, key=lambda row: row.started_on, default=None)


def _spans(statuses: list, placements: list) -> list[_Span]:
    days = sorted({row.started_on for row in (*statuses, *placements)}
                  | {row.ended_on for row in (*statuses, *placements) if row.ended_on is not None})  # fmt: skip
    spans = []
    for index, start in enumerate(days):
        end = days[index + 1] if index + 1 < len(days) else None
        status, placement = _covering(statuses, start), _covering(placements, start)
        if status is not None and placement is not None:
            spans.append(_Span(start, end, status, placement))
    return spans


def _merged(spans: list[_Span]) -> list[_Span]:
    """Join touching spans where nothing the DfE counts changed: the same placement, and a legal
    status with the same code (a status recorded again unchanged is not a new episode)."""
    merged: list[_Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if (last is not None and last.end == span.start and last.placement is span.placement
                and last.status.legal_status == span.status.legal_status):  # fmt: skip
            merged[-1] = _Span(last.start, span.end, last.status, last.placement)
        else:
            merged.append(span)
    return merged


def _same_carer(one, other) -> bool:
    return " ".join(one.carer.split()).casefold() == " ".join(other.carer.split()).casefold()


def new_episode_reason(before: _Span | None, span: _Span) -> str:
    if before is None:
        # A placement imported from a past return may have continued episodes not held here.
        earlier = getattr(span.placement, "imported_new_episode_reason", "")
        return earlier if earlier and span.start == span.placement.started_on else STARTED
    status_changed = before.status.legal_status != span.status.legal_status
    if before.placement is span.placement:
        return "L"
    same_carer = _same_carer(before.placement, span.placement)
    if status_changed:
        return "U" if same_carer else "B"
    return "T" if same_carer else "P"


def _episode(span: _Span, before: _Span | None, after: _Span | None) -> Episode:
    placement = span.placement
    if span.end is None:
        rec, reason = None, None
    elif after is not None:
        moved = after.placement is not placement
        rec, reason = CONTINUES, (placement.move_reason or None) if moved else None
    else:
        # The period of care ends here: why is recorded on the placement that ended with it.
        ended_here = placement.ended_on == span.end and placement.end_reason != CONTINUES
        rec, reason = (placement.end_reason or None) if ended_here else None, None
    return Episode(
        decom=span.start, rne=new_episode_reason(before, span), ls=span.status.legal_status,
        place=placement.placement_type, place_provider=placement.provider or None, pl_post=placement.postcode or None,
        urn=placement.urn or None, dec=span.end, rec=rec, reason_place_change=reason, placement=placement,
    )  # fmt: skip
