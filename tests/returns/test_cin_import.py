"""Importing an authority's past CIN census: the round trip (import the file, export the census)
gives the same return; the same file twice changes nothing; a bad file is refused, naming line and
child, with nothing saved; past events open no clocks."""

from collections import Counter
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from assessments.models import Assessment, Section47Enquiry, StrategyDiscussion
from cases.models import Authority, Case, Child, ChronologyEntry, Deadline, LegalStatus, Referral
from cases.roles import Role
from planning.models import Meeting, Plan
from returns.children import la_child_id, la_child_ids
from returns.cin.derive import census_children
from returns.cin.importer import IMPORT_TEAM, PLACEHOLDER_FIRST_NAME, ImportRefused, census_import
from returns.cin.validate import validate_census
from returns.cin.writer import census_xml
from returns.models import ImportedRecord, ImportRun, ReturnIdentity
from returns.years import CollectionYear
from tests.clock import DEFAULT
from tests.factories import staff
from tests.returns.cin_world import world

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2026)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CLEAN = ("cin_2025_26_front_door.xml", "cin_2025_26_protection.xml")
# Every table an import writes to, for "nothing changed" and "nothing saved".
WRITTEN = (Child, ReturnIdentity, Referral, Case, Assessment, StrategyDiscussion, Section47Enquiry, LegalStatus,
           Plan, Meeting, Deadline, ChronologyEntry, ImportRun, ImportedRecord)  # fmt: skip


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def structure(element) -> tuple:
    """An element as (tag, text, children), comments and layout left out."""
    children = tuple(structure(child) for child in element if isinstance(child.tag, str))
    return element.tag, (element.text or "").strip() if not children else "", children


def census_by_child(document: bytes) -> dict[str, tuple]:
    root = etree.fromstring(document)
    return {child.findtext("ChildIdentifiers/LAchildID"): structure(child) for child in root.iterfind("Children/Child")}


def header(document: bytes) -> tuple:
    """What the header says about the return; when and by which software it was made differ."""
    root = etree.fromstring(document)
    return structure(root.find("Header/CollectionDetails")), root.findtext("Header/Source/LEA")


def exported(authority) -> bytes:
    return census_xml(la_number=authority.la_number, year=YEAR, children=list(census_children(authority, YEAR)),
                      made_at=DEFAULT)  # fmt: skip


@pytest.fixture
def york(timescales_loaded):
    return world("york")


@pytest.fixture
def importer(york):
    return staff(Role.SERVICE_MANAGER, authority=york.authority, team=york.people["team"])


def load(york, importer, name: str, document: bytes | None = None):
    return census_import(authority=york.authority, document=document or fixture(name), file_name=name,
                         imported_by=importer)  # fmt: skip


@pytest.mark.parametrize("name", CLEAN)
def test_each_fixture_is_clean_by_the_dfe_s_rules(name):
    assert [finding for finding in validate_census(fixture(name), YEAR) if finding.is_error] == []


def test_the_round_trip_gives_the_same_census(york, importer):
    for name in CLEAN:
        result = load(york, importer, name)
        assert result.created

    document = exported(york.authority)

    expected = census_by_child(fixture(CLEAN[0])) | census_by_child(fixture(CLEAN[1]))
    found = census_by_child(document)
    assert sorted(found) == sorted(expected)
    for ident, child in expected.items():
        assert found[ident] == child, ident
    assert header(document) == header(fixture(CLEAN[0]))
    assert [finding for finding in validate_census(document, YEAR) if finding.is_error] == []


