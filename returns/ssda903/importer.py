"""An authority's past SSDA903 return brought in as its looked-after children's history.

The tables are recognised by their headers, as the DfE's validator recognises them (a council's
files may be named anything), and checked with the validator's rules for the year before anything
is written; a return with any error is refused with every problem named by file, line and child,
and then nothing at all is saved. A clean return is written in one transaction, every record marked
with the file and line it came from (returns/importing.py says why directly, not through services).

How each table becomes records, so that exporting them gives the same return (the round trip):
- each period of care (an episode starting with S, or not starting the day the last ended) is a
  case, or the episode's own case where the child's CIN census brought one in that was open then;
  the episode's category of need is that case's referral's;
- a legal status for each run of episodes with the same LS; a placement for each new placement
  (every RNE but L, which changes only the legal status). The return does not name carers, so each
  placement's carer says so, and a change of placement with the same carer (T or U) keeps the name;
- an episode continuing one from before the year (its RNE is not S and nothing comes before it in
  the file) keeps its RNE on the placement (`Placement.imported_new_episode_reason`);
- the home postcode becomes the child's address from the day the period began;
- reviews, missing episodes, deprivation of liberty orders and the adoption steps (the decision
  that adoption is in the child's interest, the match with its adopters, and a reversal) are dated
  as the return dates them; OC2 becomes the year's health and wellbeing record (dated 31 March) and
  OC3 the personal adviser's contact on the birthday it asks about;
- a care leaver in OC3 whose time in care is not in the file gets a care-leaver case and status;
- social worker episodes become allocations to the worker with that Social Work England number,
  or to an account no one can sign in to, named for the number, where no one here has it.

An episode still open on 31 March arrives as an open case awaiting allocation, with the clocks due
next by the authority's own rules (`open_next_clocks`); nothing is opened for past events.

Imported again, the same files change nothing (recognised by their content). A child already here
by the authority's identifier, with no care history yet (brought in from the CIN census), gets the
return's care history; one whose care history is already here is left as it is, and the run's notes
say so, for a person to look at."""

import csv
import hashlib
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cases.models import (
    Address,
    Allocation,
    Authority,
    Case,
    Child,
    ChronologyEntry,
    Deadline,
    LegalStatus,
    Team,
    User,
)
from planning.episodes import STARTED
from planning.models import (
    Adopters,
    AdoptionStep,
    CareCheck,
    CareLeaverContact,
    DeprivationOfLiberty,
    HealthOutcome,
    Meeting,
    MissingEpisode,
    Placement,
    PreviousPermanence,
)
from planning.services.clocks import open_clock
from returns.importing import (
    DECIDED_AT,
    HELD_AT,
    IMPORT_TEAM,
    PLACEHOLDER_FIRST_NAME,
    RECEIVED_AT,
    Imported,
    ImportRefused,
    Problem,
    RecordWriter,
    earlier_run,
    written_once,
)
from returns.models import ImportedRecord, ImportRun, ReturnIdentity
from returns.ssda903.derive import CARE_LEAVER_BIRTHDAYS, birthday
from returns.ssda903.tables import EVERY_YEAR, FROM_2027, columns_for
from returns.ssda903.validate import validate_tables
from returns.years import SUPPORTED, CollectionYear, UnsupportedYear
from visits.services import on_placement_changed

SOURCE = "the authority's SSDA903 return"
# Episode reasons that begin a new placement: every one but L, which changes the legal status only.
SAME_PLACEMENT = "L"
SAME_CARER = frozenset({"T", "U"})
CONTINUES = "X1"
# The dated columns, by table, from which a return's year is worked out when it is not given.
DATED = {"Episodes": ("DECOM", "DEC"), "Reviews": ("REVIEW",), "Missing": ("MIS_START", "MIS_END"),
         "SWEpisodes": ("SW_DECOM", "SW_DEC")}  # fmt: skip
# A missing episode is known by its days; one that began and ended the same day lasted the day.
WENT_AT, BACK_AT = time(9), time(18)
MOST_FILES = 20


@dataclass(frozen=True)
class Row:
    """One row of a table, with the file and line it came from."""

    file_name: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    @property
    def child(self) -> str:
        return self["CHILD"]


