"""Importing an authority's past SSDA903 return: the round trip (import the tables, export the
return) gives the same rows in every table; the same files twice change nothing; a bad return is
refused, naming file, line and child, with nothing saved; past events open no clocks, and an
episode open on 31 March arrives as an open case awaiting allocation with the clocks due next.

The fixtures are our own: `ssda903_2025_26` is written by hand to hold a child for each case the
importer must get right (a period begun before the year, a move with the same carer, a change of
legal status only, adoption, a care leaver known only by OC3, an asylum-seeking child who turned
18, a young mother, missing episodes, a previous permanence order with its day unknown);
`ssda903_2026_27` is the Leeds demo's return for the year to date (deprivation of liberty orders)."""

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from cases.models import Address, Allocation, Case, Child, ChronologyEntry, Deadline, LegalStatus, Referral, User
from cases.roles import Role
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
from returns.importing import IMPORT_TEAM, ImportRefused, written_once
from returns.models import ImportedRecord, ImportRun, ReturnIdentity
from returns.services import import_confirm, import_stage
from returns.ssda903.derive import derive
from returns.ssda903.importer import ssda903_import
from returns.ssda903.tables import columns_for
from returns.ssda903.validate import validate_tables
from returns.ssda903.writer import read_tables
from returns.years import CollectionYear
from tests.factories import ChildFactory, TeamFactory, referral_fields, staff

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RETURNS = {2026: FIXTURES / "ssda903_2025_26", 2027: FIXTURES / "ssda903_2026_27"}
WRITTEN = (Child, ReturnIdentity, Referral, Case, ChronologyEntry, LegalStatus, Placement, Address, Meeting,
           HealthOutcome, CareCheck, CareLeaverContact, AdoptionStep, Adopters, PreviousPermanence, MissingEpisode,
           Allocation, DeprivationOfLiberty, Deadline, User, ImportRun, ImportedRecord)  # fmt: skip