def test_what_the_import_records(york, importer):
    run = load(york, importer, CLEAN[1]).run

    child = ReturnIdentity.objects.get(authority=york.authority, la_child_id="CPP001").child
    assert (child.first_name, child.last_name) == (PLACEHOLDER_FIRST_NAME, "CPP001")
    assert la_child_id(child) == "CPP001"
    assert la_child_ids([child, york.child()])[child.pk] == "CPP001"
    [case] = child.cases.all()
    assert (case.is_open, case.worker, case.team.name) == (True, None, IMPORT_TEAM)
    statuses = [(status.cp_category, status.started_on.isoformat(), status.ended_on and status.ended_on.isoformat())
                for status in case.statuses.filter(kind="cp").order_by("started_on")]  # fmt: skip
    # The change of category is dated at the last review conference held while the plan ran.
    assert statuses == [("NEG", "2025-10-27", "2026-03-23"), ("EMO", "2026-03-23", None)]
    icpc = Meeting.objects.get(case=case, kind="icpc")
    assert (icpc.decision, icpc.categories, icpc.plan.kind) == ("cp_plan", ["NEG"], "cp")
    assert list(Meeting.objects.filter(case=case, kind="rcpc").order_by("held_at").values_list("decision", flat=True)) \
        == ["continue", "continue"]  # fmt: skip
    # Where no review conference was held, the day after the plan started.
    short = LegalStatus.objects.filter(case__child__return_identity__la_child_id="CPP004").order_by("started_on")
    assert [(status.cp_category, status.started_on.isoformat(), status.ended_on.isoformat()) for status in short] == [
        ("SAB", "2025-06-20", "2025-06-21"), ("MUL", "2025-06-21", "2025-08-21")]
    target = Deadline.objects.get(case=case, key="icpc")
    assert (target.status, target.rule) == ("met", "from the imported return")
    assert Deadline.objects.get(key="icpc", case__child__return_identity__la_child_id="CPP002").status == "met_late"

    # Each record is marked with the file and the line it came from.
    root = etree.fromstring(fixture(CLEAN[1]))
    element = next(found for found in root.iterfind("Children/Child") if found.findtext(".//LAchildID") == "CPP001")
    marks = ImportedRecord.objects.filter(import_run=run, la_child_id="CPP001")
    lines = {(mark.content_type.model, mark.line) for mark in marks}
    assert ("child", element.sourceline) in lines
    assert ("referral", element.find("CINdetails").sourceline) in lines
    assert ("meeting", element.find(".//Section47/DateOfInitialCPC").sourceline) in lines
    assert {("meeting", review.sourceline) for review in element.iterfind(".//CPPreviewDate")} <= lines
    assert run.file_name == CLEAN[1] and len(run.sha256) == 64
    assert (run.children_created, run.episodes_created, run.records_created) == (8, 10, ImportedRecord.objects.count())
    assert {mark.la_child_id for mark in ImportedRecord.objects.all()} == {
        "CPP001", "CPP002", "CPP003", "CPP004", "S47001", "S47002", "TWO001", "TWO002"}  # fmt: skip
    assert any("8873Q" in query for query in run.queries)  # the DfE's queries are kept, not refused


def test_past_events_open_no_clocks_and_open_episodes_open_only_the_next_ones(york, importer):
    for name in CLEAN:
        load(york, importer, name)

    open_ones = Deadline.objects.filter(status=Deadline.Status.OPEN)
    assert Counter(open_ones.values_list("key", flat=True)) == {
        "assessment_allocation": 8,  # every episode open on the census date, waiting for a worker
        "assessment_completion": 3,  # the assessments still in progress
        "rcpc_interval": 1,  # the next review of the plan still running, from its last review
        "icpc": 1,  # the conference an enquiry was still waiting for, by the return's own target date
    }
    cases = Case.objects.filter(closed_at=None)
    assert cases.count() == 8 and not cases.exclude(worker=None).exists()
    waiting = open_ones.get(key="icpc")
    assert (waiting.subject.outcome, waiting.due_at.date().isoformat()) == ("", "2026-04-07")
    review = open_ones.get(key="rcpc_interval")
    assert (review.subject_type, review.anchor_at.date().isoformat()) == (
        ContentType.objects.get_for_model(Plan), "2026-03-23")
    # No clock at all for closed episodes.
    assert not Deadline.objects.filter(case__closed_at__isnull=False).exclude(key="icpc").exists()


def test_importing_the_same_file_twice_changes_nothing(york, importer):
    first = load(york, importer, CLEAN[0])
    before = counts()

    again = census_import(authority=york.authority, document=fixture(CLEAN[0]), file_name="renamed.xml",
                          imported_by=importer)  # fmt: skip

    assert (again.created, again.run.pk) == (False, first.run.pk)
    assert counts() == before


