"""Writing case notes, hand-written chronology entries and case summaries, and striking them through.

Nothing here deletes: a mistaken entry is struck through by a manager, with who, when and why, and
stays readable (an inspector or a court may ask what the record said and when it was corrected).
Recording timeliness is measured through the deadline ledger, so it appears in the same reports
and alerts as every other timescale.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..dates import check_in_range
from ..models import Case, CaseNote, CaseSummary, Child, ChronologyEntry, User
from ..selectors.children import can_write_case
from ..selectors.records import manages_record, may_write_chronology
from .children import chronology_write
from .deadlines import deadline_meet, deadline_open_where_set, deadlines_meet_open
from .writes import locked, save_as

# Notes that also belong in the child's chronology, and the chronology kind they take there.
CHRONOLOGY_KIND_OF_NOTE = {
    CaseNote.Kind.SIGNIFICANT_EVENT: ChronologyEntry.Kind.OTHER,
    CaseNote.Kind.MANAGEMENT_DECISION: ChronologyEntry.Kind.DECISION,
}
SUMMARY_INTERVAL = "case_summary_interval"


def _required(field: str, value: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


def _check_when(field: str, when: datetime, case: Case | None, what: str) -> None:
    if when > timezone.now():
        raise ValidationError({field: f"The date of the {what} must be today or in the past"})
    check_in_range(timezone.localdate(when), field, f"date of the {what}")
    # Compared as local dates: something that happened on the morning of the day the case
    # opened (the call that led to the decision) belongs to the case.
    if case is not None and timezone.localdate(when) < timezone.localdate(case.opened_at):
        opened_on = timezone.localdate(case.opened_at)
        opened = f"{opened_on.day} {opened_on:%B %Y}"
        raise ValidationError({field: f"The date of the {what} must be on or after the day the case opened ({opened})"})


@transaction.atomic
def case_note_add(*, case: Case, author: User, kind: str, event_at: datetime, title: str, text: str) -> CaseNote:
    """Record a note; its recording deadline is opened from the event and met at once, so a note
    written up after the authority's limit is kept as "met late" in the ledger."""
    if not can_write_case(author, case):
        raise PermissionDenied
    if kind not in CaseNote.Kind.values:
        raise ValidationError({"kind": "Select the kind of note"})
    title = _required("title", title, "Enter a title for the note")
    text = _required("text", text, "Enter what happened")
    _check_when("event_at", event_at, case, "event")
    note = CaseNote(case=case, author=author, kind=kind, event_at=event_at, recorded_at=timezone.now(),
                    title=title, text=text)  # fmt: skip
    note.full_clean()
    note.save()
    key = "significant_event_recording" if kind == CaseNote.Kind.SIGNIFICANT_EVENT else "case_recording"
    deadline = deadline_open_where_set(authority=case.authority, key=key, subject=note, start=event_at,
                                       case=case, team=case.team, assignee=author)  # fmt: skip
    if deadline is not None:
        deadline_meet(deadline=deadline, met_at=note.recorded_at)
    if kind in CHRONOLOGY_KIND_OF_NOTE:
        chronology_write(child=case.child, case=case, kind=CHRONOLOGY_KIND_OF_NOTE[kind], occurred_at=event_at,
                         title=title, detail=text, written_by=author)  # fmt: skip
    return note


NOTE_CHANGED_MEANWHILE = (
    "Someone changed this note after you opened it. What you wrote is below; compare it with the note "
    "as it is now, then save again"
)


def note_version(note: CaseNote) -> int:
    """A stamp of the note as last saved, carried by the edit form to catch a concurrent edit."""
    return note.history.latest().history_id