def files_of(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.csv"))}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def rows_by_table(tables: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """Each table's rows in a stable order, for comparing two returns whatever order they list them in."""
    return {name: sorted(tuple(row.get(column, "") for column in columns_for_any(name)) for row in rows)
            for name, rows in tables.items()}  # fmt: skip


def columns_for_any(name: str) -> tuple[str, ...]:
    return columns_for(CollectionYear(2027))[name]


@pytest.fixture
def leeds(timescales_loaded):
    from cases.models import Authority

    return Authority.objects.get(slug="leeds")


@pytest.fixture
def data_officer(leeds):
    return staff(Role.DATA_OFFICER, authority=leeds)


def load(authority, user, ending: int, files: dict[str, bytes] | None = None):
    return ssda903_import(authority=authority, files=files or files_of(RETURNS[ending]), imported_by=user)


@pytest.mark.parametrize("ending", sorted(RETURNS))
def test_each_fixture_is_clean_by_the_dfe_s_rules(leeds, ending):
    year = CollectionYear(ending)
    tables = read_tables(directory=RETURNS[ending], year=year)
    assert set(tables) == set(columns_for(year))
    findings = validate_tables(tables=tables, year=year, local_authority=leeds.ons_code).as_findings()
    assert [finding for finding in findings if finding.is_error] == []


@pytest.mark.parametrize("ending", sorted(RETURNS))
def test_the_round_trip_gives_the_same_rows_in_every_table(leeds, data_officer, ending):
    year = CollectionYear(ending)
    result = load(leeds, data_officer, ending)
    assert result.created and result.run.year_ending == ending

    exported = derive(authority=leeds, year=year)

    expected = read_tables(directory=RETURNS[ending], year=year)
    assert set(exported) == set(expected)
    found, wanted = rows_by_table(exported), rows_by_table(expected)
    for name in expected:
        assert found[name] == wanted[name], name



def test_the_same_files_twice_change_nothing(leeds, data_officer):
    first = load(leeds, data_officer, 2026)
    before = counts()

    again = load(leeds, data_officer, 2026, {f"renamed-{name}": content
                                             for name, content in files_of(RETURNS[2026]).items()})

    assert (again.created, again.run) == (False, first.run)
    assert counts() == before


def test_what_the_import_records(leeds, data_officer):
    run = load(leeds, data_officer, 2026).run

    assert (run.kind, run.children_created, run.children_matched, run.episodes_created) == ("ssda903", 7, 0, 11)
    child = ReturnIdentity.objects.get(authority=leeds, la_child_id="LA000007").child
    assert (child.first_name, child.last_name) == ("Imported child", "LA000007")
    # A period still open on 31 March is an open case awaiting allocation; one that ended is closed.
    open_case = Case.objects.get(child=child)
    assert (open_case.is_open, open_case.worker, open_case.team.name) == (True, None, IMPORT_TEAM)
    adopted = ReturnIdentity.objects.get(authority=leeds, la_child_id="LA000004").child
    assert [case.is_open for case in Case.objects.filter(child=adopted)] == [False]
    # Three episodes, three legal statuses (V2, C1, C2) and three placements, the last two with the
    # same carer (U: the legal status and placement changed, the carer did not).
    statuses = LegalStatus.objects.filter(case=open_case).order_by("started_on")
    assert [status.legal_status for status in statuses] == ["V2", "C1", "C2"]
    carers = list(Placement.objects.filter(child=child).order_by("started_on").values_list("carer", flat=True))
    assert len(carers) == 3 and carers[0] != carers[1] == carers[2]
    # The history reads as a chronology, each entry saying it was imported.
    entries = ChronologyEntry.objects.filter(child=child).order_by("occurred_at", "pk")
    assert list(entries.values_list("title", flat=True)) == [
        "Began to be looked after: Accommodated under section 20: a single period of accommodation",
        "Placement began: Foster placement with another foster carer: not long-term or fostering for adoption",
        "Looked-after review held",
        "Legal status changed: Interim care order",
        "Placement began: Foster placement with another foster carer: long-term fostering",
        "Looked-after review held",
        "Legal status changed: Full care order",
        "Placement began: Foster placement with another foster carer: long-term fostering",
    ]
    # Every record says where it came from: the table's file and its line.
    placement = Placement.objects.filter(child=child).order_by("started_on").first()
    mark = ImportedRecord.objects.get(object_id=placement.pk, content_type__model="placement")
    assert (mark.file_name, mark.line, mark.la_child_id) == ("episodes.csv", 10, "LA000007")
    # Social workers no one here has are accounts no one can sign in to, named for their number.
    worker = User.objects.get(authority=leeds, swe_registration_number="SW110002")
    assert (worker.is_active, worker.has_usable_password()) == (False, False)
    assert not Allocation.objects.filter(case__child__authority=leeds, ended_at__isnull=True).exists()


def test_only_open_periods_start_clocks(leeds, data_officer):
    load(leeds, data_officer, 2026)

    opened = Deadline.objects.filter(authority=leeds, status=Deadline.Status.OPEN)
    by_child = {ReturnIdentity.objects.get(child=deadline.child).la_child_id for deadline in opened}
    # LA000004 was adopted and LA000006 left care in the year: nothing is due for either.
    assert by_child == {"LA000001", "LA000002", "LA000003", "LA000007", "LA000005"}
    la000001 = opened.filter(child__return_identity__la_child_id="LA000001")
    # Two reviews were held in the period, so the next is the regular interval from the last one.
    assert "lac_review_interval" in set(la000001.values_list("key", flat=True))
    assert not Deadline.objects.filter(authority=leeds).exclude(status=Deadline.Status.OPEN).exists()


def test_a_child_already_here_gets_the_return_s_care_history_once(leeds, data_officer):
    load(leeds, data_officer, 2026)
    child = ReturnIdentity.objects.get(authority=leeds, la_child_id="LA000001").child
    changed = files_of(RETURNS[2026])
    changed["reviews.csv"] += b"LA000001,04/06/2010,20/03/2026,PN1\r\n"

    run = load(leeds, data_officer, 2026, changed).run

    assert (run.children_created, run.children_matched, run.episodes_created) == (0, 7, 0)
    assert Child.objects.filter(authority=leeds).count() == 7
    assert Meeting.objects.filter(child=child).count() == 2
    assert "LA000001" in " ".join(run.notes) and "already here" in " ".join(run.notes)


def test_a_return_breaking_a_rule_is_refused_naming_file_line_and_child(leeds, data_officer):
    before = counts()
    broken = files_of(RETURNS[2026])
    broken["reviews.csv"] = broken["reviews.csv"].replace(b"LA000004,20/05/2021,15/10/2025,PN3",
                                                          b"LA000004,20/05/2021,15/10/2025,PN0")

    with pytest.raises(ImportRefused) as refused:
        load(leeds, data_officer, 2026, broken)

    assert any(problem.file_name == "reviews.csv" and problem.line == 9 and problem.la_child_id == "LA000004"
               and "rule 440" in problem.message for problem in refused.value.problems)  # fmt: skip
    assert counts() == before


@pytest.mark.parametrize(("change", "message"), [
    (lambda files: files | {"episodes.csv": b"\xff\xfe\x00bad"}, "not UTF-8"),
    (lambda files: files | {"notes.csv": b"NAME,NOTE\r\nx,y\r\n"}, "not one of the SSDA903 tables"),
    (lambda files: files | {"copy.csv": files["header.csv"]},
     "header.csv: The file holds the Header table, which copy.csv holds too"),
    (lambda files: {name: content for name, content in files.items() if name != "episodes.csv"}, "no Episodes"),
    (lambda files: files | {"missing.csv": files["missing.csv"] + b"LA999999,01/01/2010,M,01/01/2026,\r\n"},
     "not in the Header table"),
    (lambda files: files | {"missing.csv": files["missing.csv"] + b"LA000001,04/06/2010,M\r\n"}, "3 values, not 5"),
])  # fmt: skip
def test_a_file_that_is_not_a_return_is_refused_with_nothing_saved(leeds, data_officer, change, message):
    before = counts()

    with pytest.raises(ImportRefused, match=message):
        load(leeds, data_officer, 2026, change(files_of(RETURNS[2026])))

    assert counts() == before


def test_the_year_is_the_one_the_latest_date_falls_in(leeds, data_officer):
    too_old = files_of(RETURNS[2026])
    too_old["episodes.csv"] = too_old["episodes.csv"].replace(b"2025", b"2019").replace(b"2026", b"2019")
    too_old = {name: content for name, content in too_old.items() if name in ("header.csv", "episodes.csv")}

    with pytest.raises(ImportRefused, match="not for 2025-26 or 2026-27"):
        load(leeds, data_officer, 2026, too_old)


@pytest.mark.parametrize("ending", sorted(RETURNS))
def test_queries_grow_with_the_children_not_beyond(leeds, data_officer, ending):
    """Importing writes each record once (history included), so its queries grow with the return;
    this holds them to a fixed number a record, so nothing reads the whole table per child."""
    with CaptureQueriesContext(connection) as captured:
        run = load(leeds, data_officer, ending).run
    assert len(captured) <= 60 + 8 * run.records_created


def test_a_period_joins_the_case_the_cin_census_brought_in(leeds, data_officer):
    """A child the CIN census brought in (their identifier, an open case since before they came
    into care) gets the return's care history on that case: one child, one case, the same return."""
    child = ChildFactory(authority=leeds, sex="M", date_of_birth=date(2010, 6, 4), ethnicity="WBRI",
                         upn="C383201114101")
    ReturnIdentity.objects.create(child=child, authority=leeds, la_child_id="LA000001")
    team = TeamFactory(authority=leeds)
    opened = datetime(2025, 7, 1, 9, tzinfo=UTC)
    referral = Referral.objects.create(**referral_fields(received_at=opened, category_of_need="N5"), authority=leeds,
                                       child=child, team=team, recorded_by=data_officer, decision="assessment")
    case = Case.objects.create(authority=leeds, child=child, team=team, referral=referral, opened_at=opened)

    run = load(leeds, data_officer, 2026).run

    assert (run.children_created, run.children_matched) == (6, 1)
    assert list(Case.objects.filter(child=child)) == [case]
    assert LegalStatus.objects.get(case=case).legal_status == "V2"
    exported = rows_by_table(derive(authority=leeds, year=CollectionYear(2026)))
    expected = rows_by_table(read_tables(directory=RETURNS[2026], year=CollectionYear(2026)))
    assert exported["Episodes"] == expected["Episodes"] and exported["Header"] == expected["Header"]


def zipped(files: dict[str, bytes], folder: str = "ssda903/") -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as written:
        for name, content in files.items():
            written.writestr(folder + name, content)
    return archive.getvalue()


def test_a_zip_uploaded_on_the_page_is_previewed_then_imported_once(leeds, data_officer):
    document = zipped(files_of(RETURNS[2026]))
    before = counts()

    staged = import_stage(uploaded_by=data_officer, file_name="ssda903_2025_26.zip", document=document)

    assert (staged.kind, staged.problems) == ("ssda903", [])
    assert (staged.preview["children_created"], staged.preview["episodes_created"]) == (7, 11)
    assert counts() == before  # the preview was imported and rolled back
    confirmed = import_confirm(staged=staged, confirmed_by=data_officer)
    assert confirmed.import_run.children_created == 7
    assert import_confirm(staged=confirmed, confirmed_by=data_officer).import_run == confirmed.import_run
    assert ImportRun.objects.filter(authority=leeds, kind="ssda903").count() == 1


@pytest.mark.parametrize(("document", "message"), [
    (b"PK\x03\x04not really a zip", "not a ZIP file"),
    (zipped({"readme.txt": b"hello"}), "holds no CSV file"),
    (zipped({f"table{number}.csv": b"A,B\r\n" for number in range(25)}), "at most 20 CSV files"),
])  # fmt: skip
def test_a_zip_that_is_not_a_return_is_refused(leeds, data_officer, document, message):
    staged = import_stage(uploaded_by=data_officer, file_name="upload.zip", document=document)

    assert staged.kind == "ssda903" and message in " ".join(staged.problems)
    assert not ImportRun.objects.exists()


def test_the_same_file_imported_at_the_same_moment_by_two_people_is_imported_once(leeds, data_officer):
    """The second import's records clash with the first's (the database refuses them): the first
    run stands and the second changes nothing; a clash with anything else refuses the file."""
    first = load(leeds, data_officer, 2026).run

    def clashing():
        raise IntegrityError("duplicate key value violates unique constraint")

    again = written_once(authority=leeds, kind="ssda903", digest=first.sha256, write=clashing)
    assert (again.run, again.created) == (first, False)
    with pytest.raises(ImportRefused, match="could not be saved together"):
        written_once(authority=leeds, kind="ssda903", digest="another file", write=clashing)
