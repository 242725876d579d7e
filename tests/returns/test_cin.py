"""The CIN census: who is in it, what each episode says as it stood at the end of the year, the
XML the DfE's schema accepts, and the DfE's own rules finding no error."""

from datetime import date

import pytest
from django.utils import timezone
from lxml import etree

from cases.codes import ETHNICITIES
from cases.codes.cin_census import (
    ABUSE_CATEGORIES,
    ASSESSMENT_FACTORS,
    CLOSURE_REASONS,
    DISABILITIES,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    UPN_UNKNOWN,
)
from cases.models import Case, Deadline
from cases.roles import Role
from returns.children import la_child_id
from returns.cin.derive import census_children
from returns.cin.validate import validate_census
from returns.cin.writer import SCHEMAS, census_xml, schema_problems
from returns.years import CollectionYear
from tests.clock import DEFAULT
from tests.returns.cin_world import world

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2026)  # 1 April 2025 to 31 March 2026


@pytest.mark.parametrize("name", ["cin_census_2025_26.xsd", "cin_census_2026_27.xsd"])
def test_the_schemas_code_sets_are_casework_s_code_lists(name):
    """The enumerations in the shipped schema and the code lists the forms offer are one list: a
    code a worker can choose is one the schema accepts, and the reverse."""
    schema = etree.parse(str(SCHEMAS / name))
    namespace = {"xs": "http://www.w3.org/2001/XMLSchema"}

    def codes(type_name):
        return {node.get("value") for node in schema.xpath(
            f"//xs:simpleType[@name='{type_name}']//xs:enumeration", namespaces=namespace)}  # fmt: skip

    expected = {"ReferralSourceCode": REFERRAL_SOURCES, "PrimaryNeedCode": PRIMARY_NEEDS,
                "ClosureReasonCode": CLOSURE_REASONS, "AbuseCategoryCode": ABUSE_CATEGORIES,
                "AssessmentFactorCode": ASSESSMENT_FACTORS, "DisabilityCode": DISABILITIES,
                "UPNUnknownCode": UPN_UNKNOWN, "EthnicityCode": ETHNICITIES}  # fmt: skip
    for type_name, code_list in expected.items():
        assert codes(type_name) == {code for code, _ in code_list.codes}, type_name
    assert codes("SexCode") == {"M", "F", "U"}


def census(authority, year=YEAR) -> tuple[list, bytes]:
    children = list(census_children(authority, year))
    return children, census_xml(la_number=authority.la_number, year=year, children=children, made_at=DEFAULT)


@pytest.fixture
def york(timescales_loaded):
    return world("york")