@transaction.atomic
def case_note_edit(*, note: CaseNote, edited_by: User, title: str, text: str, version: int) -> CaseNote:
    """The author corrects their own note. Every earlier version stays in the note's history; a note
    that has been struck through is no longer changed."""
    note = locked(CaseNote, pk=note.pk, related=["case"])
    if note.author_id != edited_by.pk or not can_write_case(edited_by, note.case):
        raise PermissionDenied
    if note.is_struck:
        raise ValidationError({"text": "This note has been struck through, so it can no longer be changed"})
    if note_version(note) != version:
        raise ValidationError({"text": NOTE_CHANGED_MEANWHILE})
    note.title = _required("title", title, "Enter a title for the note")
    note.text = _required("text", text, "Enter what happened")
    save_as(note, edited_by, update_fields=["title", "text"])
    return note


def _strike(record, *, struck_by: User, reason: str):
    reason = _required("reason", reason, "Enter why this is being struck through")
    if record.is_struck:
        raise ValidationError({"reason": "This has already been struck through"})
    record.struck_at, record.struck_by, record.struck_reason = timezone.now(), struck_by, reason
    record.save(update_fields=["struck_at", "struck_by", "struck_reason"])
    return record


@transaction.atomic
def case_note_strike(*, note: CaseNote, struck_by: User, reason: str) -> CaseNote:
    """Strike a note through. The chronology entry the note wrote is struck with it, or the
    chronology would go on showing an event the record now says was recorded in error."""
    note = locked(CaseNote, pk=note.pk, related=["case"])
    if not manages_record(struck_by, note.case):
        raise PermissionDenied
    _strike(note, struck_by=struck_by, reason=reason)
    if note.kind in CHRONOLOGY_KIND_OF_NOTE:
        written = ChronologyEntry.objects.filter(
            child_id=note.case.child_id, case=note.case, kind=CHRONOLOGY_KIND_OF_NOTE[note.kind], automatic=True,
            occurred_at=note.event_at, title=note.title, struck_at__isnull=True,
        ).first()  # fmt: skip
        if written is not None:
            _strike(written, struck_by=struck_by, reason=f"The case note was struck through: {note.struck_reason}")
    return note


@transaction.atomic
def chronology_entry_add(*, child: Child, case: Case | None, written_by: User, kind: str, occurred_at: datetime,
                         title: str, detail: str = "") -> ChronologyEntry:  # fmt: skip
    """An entry a practitioner adds by hand: an event the services did not record themselves."""
    if not may_write_chronology(written_by, child, case):
        raise PermissionDenied
    if kind not in ChronologyEntry.Kind.values:
        raise ValidationError({"kind": "Select the kind of event"})
    title = _required("title", title, "Enter what happened, in a few words")
    # An event before the case opened (an earlier incident) belongs in a child's chronology.
    _check_when("occurred_at", occurred_at, None, "event")
    return chronology_write(child=child, case=case, kind=kind, occurred_at=occurred_at, title=title,
                            detail=(detail or "").strip(), written_by=written_by, automatic=False)  # fmt: skip


@transaction.atomic
def chronology_entry_strike(*, entry: ChronologyEntry, struck_by: User, reason: str) -> ChronologyEntry:
    entry = locked(ChronologyEntry, pk=entry.pk, related=["case__team"])
    if entry.case is not None:
        allowed = manages_record(struck_by, entry.case)
    else:
        allowed = may_write_chronology(struck_by, entry.child, None)
    if not allowed:
        raise PermissionDenied
    return _strike(entry, struck_by=struck_by, reason=reason)


@transaction.atomic
def case_summary_write(*, case: Case, written_by: User, text: str) -> CaseSummary:
    """Write the case summary: meets the summary that was due, and starts the clock to the next."""
    if not can_write_case(written_by, case):
        raise PermissionDenied
    text = _required("text", text, "Enter the case summary")
    summary = CaseSummary.objects.create(case=case, written_by=written_by, text=text, written_at=timezone.now())
    deadlines_meet_open(subject=case, keys=[SUMMARY_INTERVAL], met_at=summary.written_at)
    deadline_open_where_set(authority=case.authority, key=SUMMARY_INTERVAL, subject=case, start=summary.written_at,
                            case=case, team=case.team, assignee=case.worker)  # fmt: skip
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.SUMMARY, occurred_at=summary.written_at,
                     title="Case summary written", detail=text, written_by=written_by)  # fmt: skip
    return summary