@dataclass
class Tables:
    year: CollectionYear
    rows: dict[str, list[Row]]

    def by_child(self, name: str) -> dict[str, list[Row]]:
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows.get(name, []):
            grouped[row.child].append(row)
        return grouped


def ssda903_import(*, authority: Authority, files: dict[str, bytes], imported_by: User,
                   year: CollectionYear | None = None, source_name: str = "") -> Imported:  # fmt: skip
    """Import an SSDA903 return ({file name: its bytes}, one CSV a table) as the authority's
    history, or refuse it (ImportRefused). `year` is worked out from the dates where not given."""
    digest = hashlib.sha256(b"".join(hashlib.sha256(content).digest() for content in sorted(files.values())))
    digest = digest.hexdigest()
    earlier = earlier_run(authority=authority, kind=ImportRun.Kind.SSDA903, digest=digest)
    if earlier is not None:
        return Imported(run=earlier, created=False)
    if not authority.ons_code:
        raise ImportRefused([Problem(f"{authority.name} has no ONS area code, which the DfE's SSDA903 checks need")])
    rows = read_files(files)
    year = year or year_of(rows)
    tables = checked(rows, year, authority)
    name = source_name or ", ".join(sorted(files))
    return written_once(authority=authority, kind=ImportRun.Kind.SSDA903, digest=digest, write=lambda: _write(
        authority=authority, tables=tables, file_name=name, digest=digest, imported_by=imported_by))


def read_files(files: dict[str, bytes]) -> dict[str, list[Row]]:
    """Each file's table (recognised by its set of headers) and rows; refused where a file is not
    UTF-8 CSV, is no SSDA903 table, or repeats a table another file holds."""
    every_table = EVERY_YEAR | FROM_2027
    problems, found, files_of = [], {}, {}
    if len(files) > MOST_FILES:
        raise ImportRefused([Problem(f"An SSDA903 return has at most {len(every_table)} tables; {len(files)} files "
                                     "were given")])  # fmt: skip
    for file_name, content in sorted(files.items()):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(Problem(f"The file is not UTF-8 text ({error.reason} at byte {error.start})",
                                    file_name=file_name))  # fmt: skip
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        headers = [header.strip().upper() for header in next(reader, [])]
        name = next((name for name, columns in every_table.items() if set(columns) == set(headers)), None)
        if name is None:
            problems.append(Problem(f"The file is not one of the SSDA903 tables: its headers are "
                                    f"{', '.join(headers) or 'missing'}", line=1, file_name=file_name))  # fmt: skip
            continue
        if name in found:
            problems.append(Problem(f"The file holds the {name} table, which {files_of[name]} holds too",
                                    file_name=file_name))  # fmt: skip
            continue
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(headers):
                problems.append(Problem(f"The row has {len(values)} values, not {len(headers)}",
                                        line=reader.line_num, file_name=file_name))  # fmt: skip
                continue
            row = {header: value.strip() for header, value in zip(headers, values, strict=True)}
            rows.append(Row(file_name=file_name, line=reader.line_num, values=row))
        found[name], files_of[name] = rows, file_name
    for required in ("Header", "Episodes"):
        if required not in found and not problems:
            problems.append(Problem(f"The return has no {required} table, which every SSDA903 return has"))
    if problems:
        raise ImportRefused(problems)
    return found