def test_the_census_holds_every_episode_open_in_the_year_as_it_stood_on_31_march(york):
    # Closed within the year after a child in need plan.
    helped = york.child(first_name="Ava", disabilities=["LD", "AUT"], upn="")
    case = york.referral(helped, date(2025, 6, 2), source="3A", category_of_need="N4").case
    york.assessment(case, date(2025, 6, 3), date(2025, 7, 14), factors=("2B", "3B"))  # a CIN plan from approval
    york.end_status(case, "cin", date(2026, 1, 14))
    york.close(case, date(2026, 1, 15))
    # No further action at the front door.
    nfa = york.child(first_name="Ben", sex="M")
    york.referral(nfa, date(2025, 9, 8), decision="nfa", source="1C")
    # Still being assessed at the year's end: authorised only in April, the next year.
    waiting = york.child(first_name="Cal", sex="M")
    waiting_case = york.referral(waiting, date(2026, 3, 2), source="2A").case
    york.assessment(waiting_case, date(2026, 3, 3), date(2026, 4, 14))
    # Closed in April: open in this year's census.
    late = york.child(first_name="Dee")
    late_case = york.referral(late, date(2025, 11, 3)).case
    york.close(late_case, date(2026, 4, 2), reason="RC8")
    # Not in it: a contact decided as early help, one not decided yet, a case closed the year before.
    york.referral(york.child(first_name="Eve"), date(2025, 10, 1), decision="early_help")
    york.referral(york.child(first_name="Fay"), date(2026, 3, 30), decision=None)
    gone = york.referral(york.child(first_name="Gus"), date(2024, 10, 1)).case
    york.close(gone, date(2025, 3, 20))
    # Referred after the year: the next census.
    york.referral(york.child(first_name="Hal"), date(2026, 4, 20))

    children, document = census(york.authority)

    by_name = {row.child_id: row for row in children}
    assert sorted(by_name) == sorted(child.pk for child in (helped, nfa, waiting, late))
    ava = by_name[helped.pk]
    assert (ava.la_child_id, ava.sex, ava.disabilities) == (la_child_id(helped), "F", ["LD", "AUT"])
    [episode] = ava.episodes
    assert (episode.referral_on, episode.source, episode.need) == (date(2025, 6, 2), "3A", "N4")
    assert (episode.closed_on, episode.closure_reason, episode.nfa) == (date(2026, 1, 15), "RC7", False)
    [assessment] = episode.assessments
    assert (assessment.started_on, assessment.authorised_on, assessment.factors) == (
        date(2025, 6, 3), date(2025, 7, 14), ["2B", "3B"])
    assert [(plan.started_on, plan.ended_on) for plan in episode.plan_dates] == [
        (date(2025, 7, 14), date(2026, 1, 14))]
    [ben] = by_name[nfa.pk].episodes
    assert (ben.nfa, ben.closed_on, ben.closure_reason, ben.assessments) == (True, date(2025, 9, 8), "RC8", [])
    [cal] = by_name[waiting.pk].episodes
    assert [(row.authorised_on, row.factors) for row in cal.assessments] == [(None, [])]
    [dee] = by_name[late.pk].episodes
    assert (dee.closed_on, dee.closure_reason) == (None, "")
    assert Case.objects.get(pk=late_case.pk).closed_at is not None  # the record itself is closed

    assert schema_problems(document, YEAR) == []
    errors = [finding for finding in validate_census(document, YEAR) if finding.is_error]
    assert errors == []


def test_a_child_protection_plan_with_its_enquiry_conference_reviews_and_the_plans_before_it(york):
    child = york.child(first_name="Iris")
    # An earlier episode with a plan that ended before this year.
    earlier = york.referral(child, date(2024, 5, 1)).case
    york.enquiry(earlier, date(2024, 5, 1), concluded=date(2024, 5, 8))
    york.conference(earlier, date(2024, 5, 20), categories=("NEG",))
    york.review(earlier, date(2024, 8, 19), decision="end")
    york.close(earlier, date(2024, 9, 2))
    # This year's: enquiry, conference, a plan first for neglect then emotional abuse, two reviews.
    case = york.referral(child, date(2025, 10, 6), source="3E").case
    enquiry = york.enquiry(case, date(2025, 10, 6), concluded=date(2025, 10, 13))
    york.conference(case, date(2025, 10, 27), categories=("NEG",))
    york.status(case, "cp", date(2025, 12, 1), cp_category="EMO")
    york.review(case, date(2026, 1, 26))
    york.review(case, date(2026, 4, 27))  # after the year: not in this census
    # A second child whose enquiry found no need for a conference.
    other = york.child(first_name="Jay", sex="M")
    other_case = york.referral(other, date(2025, 11, 3)).case
    york.enquiry(other_case, date(2025, 11, 3), outcome="unsubstantiated", concluded=date(2025, 11, 10))

    children, document = census(york.authority)

    rows = {row.child_id: row for row in children}
    [episode] = rows[child.pk].episodes  # the earlier episode closed before the year
    [s47] = episode.enquiries
    assert (s47.started_on, s47.icpc_on, s47.icpc_not_required) == (date(2025, 10, 6), date(2025, 10, 27), False)
    assert s47.icpc_target == timezone.localdate(Deadline.objects.get(key="icpc", subject_id=enquiry.pk).due_at)
    assert episode.icpc_on is None  # recorded on the enquiry, never on both (rule 2884)
    [plan] = episode.protection_plans
    assert (plan.started_on, plan.ended_on, plan.initial_category, plan.latest_category) == (
        date(2025, 10, 27), None, "NEG", "EMO")
    assert (plan.previous_plans, plan.reviews) == (1, [date(2026, 1, 26)])
    [jay] = rows[other.pk].episodes[0].enquiries
    assert (jay.icpc_on, jay.icpc_not_required) == (None, True)

    assert [finding for finding in validate_census(document, YEAR) if finding.is_error] == []


