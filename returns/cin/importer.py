"""An authority's past CIN census brought in as the children's history.

The file is checked as the DfE checks it (the schema for the year its header names, then the
DfE's own rules) before anything is written; a file with any error is refused with every problem
named by line and child, and then nothing at all is saved. A clean file is written in one
transaction: each child, with each episode's referral, case, assessments, enquiries, conferences,
plans and legal statuses, every record marked with the file and line it came from.

The records are written directly, not through the services (returns/importing.py says why). Only an
episode still open at the census date starts clocks: the ones due next, by the authority's own
timescales (see `open_next_clocks`).

Imported again, the same file changes nothing (it is recognised by its content). A file that
overlaps an earlier one (next year's census, carrying the same children) adds only what is new:
a child is the same child when the authority's identifier (LAchildID) is, and an episode the same
episode when the child already has a referral received that day; an episode already on record is
left as it is (where the file says it has closed since, the run's notes say so, for a person to
close it: the case may have been worked on here since)."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from lxml import etree

from assessments.models import Assessment, Section47Enquiry, StrategyDiscussion
from cases.models import Authority, Case, Child, ChronologyEntry, Deadline, LegalStatus, Referral, Team, User
from cases.services.performance_rollup import performance_rollup_mark
from planning.models import Meeting, Plan, PreProceedings
from planning.services.clocks import open_clock
from returns.cin.produce import NotAReturn, census_year_of
from returns.cin.validate import validate_census
from returns.cin.writer import SAFE_PARSER
from returns.findings import Finding
from returns.importing import (
    DECIDED_AT,
    DUE_BY,
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
from returns.years import CollectionYear

IMPORTED = "Imported from the authority's CIN census"
# The rule written on a deadline the return gave (the initial conference's target date).
FROM_THE_RETURN = "from the imported return"
LINE = re.compile(r"^Line (\d+): ")


def census_import(*, authority: Authority, document: bytes, file_name: str, imported_by: User) -> Imported:
    """Import a CIN census file as the authority's history, or refuse it (ImportRefused)."""
    digest = hashlib.sha256(document).hexdigest()
    earlier = earlier_run(authority=authority, kind=ImportRun.Kind.CIN, digest=digest)
    if earlier is not None:
        return Imported(run=earlier, created=False)
    root = _parsed(document)
    year = _year_of(root)
    _check_authority(root, authority)
    children = _children_by_line(root)
    findings = validate_census(document, year)
    problems = [_problem(finding, children) for finding in findings if finding.is_error]
    if problems:
        raise ImportRefused(problems)
    queries = [str(_problem(finding, children)) for finding in findings if not finding.is_error]
    return written_once(authority=authority, kind=ImportRun.Kind.CIN, digest=digest, write=lambda: _write(
        authority=authority, root=root, year=year, file_name=file_name, digest=digest, imported_by=imported_by,
        queries=queries))


def _parsed(document: bytes):
    """The message with its line numbers. defusedxml refuses a DTD, entities and anything
    external first; lxml (with a parser that resolves nothing) then gives each element its line."""
    try:
        SafeElementTree.fromstring(document, forbid_dtd=True)
    except SafeElementTree.ParseError as error:
        raise ImportRefused([Problem(f"The file is not well-formed XML ({error})", line=error.position[0])]) from None
    except DefusedXmlException:
        raise ImportRefused([Problem("The file declares a DTD or entities, which a CIN census never has")]) from None
    return etree.fromstring(document, SAFE_PARSER)


def _year_of(root) -> CollectionYear:
    try:
        return census_year_of(root.findtext("Header/CollectionDetails/ReferenceDate"))
    except NotAReturn as error:
        raise ImportRefused([Problem(str(error))]) from None


def _check_authority(root, authority: Authority) -> None:
    element = root.find("Header/Source/LEA")
    number = (element.text or "").strip() if element is not None else ""
    if not authority.la_number or number != authority.la_number:
        raise ImportRefused([Problem(f"The census is for the authority with DfE number {number or 'none'}, "
                                     f"not {authority.name} ({authority.la_number or 'no number set'})",
                                     line=element.sourceline if element is not None else None)])  # fmt: skip


def _children_by_line(root) -> list[tuple[int, str]]:
    """(the line each Child element starts on, its LAchildID), in the file's order."""
    return [(child.sourceline, (child.findtext("ChildIdentifiers/LAchildID") or "").strip())
            for child in root.iterfind("Children/Child")]  # fmt: skip


