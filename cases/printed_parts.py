"""The parts of the printed record that `cases` holds: involvement and legal status, who has held
the case, the people around the child, case notes and the chronology. Visits, assessments and
plans add theirs from their own apps (cases.record_print)."""

from .models import Allocation, LegalStatus, Relationship
from .record_print import PrintedPart, day
from .selectors.records import chronology_for, notes_for


def statuses(child) -> PrintedPart:
    rows = [
        (status.get_kind_display(),
         status.get_cp_category_display() or status.get_legal_status_display(),
         day(status.started_on), day(status.ended_on) or "Current")
        for status in LegalStatus.objects.filter(case__child=child).order_by("-started_on", "-pk")
    ]  # fmt: skip
    return PrintedPart("Involvement and legal status", ("Status", "Category or legal status", "From", "To"), rows,
                       "No child in need, protection, looked-after or care-leaver status is recorded.")  # fmt: skip


def allocations(child) -> PrintedPart:
    held = Allocation.objects.filter(case__child=child).select_related("team", "worker").order_by("-allocated_at")
    rows = [
        (day(allocation.allocated_at.date()), day(allocation.ended_at.date()) if allocation.ended_at else "Current",
         allocation.team.name, allocation.worker.full_name if allocation.worker else "Not allocated to a worker")
        for allocation in held
    ]  # fmt: skip
    return PrintedPart("Who has held the case", ("From", "To", "Team", "Social worker"), rows,
                       "The case has not been allocated.")  # fmt: skip


def people(child) -> PrintedPart:
    rows = [
        (relationship.name, relationship.get_kind_display(),
         "Yes" if relationship.parental_responsibility else "")
        for relationship in Relationship.objects.filter(child=child).order_by("kind", "name")
    ]  # fmt: skip
    return PrintedPart("Family, network and professionals", ("Name", "Relationship", "Parental responsibility"),
                       rows, "No family members or professionals are recorded.")  # fmt: skip


def case_notes(child) -> PrintedPart:
    rows = [
        (day(note.event_at.date()), note.title + (" (struck through)" if note.is_struck else ""), note.text,
         note.author.full_name)
        for note in notes_for(child)
    ]  # fmt: skip
    return PrintedPart("Case notes", ("When", "Title", "Note", "Written by"), rows, "No case notes.")


def chronology(child) -> PrintedPart:
    rows = [
        (day(entry.occurred_at.date()), entry.get_kind_display(),
         entry.title + (f": {entry.detail}" if entry.detail else "") + (" (struck through)" if entry.is_struck else ""))
        for entry in chronology_for(child)
    ]  # fmt: skip
    return PrintedPart("Chronology", ("When", "Kind", "What happened"), rows, "Nothing in the chronology.")
