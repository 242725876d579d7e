"""Reading case notes, the chronology and case summaries.

Every function takes a child (or finds one) through `child_for`, so a child the user may not see,
a restricted one or another authority's, is a 404 before any record of theirs is read.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from ..dates import start_of
from ..models import Case, CaseNote, CaseSummary, Child, ChronologyEntry, Deadline
from .children import can_write_case, child_for, manages_case


def manages_record(user, case: Case) -> bool:
    """May strike through what was written on this case."""
    # manages_case lets a service manager through by role alone; the authority is checked here.
    return case.authority_id == user.authority_id and manages_case(user, case)


def cases_managed_on(user, child: Child) -> set[int]:
    """Ids of the child's cases (any episode) on which this user may strike entries through."""
    return {case.pk for case in child.cases.select_related("team") if manages_record(user, case)}


def may_write_chronology(user, child: Child, case: Case | None) -> bool:
    """The open case's writers add to the chronology; with no open case, only a manager who has
    held one of the child's cases."""
    if case is not None:
        return case.child_id == child.pk and can_write_case(user, case)
    return bool(cases_managed_on(user, child))


def notes_for(child: Child) -> QuerySet[CaseNote]:
    """Every note on every case of the child (earlier episodes too), latest event first.
    `child` must have come from `child_for`."""
    return CaseNote.objects.filter(case__child=child).select_related("author", "struck_by").order_by("-event_at", "-pk")


def note_for(user, pk: int) -> CaseNote:
    """The note, if the user may see its child; 404 otherwise."""
    note = CaseNote.objects.filter(pk=pk).select_related("case__team", "author").first()
    if note is None:
        raise Http404("No such note")
    note.case.child = child_for(user, note.case.child_id)
    return note


def recording_status_for(notes) -> dict[int, Deadline]:
    """The recording deadline of each note, in one query, so the list can say which were late."""
    ids = [note.pk for note in notes]
    deadlines = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(CaseNote),
        subject_id__in=ids,
        key__in=["case_recording", "significant_event_recording"],
    )
    return {deadline.subject_id: deadline for deadline in deadlines}


def chronology_for(
    child: Child, *, kinds: list[str] | None = None, since: date | None = None, until: date | None = None
) -> QuerySet[ChronologyEntry]:
    """The child's chronology, latest first, narrowed to `kinds` and to the days `since` to
    `until` inclusive (local days, so an evening event stays on the day it happened).
    `child` must have come from `child_for`."""
    entries = ChronologyEntry.objects.filter(child=child).select_related("written_by", "struck_by")
    if kinds:
        entries = entries.filter(kind__in=kinds)
    if since:
        entries = entries.filter(occurred_at__gte=start_of(since))
    if until:
        entries = entries.filter(occurred_at__lt=start_of(until + timedelta(days=1)))
    return entries.order_by("-occurred_at", "-pk")


def chronology_entry_for(user, pk: int) -> ChronologyEntry:
    entry = ChronologyEntry.objects.filter(pk=pk).select_related("case__team", "written_by").first()
    if entry is None:
        raise Http404("No such chronology entry")
    entry.child = child_for(user, entry.child_id)
    return entry


def summaries_for(child: Child) -> QuerySet[CaseSummary]:
    """The child's case summaries on every case, newest first. `child` must have come from `child_for`."""
    return CaseSummary.objects.filter(case__child=child).select_related("written_by").order_by("-written_at", "-pk")


def summary_due_for(case) -> Deadline | None:
    if case is None:
        return None
    return Deadline.objects.filter(case=case, key="case_summary_interval", status=Deadline.Status.OPEN).first()
