"""The CIN census as the DfE's XML message, checked against the schema for its year before anyone
can send it (returns/cin/schema/)."""

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

from lxml import etree

from returns.cin.derive import ChildRow, EpisodeRow, PreProceedingsRow
from returns.years import CollectionYear

SCHEMAS = Path(__file__).resolve().parent / "schema"
SOFTWARE = "Casework"
RELEASE = "1"
# 2026-27 adds module 5, pre-proceedings and family group decision making.
PRE_PROCEEDINGS_FROM = 2027
# An uploaded file is never allowed to expand entities or reach the network.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class SchemaError(ValueError):
    """The message breaks the DfE's schema: `problems` names each line and what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def schema_for(year: CollectionYear) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"cin_census_{year.label.replace('-', '_')}.xsd")))


def _text(parent, name: str, value) -> None:
    """An optional element is left out, never written empty: the schema reads empty as invalid."""
    if value is None or value == "":
        return
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, date):
        element.text = value.isoformat()
    else:
        element.text = str(value)


def census_xml(*, la_number: str, year: CollectionYear, children: Iterable[ChildRow], made_at: datetime) -> bytes:
    message = ElementTree.Element("Message")
    header = ElementTree.SubElement(message, "Header")
    details = ElementTree.SubElement(header, "CollectionDetails")
    _text(details, "Collection", "CIN")
    _text(details, "Year", year.ending)
    _text(details, "ReferenceDate", year.end)
    source = ElementTree.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", la_number)
    _text(source, "SoftwareCode", SOFTWARE)
    _text(source, "Release", RELEASE)
    _text(source, "SerialNo", "001")
    _text(source, "DateTime", made_at.replace(microsecond=0, tzinfo=None).isoformat())
    listed = ElementTree.SubElement(message, "Children")
    for child in children:
        _child(listed, child, year)
    ElementTree.indent(message)
    return ElementTree.tostring(message, encoding="utf-8", xml_declaration=True)


def _child(parent, child: ChildRow, year: CollectionYear) -> None:
    element = ElementTree.SubElement(parent, "Child")
    identifiers = ElementTree.SubElement(element, "ChildIdentifiers")
    _text(identifiers, "LAchildID", child.la_child_id)
    _text(identifiers, "UPN", child.upn)
    _text(identifiers, "FormerUPN", child.former_upn)
    _text(identifiers, "UPNunknown", child.upn_unknown)
    _text(identifiers, "PersonBirthDate", child.born_on)
    _text(identifiers, "ExpectedPersonBirthDate", child.expected_on)
    _text(identifiers, "Sex", child.sex)
    _text(identifiers, "PersonDeathDate", child.died_on)
    characteristics = ElementTree.SubElement(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", child.ethnicity)
    if child.disabilities:
        disabilities = ElementTree.SubElement(characteristics, "Disabilities")
        for code in child.disabilities:
            _text(disabilities, "Disability", code)
    for episode in child.episodes:
        _episode(element, episode, year)


def _episode(parent, episode: EpisodeRow, year: CollectionYear) -> None:
    element = ElementTree.SubElement(parent, "CINdetails")
    _text(element, "CINreferralDate", episode.referral_on)
    _text(element, "ReferralSource", episode.source)
    _text(element, "PrimaryNeedCode", episode.need)
    _text(element, "CINclosureDate", episode.closed_on)
    _text(element, "ReasonForClosure", episode.closure_reason)
    _text(element, "DateOfInitialCPC", episode.icpc_on)
    for assessment in episode.assessments:
        block = ElementTree.SubElement(element, "Assessments")
        _text(block, "AssessmentActualStartDate", assessment.started_on)
        _text(block, "AssessmentAuthorisationDate", assessment.authorised_on)
        if assessment.factors:
            factors = ElementTree.SubElement(block, "FactorsIdentifiedAtAssessment")
            for code in assessment.factors:
                _text(factors, "AssessmentFactors", code)
    for plan in episode.plan_dates:
        block = ElementTree.SubElement(element, "CINPlanDates")
        _text(block, "CINPlanStartDate", plan.started_on)
        _text(block, "CINPlanEndDate", plan.ended_on)
    for enquiry in episode.enquiries:
        block = ElementTree.SubElement(element, "Section47")
        _text(block, "S47ActualStartDate", enquiry.started_on)
        _text(block, "InitialCPCtarget", enquiry.icpc_target)
        _text(block, "DateOfInitialCPC", enquiry.icpc_on)
        _text(block, "ICPCnotRequired", enquiry.icpc_not_required)
    _text(element, "ReferralNFA", episode.nfa)
    for plan in episode.protection_plans:
        block = ElementTree.SubElement(element, "ChildProtectionPlans")
        _text(block, "CPPstartDate", plan.started_on)
        _text(block, "CPPendDate", plan.ended_on)
        _text(block, "InitialCategoryOfAbuse", plan.initial_category)
        _text(block, "LatestCategoryOfAbuse", plan.latest_category)
        _text(block, "NumberOfPreviousCPP", plan.previous_plans)
        if plan.reviews:
            reviews = ElementTree.SubElement(block, "Reviews")
            for day in plan.reviews:
                _text(reviews, "CPPreviewDate", day)
    if year.ending >= PRE_PROCEEDINGS_FROM:
        for found in episode.pre_proceedings:
            _pre_proceedings(element, found)


def _pre_proceedings(parent, found: PreProceedingsRow) -> None:
    block = ElementTree.SubElement(parent, "PreProceedingsandFGDM")
    _text(block, "PPStartDate", found.started_on)
    _text(block, "LBPSentDate", found.letter_sent_on)
    _text(block, "FGDMMeetingOffer", found.fgdm_offered)
    _text(block, "FGDMMeetingFac", found.fgdm_held)
    _text(block, "InitialPPMeetingDate", found.first_meeting_on)
    if found.first_meeting_on:
        _text(block, "ReviewMeetingsCount", found.review_meetings)
    _text(block, "StepDecisionDate", found.decided_on)
    # PPOutcome is left out: the wording of the DfE's codes A, B and C is not published where
    # Casework could read it, and a guessed letter would tell the DfE something untrue
    # (planning.models.PreProceedings.Outcome; the README says so).
    _text(block, "CourtAppDate", found.court_application_on)
    _text(block, "LetterInitCPDate", found.proceedings_letter_on)


def schema_problems(document: bytes, year: CollectionYear) -> list[str]:
    """Each way the message breaks the year's schema, with its line; none when it is valid."""
    try:
        parsed = etree.fromstring(document, SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        return [f"Line {error.lineno}: the file is not well-formed XML ({error.msg})"]
    schema = schema_for(year)
    if schema.validate(parsed):
        return []
    return [f"Line {entry.line}: {entry.message}" for entry in schema.error_log]