def test_2026_27_adds_pre_proceedings_which_2025_26_never_carries(york):
    import time_machine

    from planning.services.pre_proceedings import pre_proceedings_start
    from tests.returns.cin_world import moment

    child = york.child(first_name="Kit")
    case = york.referral(child, date(2026, 3, 2)).case
    york.enquiry(case, date(2026, 3, 2), concluded=date(2026, 3, 9))
    york.conference(case, date(2026, 3, 23))
    with time_machine.travel(moment(date(2026, 10, 7)), tick=False):
        pre_proceedings_start(case=case, recorded_by=york.people[Role.SOCIAL_WORKER], started_on=date(2026, 10, 5),
                              letter_sent_on=date(2026, 10, 7), fgdm_offered=True)  # fmt: skip

    this_year, next_year = CollectionYear(2026), CollectionYear(2027)
    _, old = census(york.authority, this_year)
    _, new = census(york.authority, next_year)

    assert b"PreProceedingsandFGDM" not in old and schema_problems(old, this_year) == []
    block = etree.fromstring(new).find(".//PreProceedingsandFGDM")
    assert [(element.tag, element.text) for element in block] == [
        ("PPStartDate", "2026-10-05"), ("LBPSentDate", "2026-10-07"), ("FGDMMeetingOffer", "true")]
    assert schema_problems(new, next_year) == []
    assert "PreProceedingsandFGDM" in str(schema_problems(new, this_year))  # the older schema has no such module
    assert [finding for finding in validate_census(new, next_year) if finding.is_error] == []


def test_deriving_the_census_takes_the_same_queries_for_more_children(york):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert list(census_children(york.authority, YEAR))
        return len(captured)

    def add(count: int) -> None:
        for number in range(count):
            case = york.referral(york.child(first_name=f"Child{number}"), date(2025, 6, 2 + number)).case
            york.assessment(case, date(2025, 6, 3 + number), date(2025, 7, 1 + number))
            york.enquiry(case, date(2025, 7, 2 + number), concluded=date(2025, 7, 9 + number))

    add(2)
    few = queries()
    add(6)
    assert queries() == few <= 12


def test_producing_the_census_finds_its_children_once_in_the_same_queries_for_more(york, monkeypatch):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from returns.cin import derive, produce

    looked_for, find = [], derive.child_ids_in

    def counted(authority, year):
        looked_for.append(year)
        return find(authority, year)

    monkeypatch.setattr(derive, "child_ids_in", counted)
    monkeypatch.setattr(produce, "child_ids_in", counted)

    def queries() -> int:
        looked_for.clear()
        # Each run looks the content type up afresh, as a new worker process would.
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as captured:
            produced = produce.census_checked(york.authority, YEAR, lambda percent, stage: None)
        assert looked_for == [YEAR] and produced.children
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            number = york.authority.children.count()
            york.referral(york.child(first_name=f"Child{number}"), date(2025, 6, 2 + number))

    add(2)
    few = queries()
    add(4)
    assert queries() == few


def test_a_file_that_breaks_the_schema_names_the_line_and_the_element(york):
    document = b"<?xml version='1.0'?>\n<Message>\n<Header/>\n<Children/>\n</Message>\n"
    problems = schema_problems(document, YEAR)
    assert problems and problems[0].startswith("Line 3:") and "CollectionDetails" in problems[0]
    findings = validate_census(document, YEAR)
    assert findings and all(finding.rule == "Schema" and finding.is_error for finding in findings)