def files_in_zip(document: bytes, *, most_bytes: int = 64 * 1024 * 1024) -> dict[str, bytes]:
    """The CSV files of an uploaded ZIP (folders and anything else in it are ignored), each by its
    name without its folder. Read in memory, never unpacked to disk; refused where it is no ZIP
    file, holds no CSV, or would unpack to more than `most_bytes`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(document))
    except zipfile.BadZipFile:
        raise ImportRefused([Problem("The file is not a ZIP file of the SSDA903's CSV tables")]) from None
    with archive:
        members = [member for member in archive.infolist()
                   if not member.is_dir() and member.filename.lower().endswith(".csv")
                   and not member.filename.startswith("__MACOSX/")]  # fmt: skip
        if not members:
            raise ImportRefused([Problem("The ZIP file holds no CSV file: it should hold one for each SSDA903 table")])
        if len(members) > MOST_FILES or sum(member.file_size for member in members) > most_bytes:
            raise ImportRefused([Problem(f"The ZIP file holds more than an SSDA903 return: at most {MOST_FILES} "
                                         "CSV files, 64 MB in all")])  # fmt: skip
        try:
            return {PurePosixPath(member.filename).name: archive.read(member) for member in members}
        except (zipfile.BadZipFile, RuntimeError, ValueError) as error:
            raise ImportRefused([Problem(f"The ZIP file could not be read ({error})")]) from None


def parse_date(text: str) -> date | None:
    """A date as the SSDA903 writes it (DD/MM/YYYY); None for a blank or a malformed one (the
    validator's rules name a malformed date, so it is refused there)."""
    try:
        return datetime.strptime(text, "%d/%m/%Y").date() if text else None
    except ValueError:
        return None


def year_of(rows: dict[str, list[Row]]) -> CollectionYear:
    """The collection year the return is for: the one its latest event falls in (every date in a
    year's return is on or before its 31 March, and an episode running into it was open in it)."""
    days = [day for name, columns in DATED.items() for row in rows.get(name, []) for column in columns
            if (day := parse_date(row[column]))]  # fmt: skip
    if not days:
        raise ImportRefused([Problem("The return has no dated episode, review or missing episode to tell its "
                                     "collection year by")])  # fmt: skip
    latest = max(days)
    try:
        return CollectionYear.of(latest)
    except UnsupportedYear:
        supported = " or ".join(CollectionYear(ending).label for ending in SUPPORTED)
        raise ImportRefused([Problem(f"The return's latest date is {latest:%-d %B %Y}, so it is not for {supported}, "
                                     "the years Casework reads")]) from None  # fmt: skip


def checked(rows: dict[str, list[Row]], year: CollectionYear, authority: Authority) -> Tables:
    """The rows, once the validator's rules for the year find no error in them (refused otherwise,
    naming each failing row's file, line and child)."""
    columns = columns_for(year)
    problems = [Problem(f"The {name} table is not part of the {year.label} return", file_name=found[0].file_name)
                for name, found in rows.items() if name not in columns and found]  # fmt: skip
    in_header = {row.child for row in rows.get("Header", [])}
    problems += [Problem("The child is not in the Header table", line=row.line, la_child_id=row.child,
                         file_name=row.file_name)
                 for name, found in rows.items() if name != "Header" for row in found if row.child not in in_header]
    if problems:
        raise ImportRefused(problems)
    tables = {name: [row.values for row in rows.get(name, [])] for name in columns}
    validation = validate_tables(tables=tables, year=year, local_authority=authority.ons_code)
    for finding in validation.as_findings():
        if not finding.is_error:
            continue
        table_rows = rows.get(finding.table, [])
        row = table_rows[finding.row] if finding.row is not None and finding.row < len(table_rows) else None
        problems.append(Problem(f"{finding.message} (the DfE's rule {finding.rule})", line=row.line if row else None,
                                la_child_id=finding.la_child_id, file_name=row.file_name if row else ""))  # fmt: skip
    if problems:
        raise ImportRefused(problems)
    return Tables(year=year, rows={name: rows.get(name, []) for name in columns})


def yes(text: str) -> bool | None:
    return {"1": True, "0": False}.get(text)


@dataclass
class Period:
    """A period of care as the return gives it: its episodes, and the case it is written on."""

    episodes: list[Row]
    case: Case | None = None
    placements: list[Placement] = field(default_factory=list)

    @property
    def start(self) -> date:
        return parse_date(self.episodes[0]["DECOM"])

    @property
    def end(self) -> date | None:
        return parse_date(self.episodes[-1]["DEC"])


def periods_of(episodes: list[Row]) -> list[Period]:
    """A child's episodes in periods of care: a new period where an episode starts with S or does
    not start the day the last ended."""
    periods: list[Period] = []
    for row in sorted(episodes, key=lambda row: parse_date(row["DECOM"])):
        last = periods[-1].episodes[-1] if periods else None
        if last is None or row["RNE"] == STARTED or parse_date(row["DECOM"]) != parse_date(last["DEC"]):
            periods.append(Period(episodes=[row]))
        else:
            periods[-1].episodes.append(row)
    return periods


class _Writer(RecordWriter):
    """Writes one checked return's children."""

    source = SOURCE

    def __init__(self, *, tables: Tables, **kwargs):
        super().__init__(**kwargs)
        self.year = tables.year
        self.workers: dict[str, User] = {}

    def from_row(self, row: Row) -> None:
        self.file_name, self.la_child_id = row.file_name, row.child

    def child(self, header: Row, uasc: Row | None) -> Child:
        self.from_row(header)
        upn = header["UPN"]
        unknown = upn if upn.upper().startswith("UN") and len(upn) <= 3 else ""
        child = Child(authority=self.authority, first_name=PLACEHOLDER_FIRST_NAME, last_name=header.child,
                      date_of_birth=parse_date(header["DOB"]), sex=header["SEX"], ethnicity=header["ETHNIC"],
                      upn="" if unknown else upn, upn_unknown=unknown, created_by=self.user)  # fmt: skip
        self.describe(child, header, uasc)
        self.save(child, header.line)
        self.identify(child)
        return child

    def describe(self, child: Child, header: Row, uasc: Row | None) -> None:
        """What only the SSDA903 says about the child: motherhood and asylum-seeking status."""
        child.is_mother = header["MOTHER"] == "1"
        child.mothers_child_born_on = parse_date(header["MC_DOB"]) if child.is_mother else None
        if uasc is not None:
            child.uasc, child.uasc_ceased_on = True, parse_date(uasc["DUC"])

    def period(self, child: Child, period: Period, cases_here: list[Case]) -> None:
        """The period's case (the CIN census's, where one brought in was open when it began),
        address, legal statuses and placements."""
        first = period.episodes[0]
        self.from_row(first)
        start, end = period.start, period.end
        period.case = next((case for case in cases_here if timezone.localtime(case.opened_at, self.tz).date() <= start
                            and (case.closed_at is None
                                 or timezone.localtime(case.closed_at, self.tz).date() >= start)), None)  # fmt: skip
        if period.case is None:
            referral = self.referral(child=child, received_on=start, line=first.line, category_of_need=first["CIN"])
            period.case = self.save(Case(authority=self.authority, child=child, referral=referral, team=self.team,
                                         opened_at=self.at(start, RECEIVED_AT),
                                         closed_at=self.at(end, DECIDED_AT) if end else None), first.line)  # fmt: skip
        if first["HOME_POST"]:
            self.save(Address(child=child, lived_from=start, postcode=first["HOME_POST"],
                              address=f"Not known: {SOURCE} gives only the postcode of the home the child was "
                                      "living in when this period of care began"), first.line)  # fmt: skip
        statuses: list[tuple[LegalStatus, Row]] = []
        placements: list[tuple[Placement, Row]] = []
        for index, row in enumerate(period.episodes):
            began, ended = parse_date(row["DECOM"]), parse_date(row["DEC"])
            if not statuses or statuses[-1][0].legal_status != row["LS"]:
                statuses.append((LegalStatus(case=period.case, kind=LegalStatus.Kind.LOOKED_AFTER,
                                             legal_status=row["LS"], started_on=began, recorded_by=self.user), row))
            statuses[-1][0].ended_on = ended
            if index == 0 or row["RNE"] != SAME_PLACEMENT:
                placements.append((self.placement(period.case, row, began, placements[-1][0] if placements else None,
                                                  first_in_file=index == 0), row))  # fmt: skip
            placement = placements[-1][0]
            placement.ended_on = ended
            if ended is not None:
                following = period.episodes[index + 1] if index + 1 < len(period.episodes) else None
                placement.end_reason = CONTINUES if following is not None else row["REC"]
                moves = following is not None and following["RNE"] != SAME_PLACEMENT
                placement.move_reason = row["REASON_PLACE_CHANGE"] if moves else ""
        for record, row in (*statuses, *placements):
            self.from_row(row)
            self.save(record, row.line)
        period.placements = [placement for placement, _ in placements]
        self.chronicle_period(period, statuses, placements)

    def chronicle_period(self, period: Period, statuses, placements) -> None:
        """The period's significant events on the chronology: coming into care, each change of
        legal status and placement, and leaving care with why."""
        child, case = period.case.child, period.case
        for index, (status, row) in enumerate(statuses):
            self.from_row(row)
            became = "Began to be looked after" if index == 0 and row["RNE"] == STARTED else "Legal status changed"
            self.chronicle(child=child, case=case, kind=ChronologyEntry.Kind.STATUS, on=status.started_on,
                           title=f"{became}: {status.get_legal_status_display()}", line=row.line)  # fmt: skip
        for placement, row in placements:
            self.from_row(row)
            self.chronicle(child=child, case=case, kind=ChronologyEntry.Kind.PLACEMENT, on=placement.started_on,
                           title=f"Placement began: {placement.get_placement_type_display()}", line=row.line)
        last, row = placements[-1]
        if period.end is not None:
            self.from_row(row)
            self.chronicle(child=child, case=case, kind=ChronologyEntry.Kind.STATUS, on=period.end,
                           title=f"Stopped being looked after: {last.get_end_reason_display()}", line=row.line)

    def placement(self, case: Case, row: Row, began: date, before: Placement | None, *, first_in_file: bool
                  ) -> Placement:  # fmt: skip
        """A new placement (saved with the period's other records). The return names no carers: a
        change of placement with the same carer (T or U) keeps the last one's name, so the episode
        reads the same when it is exported."""
        carer = (before.carer if before is not None and row["RNE"] in SAME_CARER
                 else f"Not named in {SOURCE} (the placement from {began:%-d %B %Y})")  # fmt: skip
        return Placement(
            authority=self.authority, case=case, child=case.child, placement_type=row["PLACE"], carer=carer,
            started_on=began, provider=row["PLACE_PROVIDER"], postcode=row["PL_POST"], urn=row["URN"],
            imported_new_episode_reason=row["RNE"] if first_in_file and row["RNE"] != STARTED else "",
            recorded_by=self.user, change_reason=f"Imported from {SOURCE}.",
        )  # fmt: skip

    def case_on(self, cases: list[tuple[date, date | None, Case]], day: date | None) -> Case:
        """The child's case in force on the day, else the nearest before it, else the first."""
        covering = [case for start, end, case in cases if day and start <= day and (end is None or end >= day)]
        before = [case for start, _, case in cases if day and start <= day]
        return (covering or before or [cases[0][2]])[-1]

    def care_leaver_case(self, child: Child, row: Row) -> Case:
        """A care leaver whose time in care is not in the return: a care-leaver case and status
        from the start of the year, which is as much as the return says."""
        case = self.save(Case(authority=self.authority, child=child, team=self.team,
                              opened_at=self.at(self.year.start, RECEIVED_AT)), row.line)  # fmt: skip
        self.save(LegalStatus(case=case, kind=LegalStatus.Kind.CARE_LEAVER, started_on=self.year.start,
                              recorded_by=self.user), row.line)  # fmt: skip
        return case

    def review(self, case: Case, row: Row) -> Meeting:
        self.from_row(row)
        self.chronicle(child=case.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, on=parse_date(row["REVIEW"]),
                       title="Looked-after review held", line=row.line)  # fmt: skip
        return self.save(Meeting(authority=self.authority, case=case, child=case.child, kind=Meeting.Kind.LAC_REVIEW,
                                 held_at=self.at(parse_date(row["REVIEW"]), HELD_AT), recorded_by=self.user,
                                 participation=row["REVIEW_CODE"], summary=f"Imported from {SOURCE}."),
                         row.line)  # fmt: skip

    def health(self, case: Case, row: Row) -> None:
        """OC2 as the year's health and wellbeing record. A blank row (the return's way of saying
        nothing was recorded) records nothing. Where no SDQ was asked of the child (outside 4 to
        16) the return gives neither a score nor a reason; the record needs one, so it keeps the
        DfE's reason for no score (SDQ1), which the return leaves out again for the child's age."""
        self.from_row(row)
        answers = [row[column] for column in columns_for(self.year)["OC2"] if column not in ("CHILD", "DOB")]
        if not any(answers):
            return
        score = row["SDQ_SCORE"]
        self.save(HealthOutcome(
            authority=self.authority, case=case, child=case.child, recorded_on=self.year.end,
            sdq_score=int(score) if score else None, sdq_reason="" if score else row["SDQ_REASON"] or "SDQ1",
            immunisations_up_to_date=bool(yes(row["IMMUNISATIONS"])), teeth_checked=bool(yes(row["TEETH_CHECK"])),
            health_assessment_up_to_date=bool(yes(row["HEALTH_ASSESSMENT"])), health_check=yes(row["HEALTH_CHECK"]),
            substance_misuse=bool(yes(row["SUBSTANCE_MISUSE"])), convicted=bool(yes(row["CONVICTED"])),
            intervention_received=yes(row["INTERVENTION_RECEIVED"]),
            intervention_refused=yes(row["INTERVENTION_OFFERED"]),
            recorded_by=self.user,
        ), row.line)  # fmt: skip

    def care_leaver_contact(self, case: Case, row: Row, birthday_in_year: date) -> CareCheck | None:
        """OC3 as the adviser's contact on the birthday the return asks about (a blank row, none)."""
        self.from_row(row)
        if not row["IN_TOUCH"]:
            return None
        contact = self.save(CareCheck(authority=self.authority, case=case, child=case.child,
                                      kind=CareCheck.Kind.ADVISER_CONTACT, done_on=birthday_in_year,
                                      notes=f"Imported from {SOURCE}, which gives what the adviser found but not "
                                            "the contact's date: it is recorded on the birthday asked about.",
                                      recorded_by=self.user), row.line)  # fmt: skip
        accommodation = row["ACCOM"] if row["ACCOM"] not in ("", "0") else ""
        self.save(CareLeaverContact(
            authority=self.authority, case=case, child=case.child, contact=contact, in_touch=row["IN_TOUCH"],
            activity="" if row["ACTIV"] == "0" else row["ACTIV"], accommodation=accommodation[:1],
            accommodation_suitable=accommodation[1:] == "1" if accommodation else None, recorded_by=self.user,
        ), row.line)  # fmt: skip
        return contact

    def adoption(self, case_for, ad1: Row | None, placed: list[Row]) -> None:
        """The best-interest decisions (PlacedAdoption's, and AD1's where it names another), their
        reversals, and the match with the adopters."""
        decisions: dict[date, AdoptionStep] = {}

        def step(kind, day: date, row: Row, **fields) -> AdoptionStep:
            self.from_row(row)
            case = case_for(day)
            return self.save(AdoptionStep(authority=self.authority, case=case, child=case.child, kind=kind,
                                          happened_on=day, recorded_by=self.user,
                                          notes=f"Imported from {SOURCE}.", **fields), row.line)  # fmt: skip

        for row in placed:
            decided = parse_date(row["DATE_PLACED"])
            decisions[decided] = step(AdoptionStep.Kind.BEST_INTEREST, decided, row)
            if ceased := parse_date(row["DATE_PLACED_CEASED"]):
                step(AdoptionStep.Kind.REVERSED, ceased, row, reversal_reason=row["REASON_PLACED_CEASED"])
        if ad1 is None:
            return
        if (decided := parse_date(ad1["DATE_INT"])) and decided not in decisions:
            step(AdoptionStep.Kind.BEST_INTEREST, decided, ad1)
        if matched := parse_date(ad1["DATE_MATCH"]):
            match = step(AdoptionStep.Kind.MATCH, matched, ad1)
            if ad1["NB_ADOPTR"]:
                self.save(Adopters(authority=self.authority, case=match.case, child=match.child, step=match,
                                   number=int(ad1["NB_ADOPTR"]), sex=ad1["SEX_ADOPTR"],
                                   legal_status=ad1["LS_ADOPTR"], were_foster_carers=bool(yes(ad1["FOSTER_CARE"])),
                                   recorded_by=self.user), ad1.line)  # fmt: skip

    def previous_permanence(self, case: Case, row: Row) -> None:
        self.from_row(row)
        day, month, year = (row["DATE_PERM"].split("/") + ["", "", ""])[:3]
        known = (PreviousPermanence.Known.DAY if day.isdigit() else PreviousPermanence.Known.MONTH if month.isdigit()
                 else PreviousPermanence.Known.YEAR) if year.isdigit() else ""  # fmt: skip
        made_on = date(int(year), int(month) if month.isdigit() else 1, int(day) if day.isdigit() else 1) if known \
            else None  # fmt: skip
        self.save(PreviousPermanence(authority=self.authority, case=case, child=case.child, code=row["PREV_PERM"],
                                     made_by=row["LA_PERM"], made_on=made_on, made_on_known=known,
                                     recorded_by=self.user), row.line)  # fmt: skip

    def missing(self, case: Case, row: Row) -> None:
        self.from_row(row)
        went, back = parse_date(row["MIS_START"]), parse_date(row["MIS_END"])
        self.save(MissingEpisode(authority=self.authority, case=case, child=case.child, kind=row["MISSING"],
                                 started_at=self.at(went, WENT_AT), ended_at=self.at(back, BACK_AT) if back else None,
                                 recorded_by=self.user), row.line)  # fmt: skip

    def worker(self, number: str) -> User:
        """The member of staff with the Social Work England number; where no one here has it, an
        account no one can sign in to, named for the number, so the history still says who it was."""
        if number not in self.workers:
            found = User.objects.filter(authority=self.authority, swe_registration_number=number).first()
            self.workers[number] = found or User.objects.create(
                email=f"social-worker-{number.lower()}@{self.authority.slug}.casework.invalid",
                full_name=f"Social worker {number} (from a past return)", authority=self.authority, is_active=False,
                swe_registration_number=number, password=make_password(None))  # fmt: skip
        return self.workers[number]

    def allocation(self, case: Case, row: Row) -> None:
        """A social worker episode. One still open on 31 March is ended when the return arrives
        here (or, for a return of a year not yet over, the day after it ends), so the case arrives
        awaiting allocation; the return still shows it open, as it stood at the year's end."""
        self.from_row(row)
        started, ended = parse_date(row["SW_DECOM"]), parse_date(row["SW_DEC"])
        after_the_year = self.at(self.year.end + timedelta(days=1), time(0))
        self.save(Allocation(case=case, team=self.team, worker=self.worker(row["SW_ID"]), allocated_by=self.user,
                             allocated_at=self.at(started, RECEIVED_AT),
                             ended_at=self.at(ended, RECEIVED_AT) if ended else max(timezone.now(), after_the_year),
                             change_reason=row["SW_REASON"]), row.line)  # fmt: skip

    def liberty_order(self, case: Case, row: Row) -> None:
        self.from_row(row)
        self.save(DeprivationOfLiberty(authority=self.authority, case=case, child=case.child,
                                       started_on=parse_date(row["DOLO_START"]),
                                       ended_on=parse_date(row["DOLO_END"]), recorded_by=self.user),
                  row.line)  # fmt: skip

    def open_next_clocks(self, period: Period, reviews: list[Meeting], row: Row) -> None:
        """A period of care open on 31 March arrives as an open case awaiting allocation, with the
        clocks due next by the authority's rules: allocating it (from now, when it arrives here,
        unless the CIN census's import already asked for it), the next looked-after review, and the
        statutory visits the child's placement calls for. The next review counts from the last one
        the return holds; where it holds none, from the period's start if that was in the year (the
        first review), else from the year's start (the return shows no review since then)."""
        case = period.case
        open_before = set(Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).values_list("pk", flat=True))
        if not Deadline.objects.filter(case=case, key="assessment_allocation", status=Deadline.Status.OPEN).exists():
            open_clock("assessment_allocation", subject=case, start=timezone.now(), case=case)
        held = [review.held_at for review in reviews if review.held_at >= self.at(period.start, time(0))]
        if held:
            key, start = "lac_second_review" if len(held) == 1 else "lac_review_interval", max(held)
        elif period.start >= self.year.start:
            key, start = "lac_first_review", self.at(period.start, RECEIVED_AT)
        else:
            key, start = "lac_review_interval", self.at(self.year.start, RECEIVED_AT)
        open_clock(key, subject=case, start=start, case=case)
        on_placement_changed(case=case, changed_by=self.user, placement_started_on=period.placements[-1].started_on,
                             permanence_agreed_on=None)  # fmt: skip
        self.mark_deadlines(list(Deadline.objects.filter(case=case, status=Deadline.Status.OPEN)
                                 .exclude(pk__in=open_before)), row.line)  # fmt: skip


