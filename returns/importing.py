"""What importing either past return shares: why a file is refused (named by file, line and child),
and the writer that saves each record with the line it came from.

The records are written here and not through the services, on purpose: the services check who may
record an event and open the clocks that follow it, and neither applies to events that happened in
another system months ago. Each importer opens only the clocks an episode still open is due next."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError

from cases.models import Authority, Case, Child, Deadline, Referral, Team, User
from cases.services.children import chronology_write
from returns.models import ImportedRecord, ImportRun, ReturnIdentity

# The team that holds imported open cases until a manager allocates them.
IMPORT_TEAM = "Imported cases (awaiting allocation)"
# Neither return names the child, so an imported child is recorded as this, with the authority's
# identifier as the surname, until someone who knows the family records their name.
PLACEHOLDER_FIRST_NAME = "Imported child"
# A past event is known only by its day; these are the times of day it is recorded at.
RECEIVED_AT = time(9)
DECIDED_AT = time(12)
HELD_AT = time(10)
DUE_BY = time(23, 59, 59)


@dataclass(frozen=True)
class Problem:
    """Why a file was refused: where (file, line, child) and what."""

    message: str
    line: int | None = None
    la_child_id: str = ""
    file_name: str = ""

    def __str__(self):
        parts = (self.file_name, f"line {self.line}" if self.line else "",
                 f"child {self.la_child_id}" if self.la_child_id else "")  # fmt: skip
        where = ", ".join(part for part in parts if part)
        if not where:
            return self.message
        # A file's name is written as it is; "line" and "child" start a sentence.
        return f"{where if self.file_name else where[0].upper() + where[1:]}: {self.message}"


class ImportRefused(ValueError):
    """The file was not imported, and nothing of it was saved; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class Imported:
    run: ImportRun
    # False when the file had been imported before: the earlier run, and nothing changed.
    created: bool


def earlier_run(*, authority: Authority, kind: str, digest: str) -> ImportRun | None:
    """The run that imported this very file before (recognised by its content), if one did."""
    return ImportRun.objects.filter(authority=authority, kind=kind, sha256=digest).first()


def written_once(*, authority: Authority, kind: str, digest: str, write: Callable[[], ImportRun]) -> Imported:
    """`write()` the checked file's records, once: where someone imported the same file at the
    same moment, theirs stands and this changes nothing; any other clash refuses the whole file."""
    try:
        return Imported(run=write(), created=True)
    except IntegrityError as error:
        earlier = earlier_run(authority=authority, kind=kind, digest=digest)
        if earlier is None:
            raise ImportRefused([Problem(f"The file's records could not be saved together, so none were ({error}); "
                                         "if someone else was importing a file for the same children, import this "
                                         "one again")]) from None  # fmt: skip
        return Imported(run=earlier, created=False)


class RecordWriter:
    """Saves one checked file's records, remembering each with the line (and file) it came from."""

    source = "a past return"

    def __init__(self, *, authority: Authority, run: ImportRun, imported_by: User, team: Team):
        self.authority, self.run, self.user, self.team = authority, run, imported_by, team
        self.tz = ZoneInfo(authority.timezone)
        self.marks: list[ImportedRecord] = []
        self.la_child_id = ""
        self.file_name = ""

    def at(self, day: date, hour: time) -> datetime:
        return datetime.combine(day, hour, tzinfo=self.tz)

    def save(self, record, line: int):
        record._history_user = self.user
        record.save()
        self.mark(record, line)
        return record

    def mark(self, record, line: int) -> None:
        self.marks.append(ImportedRecord(import_run=self.run, content_type=ContentType.objects.get_for_model(record),
                                         object_id=record.pk, line=line, la_child_id=self.la_child_id,
                                         file_name=self.file_name))  # fmt: skip

    def mark_deadlines(self, deadlines: list[Deadline | None], line: int) -> None:
        for deadline in deadlines:
            if deadline is not None:
                self.mark(deadline, line)

    def identify(self, child: Child) -> None:
        """Keep the previous system's identifier, which the returns go on using for the child."""
        ReturnIdentity.objects.create(child=child, authority=self.authority, la_child_id=self.la_child_id)

    def referral(self, *, child: Child, received_on: date, line: int, source: str = "", category_of_need: str = "",
                 decision: str = Referral.Decision.SINGLE_ASSESSMENT, decided_on: date | None = None) -> Referral:
        """The referral that opened an imported episode, as far as the return knows it: neither
        return names the referrer or records consent and reasons, and the record says so."""
        received = self.at(received_on, RECEIVED_AT)
        return self.save(Referral(
            authority=self.authority, child=child, team=self.team, received_at=received, recorded_by=self.user,
            referrer_name=f"Not known (imported from {self.source}, which does not name the referrer)",
            source=source, consent=Referral.Consent.NOT_SOUGHT,
            consent_reason=f"Imported from {self.source}, which does not record consent.",
            reasons=f"Imported from {self.source}, which does not record the reasons.",
            category_of_need=category_of_need, decision=decision,
            decision_rationale=f"Imported from {self.source}.",
            decided_at=self.at(decided_on, DECIDED_AT) if decided_on else received,
        ), line)  # fmt: skip

    def chronicle(self, *, child: Child, case: Case | None, kind: str, on: date, title: str, line: int) -> None:
        """A significant event on the child's chronology, saying where it came from, so the history
        reads as a practitioner's would rather than starting the day the child was imported."""
        entry = chronology_write(child=child, case=case, kind=kind, occurred_at=self.at(on, RECEIVED_AT), title=title,
                                 detail=f"Imported from {self.source}.", written_by=self.user)  # fmt: skip
        self.mark(entry, line)