def _problem(finding: Finding, children: list[tuple[int, str]]) -> Problem:
    """A finding with its line and child: the schema names the line (the child is the one whose
    element holds it); the DfE's rules name the child (the line is where that child starts)."""
    matched = LINE.match(finding.message)
    if matched:
        line = int(matched.group(1))
        within = [ident for start, ident in children if start <= line]
        return Problem(finding.message[matched.end():], line=line, la_child_id=within[-1] if within else "")
    line = next((start for start, ident in children if ident == finding.la_child_id), None)
    return Problem(f"{finding.message} (the DfE's rule {finding.rule})", line=line, la_child_id=finding.la_child_id)


# Reading the checked message: the schema has already said every value is well formed.


def _text(element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _date(element, path: str) -> date | None:
    text = _text(element, path)
    return date.fromisoformat(text[:10]) if text else None


def _flag(element, path: str) -> bool:
    return _text(element, path).lower() in ("true", "1")


def _line(element, path: str) -> int:
    found = element.find(path)
    return found.sourceline if found is not None else element.sourceline


@dataclass
class _ProtectionPlan:
    plan: Plan
    initial_category: str
    reviews: list[Meeting]


class _Writer(RecordWriter):
    """Writes one checked census's children."""

    source = "the authority's CIN census"

    def child(self, element) -> Child:
        identifiers, characteristics = element.find("ChildIdentifiers"), element.find("ChildCharacteristics")
        born = _date(identifiers, "PersonBirthDate")
        expected = None if born else _date(identifiers, "ExpectedPersonBirthDate")
        child = Child(authority=self.authority, first_name=PLACEHOLDER_FIRST_NAME, last_name=self.la_child_id,
                      date_of_birth=born, expected_date_of_birth=expected,
                      sex=_text(identifiers, "Sex"), upn=_text(identifiers, "UPN"),
                      former_upn=_text(identifiers, "FormerUPN"), upn_unknown=_text(identifiers, "UPNunknown"),
                      date_of_death=_date(identifiers, "PersonDeathDate"),
                      ethnicity=_text(characteristics, "Ethnicity"),
                      disabilities=[(code.text or "").strip() for code in
                                    characteristics.iterfind("Disabilities/Disability")],
                      created_by=self.user)  # fmt: skip
        self.save(child, element.sourceline)
        self.identify(child)
        return child

    def episode(self, child: Child, element) -> None:
        line = element.sourceline
        referred_on, closed_on = _date(element, "CINreferralDate"), _date(element, "CINclosureDate")
        nfa = _flag(element, "ReferralNFA")
        received = self.at(referred_on, RECEIVED_AT)
        referral = self.referral(
            child=child, received_on=referred_on, line=line, source=_text(element, "ReferralSource"),
            category_of_need=_text(element, "PrimaryNeedCode"),
            decision=Referral.Decision.NO_FURTHER_ACTION if nfa else Referral.Decision.SINGLE_ASSESSMENT,
            decided_on=closed_on if nfa and closed_on else None)  # fmt: skip
        self.chronicle(child=child, case=None, kind=ChronologyEntry.Kind.REFERRAL, on=referred_on, line=line,
                       title="Referral received" + (": no further action" if nfa else ""))
        if nfa:
            return
        case = self.save(Case(
            authority=self.authority, child=child, referral=referral, opened_at=received, team=self.team,
            closed_at=self.at(closed_on, DECIDED_AT) if closed_on else None,
            closure_reason=_text(element, "ReasonForClosure") if closed_on else "",
        ), line)  # fmt: skip
        assessments = [self.assessment(case, block) for block in element.iterfind("Assessments")]
        for block in element.iterfind("CINPlanDates"):
            self.child_in_need_plan(case, block)
        plans = [self.protection_plan(case, block) for block in element.iterfind("ChildProtectionPlans")]
        # Initial conferences by day: an enquiry's and the episode's own may be the same meeting.
        conferences: dict[date, Meeting] = {}
        held_on = _date(element, "DateOfInitialCPC")
        if held_on:
            self.conference(case, held_on, _line(element, "DateOfInitialCPC"), plans, conferences)
        enquiries = element.findall("Section47")
        for index, block in enumerate(enquiries):
            self.enquiry(case, block, plans, conferences, latest=index == len(enquiries) - 1)
        for block in element.iterfind("PreProceedingsandFGDM"):
            self.pre_proceedings(case, block)
        if case.closed_at is None:
            self.open_next_clocks(case, assessments, plans, line)

    def assessment(self, case: Case, block) -> Assessment:
        authorised = _date(block, "AssessmentAuthorisationDate")
        self.chronicle(child=case.child, case=case, kind=ChronologyEntry.Kind.ASSESSMENT, line=block.sourceline,
                       on=_date(block, "AssessmentActualStartDate"), title="Single assessment started")
        if authorised:
            self.chronicle(child=case.child, case=case, kind=ChronologyEntry.Kind.ASSESSMENT, line=block.sourceline,
                           on=authorised, title="Single assessment authorised")
        return self.save(Assessment(
            authority=self.authority, case=case, child=case.child, author=self.user,
            clock_started_at=self.at(_date(block, "AssessmentActualStartDate"), RECEIVED_AT),
            status=Assessment.Status.APPROVED if authorised else Assessment.Status.DRAFT,
            approved_at=self.at(authorised, DECIDED_AT) if authorised else None,
            factors=[(code.text or "").strip() for code in
                     block.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")],
            manager_view=f"{IMPORTED}: authorised in the authority's previous system." if authorised else "",
        ), block.sourceline)  # fmt: skip

    def plan(self, case: Case, kind: str, started: date, ended: date | None, line: int) -> Plan:
        return self.save(Plan(authority=self.authority, case=case, child=case.child, kind=kind, started_on=started,
                              ended_on=ended, end_reason=f"{IMPORTED}." if ended else "", written_by=self.user,
                              outcomes=f"{IMPORTED}, which does not hold the plan itself."), line)  # fmt: skip

    def status(self, case: Case, kind: str, started: date, ended: date | None, line: int, category: str = ""):
        return self.save(LegalStatus(case=case, kind=kind, cp_category=category, started_on=started, ended_on=ended,
                                     recorded_by=self.user), line)  # fmt: skip

    def child_in_need_plan(self, case: Case, block) -> None:
        started, ended = _date(block, "CINPlanStartDate"), _date(block, "CINPlanEndDate")
        self.status(case, LegalStatus.Kind.CHILD_IN_NEED, started, ended, block.sourceline)
        self.plan(case, Plan.Kind.CHILD_IN_NEED, started, ended, block.sourceline)

    def protection_plan(self, case: Case, block) -> _ProtectionPlan:
        """The plan, its legal status (two, where the category changed) and its review conferences.

        The census gives only the first category and the latest: the change is dated at the last
        review conference held while the plan ran (a conference decides a change of category), or
        the day after the plan started where none was held."""
        line = block.sourceline
        started, ended = _date(block, "CPPstartDate"), _date(block, "CPPendDate")
        initial, latest = _text(block, "InitialCategoryOfAbuse"), _text(block, "LatestCategoryOfAbuse")
        plan = self.plan(case, Plan.Kind.CHILD_PROTECTION, started, ended, line)
        self.chronicle(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, on=started, line=line,
                       title="Child protection plan began")
        if ended:
            self.chronicle(child=case.child, case=case, kind=ChronologyEntry.Kind.PLAN, on=ended, line=line,
                           title="Child protection plan ended")
        reviews = [(date.fromisoformat((review.text or "").strip()[:10]), review.sourceline)
                   for review in block.iterfind("Reviews/CPPreviewDate")]  # fmt: skip
        if latest and latest != initial:
            held = [day for day, _ in reviews if started < day and (ended is None or day <= ended)]
            changed = max(held) if held else min(date.fromordinal(started.toordinal() + 1), ended or date.max)
            self.status(case, LegalStatus.Kind.CHILD_PROTECTION, started, changed, line, initial)
            self.status(case, LegalStatus.Kind.CHILD_PROTECTION, changed, ended, line, latest)
        else:
            self.status(case, LegalStatus.Kind.CHILD_PROTECTION, started, ended, line, initial)
        meetings = [self.save(Meeting(
            authority=self.authority, case=case, child=case.child, plan=plan, kind=Meeting.Kind.RCPC,
            held_at=self.at(day, HELD_AT), recorded_by=self.user, summary=f"{IMPORTED}.",
            decision=Meeting.Decision.END if day == ended else Meeting.Decision.CONTINUE,
        ), review_line) for day, review_line in reviews]  # fmt: skip
        return _ProtectionPlan(plan=plan, initial_category=initial, reviews=meetings)

    def conference(self, case: Case, day: date, line: int, plans, conferences: dict[date, Meeting]) -> Meeting:
        if day in conferences:
            return conferences[day]
        # The conference that decided a plan is the one held the day the plan started.
        decided = next((written for written in plans if written.plan.started_on == day), None)
        self.chronicle(child=case.child, case=case, kind=ChronologyEntry.Kind.CONFERENCE, on=day, line=line,
                       title="Initial child protection conference held")
        conferences[day] = self.save(Meeting(
            authority=self.authority, case=case, child=case.child, plan=decided.plan if decided else None,
            kind=Meeting.Kind.ICPC, held_at=self.at(day, HELD_AT), recorded_by=self.user, summary=f"{IMPORTED}.",
            categories=[decided.initial_category] if decided else [],
            decision=Meeting.Decision.CP_PLAN if decided else Meeting.Decision.NO_PLAN,
        ), line)  # fmt: skip
        return conferences[day]

    def enquiry(self, case: Case, block, plans, conferences: dict[date, Meeting], *, latest: bool) -> None:
        """The strategy discussion that started the enquiry (the census knows only the enquiry's
        start), the enquiry, its initial conference, and the conference's target date."""
        line = block.sourceline
        started = self.at(_date(block, "S47ActualStartDate"), RECEIVED_AT)
        self.chronicle(child=case.child, case=case, kind=ChronologyEntry.Kind.STRATEGY, line=line,
                       on=_date(block, "S47ActualStartDate"), title="Section 47 enquiry started")
        held_on, target = _date(block, "DateOfInitialCPC"), _date(block, "InitialCPCtarget")
        not_required = _flag(block, "ICPCnotRequired")
        if held_on:
            outcome = Section47Enquiry.Outcome.ICPC
        elif not_required:
            outcome = Section47Enquiry.Outcome.NO_FURTHER_ACTION
        elif case.closed_at is None and latest:
            outcome = ""  # still in progress on the census date, as far as the return says
        else:
            outcome = Section47Enquiry.Outcome.ICPC
        discussion = self.save(StrategyDiscussion(
            authority=self.authority, case=case, child=case.child, held_at=started, chair=self.user,
            decision=StrategyDiscussion.Decision.SECTION_47, rationale=f"{IMPORTED}, which records the enquiry only.",
            recorded_by=self.user), line)  # fmt: skip
        enquiry = self.save(Section47Enquiry(
            authority=self.authority, case=case, child=case.child, strategy_discussion=discussion, started_at=started,
            outcome=outcome, outcome_recorded_at=started if outcome else None,
            outcome_recorded_by=self.user if outcome else None,
            findings=(f"{IMPORTED}: no initial conference was needed; the census does not say why."
                      if not_required else f"{IMPORTED}." if outcome else ""),
        ), line)  # fmt: skip
        conference = None
        if held_on:
            conference = self.conference(case, held_on, _line(block, "DateOfInitialCPC"), plans, conferences)
        if target:
            self.conference_target(case, enquiry, target, conference, not_required, _line(block, "InitialCPCtarget"))

    def conference_target(self, case, enquiry, target: date, conference, not_required: bool, line: int) -> None:
        """The initial conference's target date as the return gave it: met (or late) by the
        conference, cancelled where none was needed or the case closed without one, and still
        open only while the enquiry awaits its conference on an open case."""
        due_at = self.at(target, DUE_BY)
        deadline = Deadline(
            authority=self.authority, team=case.team, case=case, child=case.child,
            subject_type=ContentType.objects.get_for_model(enquiry), subject_id=enquiry.pk, key="icpc",
            anchor_at=enquiry.started_at, due_at=due_at, rule=FROM_THE_RETURN,
            explanation=f"The target date for the initial conference, {target:%a %-d %b %Y}, as the authority's "
                        f"CIN census gave it (file {self.run.file_name}, line {line}).",
        )  # fmt: skip
        if conference is not None:
            deadline.met_at = conference.held_at
            deadline.status = Deadline.Status.MET if conference.held_at <= due_at else Deadline.Status.MET_LATE
        elif not_required:
            deadline.status, deadline.cancelled_reason = Deadline.Status.CANCELLED, "No initial conference was needed"
        elif case.closed_at is not None:
            deadline.status = Deadline.Status.CANCELLED
            deadline.cancelled_reason = "The case closed without an initial conference"
        self.save(deadline, line)
        performance_rollup_mark(deadline)

    def pre_proceedings(self, case: Case, block) -> None:
        offered, held = _text(block, "FGDMMeetingOffer"), _text(block, "FGDMMeetingFac")
        self.save(PreProceedings(
            authority=self.authority, case=case, child=case.child, started_on=_date(block, "PPStartDate"),
            letter_sent_on=_date(block, "LBPSentDate"), fgdm_offered=_flag(block, "FGDMMeetingOffer") if offered
            else None, fgdm_held=_flag(block, "FGDMMeetingFac") if held else None,
            first_meeting_on=_date(block, "InitialPPMeetingDate"),
            review_meetings=int(_text(block, "ReviewMeetingsCount") or 0), decided_on=_date(block, "StepDecisionDate"),
            court_application_on=_date(block, "CourtAppDate"), proceedings_letter_on=_date(block, "LetterInitCPDate"),
            recorded_by=self.user,
        ), block.sourceline)  # fmt: skip

    def open_next_clocks(self, case: Case, assessments: list[Assessment], plans, line: int) -> None:
        """An episode open on the census date arrives as an open case awaiting allocation, with the
        clocks due next by the authority's timescales: allocating it (counted from now, when it
        arrives here), completing an assessment still in progress (from its start), and the next
        review conference of a plan still running (from the last review, or from the initial
        conference where none was held yet). Nothing before these is opened: those events are past.
        An enquiry awaiting its conference keeps the return's own target date (conference_target)."""
        opened = [open_clock("assessment_allocation", subject=case, start=timezone.now(), case=case)]
        opened += [open_clock("assessment_completion", subject=assessment, start=assessment.clock_started_at,
                              case=case) for assessment in assessments if assessment.approved_at is None]  # fmt: skip
        for written in plans:
            if written.plan.ended_on is not None:
                continue
            if written.reviews:
                opened.append(open_clock("rcpc_interval", subject=written.plan, start=written.reviews[-1].held_at,
                                         case=case))  # fmt: skip
            else:
                opened.append(open_clock("first_rcpc", subject=written.plan,
                                         start=self.at(written.plan.started_on, HELD_AT), case=case))  # fmt: skip
        self.mark_deadlines(opened, line)


@transaction.atomic
def _write(*, authority: Authority, root, year: CollectionYear, file_name: str, digest: str, imported_by: User,
           queries: list[str]) -> ImportRun:  # fmt: skip
    run = ImportRun.objects.create(authority=authority, kind=ImportRun.Kind.CIN, year_ending=year.ending,
                                   file_name=file_name[:255], sha256=digest, imported_by=imported_by,
                                   queries=queries)  # fmt: skip
    team, _ = Team.objects.get_or_create(authority=authority, name=IMPORT_TEAM)
    writer = _Writer(authority=authority, run=run, imported_by=imported_by, team=team)
    elements = root.findall("Children/Child")
    ids = [_text(element, "ChildIdentifiers/LAchildID") for element in elements]
    known = {identity.la_child_id: identity.child for identity in
             ReturnIdentity.objects.filter(authority=authority, la_child_id__in=ids).select_related("child")}
    # The episodes already on record, by child and referral day, and whether each is open here.
    on_record: dict[int, dict[date, bool]] = defaultdict(dict)
    for child_id, received_at, decision, closed_at in Referral.objects.filter(
            child__in=[child.pk for child in known.values()]).values_list(
            "child_id", "received_at", "decision", "case__closed_at"):  # fmt: skip
        on_record[child_id][timezone.localtime(received_at, writer.tz).date()] = (
            decision in Referral.OPENS_A_CASE and closed_at is None)  # fmt: skip
    for element, la_child_id in zip(elements, ids, strict=True):
        writer.la_child_id = la_child_id
        child = known.get(la_child_id)
        if child is None:
            child = known[la_child_id] = writer.child(element)
            run.children_created += 1
        else:
            run.children_matched += 1
        for episode in element.iterfind("CINdetails"):
            referred_on, closed_on = _date(episode, "CINreferralDate"), _date(episode, "CINclosureDate")
            if referred_on in on_record[child.pk]:
                run.episodes_matched += 1
                if closed_on and on_record[child.pk][referred_on]:
                    run.notes.append(str(Problem(
                        f"The episode referred on {referred_on:%-d %B %Y} was already here, and is still open; "
                        f"this file says it closed on {closed_on:%-d %B %Y}. It was left as it is: close the case "
                        "if that is right", line=episode.sourceline, la_child_id=la_child_id)))  # fmt: skip
                continue
            on_record[child.pk][referred_on] = False
            writer.episode(child, episode)
            run.episodes_created += 1
    ImportedRecord.objects.bulk_create(writer.marks)
    run.records_created = len(writer.marks)
    run.save(update_fields=["children_created", "children_matched", "episodes_created", "episodes_matched",
                            "records_created", "notes"])  # fmt: skip
    return run