@transaction.atomic
def _write(*, authority: Authority, tables: Tables, file_name: str, digest: str, imported_by: User) -> ImportRun:
    year = tables.year
    run = ImportRun.objects.create(authority=authority, kind=ImportRun.Kind.SSDA903, year_ending=year.ending,
                                   file_name=file_name[:255], sha256=digest, imported_by=imported_by)  # fmt: skip
    team, _ = Team.objects.get_or_create(authority=authority, name=IMPORT_TEAM)
    writer = _Writer(authority=authority, run=run, imported_by=imported_by, team=team, tables=tables)
    headers = tables.rows["Header"]
    known = {identity.la_child_id: identity.child for identity in ReturnIdentity.objects.filter(
        authority=authority, la_child_id__in=[row.child for row in headers]).select_related("child")}  # fmt: skip
    in_care_here = set(LegalStatus.objects.filter(case__child__in=list(known.values()), kind__in=(
        LegalStatus.Kind.LOOKED_AFTER, LegalStatus.Kind.CARE_LEAVER)).values_list("case__child_id", flat=True))
    cases_here: dict[int, list[Case]] = defaultdict(list)
    for case in Case.objects.filter(child__in=list(known.values())).order_by("opened_at"):
        cases_here[case.child_id].append(case)
    grouped = {name: tables.by_child(name) for name in tables.rows}
    for header in headers:
        ident = header.child
        uasc = (grouped.get("UASC", {}).get(ident) or [None])[0]
        child = known.get(ident)
        if child is None:
            child = writer.child(header, uasc)
            run.children_created += 1
        elif child.pk in in_care_here:
            run.children_matched += 1
            run.notes.append(str(Problem("The child's time in care is already here, so this return's was left as "
                                         "it is: compare the two and correct what differs",
                                         line=header.line, la_child_id=ident, file_name=header.file_name)))
            continue
        else:
            run.children_matched += 1
            writer.from_row(header)
            writer.describe(child, header, uasc)
            child._history_user = imported_by
            child.save()
        records = {name: rows.get(ident, []) for name, rows in grouped.items()}
        _write_child(writer, child, records, cases_here[child.pk], run)
    ImportedRecord.objects.bulk_create(writer.marks)
    run.records_created = len(writer.marks)
    run.save(update_fields=["children_created", "children_matched", "episodes_created", "records_created", "notes"])
    return run