def test_a_file_overlapping_an_earlier_one_adds_only_what_is_new(york, importer):
    load(york, importer, CLEAN[0])
    before = counts()
    # The same return sent again with a new serial number and one more episode for a known child.
    episode = b"""      <CINdetails>
        <CINreferralDate>2026-03-02</CINreferralDate>
        <ReferralSource>1C</ReferralSource>
        <PrimaryNeedCode>N4</PrimaryNeedCode>
        <CINclosureDate>2026-03-03</CINclosureDate>
        <ReasonForClosure>RC8</ReasonForClosure>
        <ReferralNFA>true</ReferralNFA>
      </CINdetails>
"""
    document = fixture(CLEAN[0]).replace(b"<SerialNo>001</SerialNo>", b"<SerialNo>002</SerialNo>")
    first_episode_end = document.index(b"</CINdetails>\n") + len(b"</CINdetails>\n")
    document = document[:first_episode_end] + episode + document[first_episode_end:]
    # And an episode open in the first file has closed since.
    start = b"""<Assessments>
          <AssessmentActualStartDate>2025-05-13</AssessmentActualStartDate>"""
    closure = b"""<CINclosureDate>2026-03-20</CINclosureDate>
        <ReasonForClosure>RC1</ReasonForClosure>
        """
    document = document.replace(start, closure + start).replace(
        b"<CINPlanStartDate>2025-06-30</CINPlanStartDate>",
        b"<CINPlanStartDate>2025-06-30</CINPlanStartDate>\n          <CINPlanEndDate>2026-03-19</CINPlanEndDate>")
    assert [finding for finding in validate_census(document, YEAR) if finding.is_error] == []

    run = load(york, importer, "resent.xml", document).run

    assert (run.children_created, run.children_matched, run.episodes_created, run.episodes_matched) == (0, 7, 1, 7)
    # An episode on record is left as it is; where the file closes it, the run says so for a person to act on.
    [note] = run.notes
    assert note.startswith("Line ") and "child DIS002" in note and "closed on 20 March 2026" in note
    assert Case.objects.get(child__return_identity__la_child_id="DIS002").closed_at is None
    after = counts()
    assert after["Child"] == before["Child"] and after["Referral"] == before["Referral"] + 1
    [nfa] = [row for row in census_children(york.authority, YEAR) if row.la_child_id == "NFA001"]
    assert [episode.referral_on.isoformat() for episode in nfa.episodes] == ["2025-09-08", "2026-03-02"]


@pytest.mark.parametrize(("name", "line", "child", "words"), [
    ("cin_2025_26_schema_error.xml", 70, "CIN001", "Sex"),
    ("cin_2025_26_rule_error.xml", None, "CIN002", "8608"),
])  # fmt: skip
def test_a_file_that_breaks_a_rule_is_refused_naming_line_and_child_with_nothing_saved(york, importer, name, line,
                                                                                      child, words):  # fmt: skip
    before = counts()

    with pytest.raises(ImportRefused) as refused:
        load(york, importer, name)

    [problem] = {(problem.line, problem.la_child_id) for problem in refused.value.problems}
    root = etree.fromstring(fixture(name))
    starts = {found.findtext(".//LAchildID"): found.sourceline for found in root.iterfind("Children/Child")}
    assert problem == (line or starts[child], child)
    assert words in str(refused.value) and str(refused.value).startswith(f"Line {problem[0]}, child {child}: ")
    assert counts() == before


def test_a_file_for_another_authority_or_with_a_dtd_is_refused(york, importer):
    with pytest.raises(ImportRefused, match="DfE number 816, not"):
        census_import(authority=Authority.objects.get(slug="leeds"), document=fixture(CLEAN[0]), file_name="york.xml",
                      imported_by=importer)  # fmt: skip
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY a "aaaa">]>\n<Message>&a;</Message>\n'
    with pytest.raises(ImportRefused, match="DTD"):
        load(york, importer, "bomb.xml", bomb)
    with pytest.raises(ImportRefused, match="Line 3"):
        load(york, importer, "broken.xml", b'<?xml version="1.0"?>\n<Message>\n<Header></Message>\n')
    assert not ImportRun.objects.exists()


def test_the_import_takes_the_same_queries_for_each_child(york, importer):
    template = fixture(CLEAN[1])
    root = etree.fromstring(template)
    child = next(found for found in root.iterfind("Children/Child") if found.findtext(".//LAchildID") == "CPP001")
    block = etree.tostring(child)

    def queries(count: int, prefix: str) -> int:
        children = b"".join(block.replace(b"CPP001", f"{prefix}{number:03d}".encode()) for number in range(count))
        start, end = template.index(b"<Children>") + len(b"<Children>"), template.index(b"</Children>")
        document = template[:start] + children + template[end:]
        with CaptureQueriesContext(connection) as captured:
            load(york, importer, f"{prefix}.xml", document)
        return len(captured)

    queries(1, "W")  # the content types and the team, looked up once
    two, four, six = queries(2, "A"), queries(4, "B"), queries(6, "C")
    assert six - four == four - two  # the same for each child, whatever the file's size
    # About two queries (the row and its history) for each of the ~25 records (chronology included) a
    # child with a plan brings, and a mark for the performance figures with each deadline written.
    assert (four - two) / 2 <= 60