def _write_child(writer: _Writer, child: Child, records: dict[str, list[Row]], cases_here: list[Case],
                 run: ImportRun) -> None:  # fmt: skip
    periods = periods_of(records.get("Episodes", []))
    for period in periods:
        writer.period(child, period, cases_here)
        run.episodes_created += len(period.episodes)
    spans = [(period.start, period.end, period.case) for period in periods]
    if not spans:
        oc3 = records.get("OC3", [])
        if not oc3:
            return
        case = writer.care_leaver_case(child, oc3[0])
        spans = [(writer.year.start, None, case)]

    def case_for(day: date | None) -> Case:
        return writer.case_on(spans, day)

    reviews = [writer.review(case_for(parse_date(row["REVIEW"])), row) for row in records.get("Reviews", [])]
    for row in records.get("OC2", []):
        writer.health(case_for(writer.year.end), row)
    for row in records.get("OC3", []):
        birthdays = [day for years in CARE_LEAVER_BIRTHDAYS if child.date_of_birth
                     and writer.year.start <= (day := birthday(child.date_of_birth, years)) <= writer.year.end]
        contact = writer.care_leaver_contact(case_for(writer.year.end), row, birthdays[0] if birthdays
                                             else writer.year.end)  # fmt: skip
        if contact is not None and not periods and spans[0][2].is_open:
            writer.mark_deadlines([open_clock("care_leaver_contact_interval", subject=spans[0][2],
                                              start=writer.at(contact.done_on, HELD_AT), case=spans[0][2])], row.line)
    ad1 = (records.get("AD1") or [None])[0]
    writer.adoption(case_for, ad1, records.get("PlacedAdoption", []))
    for row in records.get("PrevPerm", []):
        started_in_year = [period for period in periods if period.episodes[0]["RNE"] == STARTED
                           and period.start >= writer.year.start]  # fmt: skip
        writer.previous_permanence(started_in_year[-1].case if started_in_year else case_for(None), row)
    for row in records.get("Missing", []):
        writer.missing(case_for(parse_date(row["MIS_START"])), row)
    for row in records.get("SWEpisodes", []):
        writer.allocation(case_for(parse_date(row["SW_DECOM"])), row)
    for row in records.get("DoLo", []):
        writer.liberty_order(case_for(parse_date(row["DOLO_START"])), row)
    for period in periods:
        if period.end is None and period.case.is_open:
            writer.open_next_clocks(period, reviews, period.episodes[-1])

