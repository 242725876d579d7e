"""System checks agree with the record on constructed cases. Statutory visits are counted from the
visit schedule over the audit period (a missed visit leaves the next due an interval later, so
months without a visit read as the visits missed); each visit item reads its own status's visits;
the ledger checks count on time, late and missing; every check cites the records behind it. An
audit starts with them pre-answered, with the evidence and the links."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from assessments.services.assessments import assessment_approve, assessment_save, assessment_start, assessment_submit
from audits.checks import CHECKS, ITEM_CHECKS, Record, check_for
from audits.models import Answer
from audits.period import AuditPeriod
from cases.models import Deadline
from cases.roles import Role
from cases.selectors.timescales import policy_for
from cases.services.deadlines import deadline_cancel, deadline_meet, deadline_open
from cases.services.family import legal_status_end
from planning.services.placements import placement_start
from tests.audits.helpers import load_templates, started
from tests.clock import DEFAULT
from tests.factories import ASSESSMENT_SECTIONS
from tests.support import at, looked_after, on_plan, team_of
from visits.models import Visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate(DEFAULT)


def record_of(case) -> Record:
    return Record(case, AuditPeriod.for_case(case, TODAY))


def seen(case, day: date, kind: str = "lac", **fields) -> Visit:
    """A recorded visit that saw the child, at 10am on `day`."""
    worker = case.worker
    return Visit.objects.create(authority=case.authority, case=case, child=case.child, kind=kind, visited_at=at(day),
                                visitor=worker, recorded_by=worker, status="recorded", recorded_at=at(day, 16),
                                child_seen=True, **fields)  # fmt: skip


def opened_on(day: date):
    """A Leeds child allocated on `day`; (people, case)."""
    with time_machine.travel(at(day), tick=False):
        return team_of("leeds")


@pytest.fixture
def in_care(leeds):
    """A Leeds child looked after since Sat 20 Sep 2025: 14 months before today."""
    people, case = opened_on(date(2025, 9, 1))
    with time_machine.travel(at(date(2025, 9, 20), 12), tick=False):
        on_plan(people, case, "lac", date(2025, 9, 20))
    return people, case


def test_the_audit_period_is_the_last_year_of_the_case_or_since_it_opened(in_care, case):
    _people, long_case = in_care
    assert AuditPeriod.for_case(long_case, TODAY) == AuditPeriod(date(2025, 11, 20), TODAY)
    assert AuditPeriod.for_case(case, TODAY) == AuditPeriod(TODAY, TODAY)  # opened today
    assert str(AuditPeriod(date(2025, 11, 20), TODAY)) == "Thu 20 Nov 2025 to Fri 20 Nov 2026"


def test_months_in_care_with_few_visits_read_as_the_visits_missed(in_care):
    """Leeds visits a looked-after child within a week, then at least every six weeks. Two visits
    in the period (one late) and none since January: the ledger holds a single overdue deadline,
    but the schedule called for eight visits in the period."""
    _people, case = in_care
    seen(case, date(2025, 9, 24))  # before the period: the schedule runs on from it
    late = seen(case, date(2025, 12, 1))  # due Wed 5 Nov, before the period: not counted
    on_time = seen(case, date(2026, 1, 10))  # due Mon 12 Jan, six weeks after 1 Dec
    assert Deadline.objects.filter(case=case, key__startswith="lac_", status="open").count() <= 2
    result = CHECKS["visits_lac"](record_of(case))
    assert result.answer == Answer.NOT_MET
    assert result.evidence == (
        "Looked-after child visits from Thu 20 Nov 2025 to Fri 20 Nov 2026: eight visits were due on Leeds City "
        "Council's schedule; one on time, seven missed (due Sat 21 Feb 2026, Sat 4 Apr 2026, Sat 16 May 2026 and 4 "
        "more). The next is due Sat 12 Dec 2026.")
    urls = [source.url for source in result.sources]
    assert f"/visits/{on_time.pk}/" in urls and f"/visits/{late.pk}/" not in urls  # only what met a visit due
    assert urls[-1] == f"/children/{case.child_id}/visits/"


def test_a_late_visit_reads_its_working_days_late(in_care):
    _people, case = in_care
    for day in (date(2025, 9, 24), date(2025, 11, 1), date(2025, 12, 10)):
        seen(case, day)
    seen(case, date(2026, 1, 26))  # due Wed 21 Jan (six weeks from 10 Dec): three working days late
    with time_machine.travel(at(date(2026, 2, 20)), tick=False):
        result = CHECKS["visits_lac"](Record(case, AuditPeriod.for_case(case, date(2026, 2, 20))))
    assert result.answer == Answer.PARTLY_MET
    assert result.evidence == ("Looked-after child visits from Sat 20 Sep 2025 to Fri 20 Feb 2026: four visits were "
                               "due on Leeds City Council's schedule; three on time, one 3 working days late. The next "
                               "is due Mon 9 Mar 2026.")


def test_each_visit_item_reads_only_its_own_statuss_visits(in_care):
    people, case = in_care
    seen(case, date(2026, 11, 2))
    record = record_of(case)
    cp = CHECKS["visits_cp"](record)
    assert cp.answer == Answer.NOT_APPLICABLE
    name = case.child.first_name
    assert cp.evidence == f"{name} had no child protection plan in the audit period (Thu 20 Nov 2025 to Fri 20 Nov " \
                          "2026)."
    assert CHECKS["visits_cin"](record).answer == Answer.NOT_APPLICABLE
    # A child protection plan that ended in the spring is audited on its own visits, not the looked-after ones.
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        plan = on_plan(people, case, "cp", date(2026, 3, 2))
    seen(case, date(2026, 3, 6), kind="cp")
    with time_machine.travel(at(date(2026, 4, 30)), tick=False):
        legal_status_end(status=plan, ended_on=date(2026, 4, 30), ended_by=people[Role.TEAM_MANAGER])
    cp = CHECKS["visits_cp"](record_of(case))
    assert cp.evidence.startswith("Child protection visits from Mon 2 Mar 2026 to Thu 30 Apr 2026:")
    assert cp.answer == Answer.NOT_MET  # one visit, then none for the rest of the plan
    assert all("Looked-after" not in source.label for source in cp.sources)


def test_visits_on_time_are_met_and_the_next_is_named(leeds):
    people, case = opened_on(date(2026, 8, 3))
    with time_machine.travel(at(date(2026, 8, 3), 12), tick=False):
        on_plan(people, case, "cin", date(2026, 8, 3))
    for day in (date(2026, 8, 20), date(2026, 9, 14), date(2026, 10, 9), date(2026, 11, 4)):
        seen(case, day, kind="cin")
    result = CHECKS["visits_cin"](record_of(case))
    assert result.answer == Answer.MET
    assert "four visits were due on Leeds City Council's schedule; four on time. The next is due" in result.evidence


def test_what_the_visit_records_show(in_care):
    _people, case = in_care
    seen(case, date(2026, 10, 1), seen_alone=True, place="placement", child_views="I like it here")
    seen(case, date(2026, 11, 2), seen_alone=False, place="school", not_seen_alone_reason="Asked for her carer")
    alone = CHECKS["seen_alone"](record_of(case))
    assert alone.answer == Answer.PARTLY_MET
    assert alone.evidence == (f"Two visits in the audit period (Thu 20 Nov 2025 to Fri 20 Nov 2026) saw "
                              f"{case.child.first_name}: one saw them alone.")
    assert CHECKS["seen_alone_or_reason"](record_of(case)).answer == Answer.MET
    at_home = CHECKS["seen_alone_at_home"](record_of(case))
    assert at_home.evidence.endswith(": one saw them alone; one was at their home or placement.")
    assert len([s for s in at_home.sources if s.url.startswith("/visits/")]) == 2


def test_ledger_checks_count_on_time_late_and_missing_and_cite_the_records(people, case):
    policy = policy_for(case.authority)
    calendar = policy.calendar

    def supervision(days_ago):
        return deadline_open(authority=case.authority, key="case_supervision_interval", subject=case,
                             start=DEFAULT - timedelta(days=days_ago), case=case)  # fmt: skip

    check = CHECKS["case_supervision"]
    assert check(record_of(case)).answer == Answer.NOT_APPLICABLE  # allocation opened it; not yet due
    with time_machine.travel(DEFAULT + timedelta(days=120)):
        later = Record(case, AuditPeriod.for_case(case, TODAY + timedelta(days=120)))
        result = check(later)
    assert result.answer == Answer.NOT_MET and "overdue and not done" in result.evidence
    assert result.sources[-1].url == f"/children/{case.child_id}/supervision/"
    late = supervision(0)
    day = calendar.add_working_days(timezone.localdate(late.due_at), 2)
    deadline_cancel(deadline=Deadline.objects.filter(case=case, key="case_supervision_interval").first(),
                    reason="Replaced")  # fmt: skip
    deadline_meet(deadline=late, met_at=at(day, 12))
    with time_machine.travel(at(day, 13)):
        result = check(Record(case, AuditPeriod.for_case(case, day)))
    assert result.answer == Answer.PARTLY_MET and "one 2 working days late" in result.evidence


def test_assessment_approved_by_a_manager_links_the_assessment(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    assessment = assessment_start(case=case, started_by=worker)
    assessment = assessment_save(assessment=assessment, saved_by=worker, version=assessment.version,
                                 **ASSESSMENT_SECTIONS | {"analysis": "Needs met at school", "child_views": "Fine"},
                                 outcome="cin", factors=["4B"])  # fmt: skip
    draft = CHECKS["assessment_approved"](record_of(case))
    assert draft.answer == Answer.NOT_MET and "draft: not approved by a manager" in draft.evidence
    assessment_submit(assessment=assessment, submitted_by=worker)
    assessment_approve(assessment=assessment, manager=manager, view="Agreed")
    approved = CHECKS["assessment_approved"](record_of(case))
    assert approved.answer == Answer.MET and f"approved by a manager, {manager}" in approved.evidence
    assert [source.url for source in approved.sources] == [f"/assessments/{assessment.pk}/"]


def test_chronology_updated_in_the_last_month(case):
    result = CHECKS["chronology_current"](record_of(case))
    assert result.answer == Answer.MET  # the referral and allocation wrote to it today
    assert result.sources[0].url == f"/children/{case.child_id}/chronology/"
    with time_machine.travel(DEFAULT + timedelta(days=40)):
        stale = CHECKS["chronology_current"](Record(case, AuditPeriod.for_case(case, TODAY + timedelta(days=40))))
    assert stale.answer == Answer.NOT_MET and "not updated in the month to" in stale.evidence


def test_a_check_the_record_cannot_answer_leaves_the_item_to_the_auditor(case):
    record = record_of(case)
    assert CHECKS["lac_reviews"](record) is None  # no review was ever due on this case
    assert CHECKS["plan_contingency"](record) is None  # no status calling for a plan
    worker = CHECKS["worker_change"](record)
    assert worker.answer == Answer.NOT_APPLICABLE and "did not change" in worker.evidence


def test_every_mapped_item_has_a_check_and_each_status_item_its_own(leeds):
    assert all(check_for(code) is not None for code in ITEM_CHECKS)
    # York's visit items, one per status: never the same check.
    assert {ITEM_CHECKS[code] for code in ("york-s4.e19", "york-s4.e22", "york-s4.e27")} == {
        "visits_cp", "visits_cin", "visits_lac"}


def test_an_audit_starts_with_the_system_checks_pre_answered_and_linked(people, case):
    audit = started(people, case)
    assert (audit.period_start, audit.period_end) == (TODAY, TODAY)
    # Leeds: the sections for every open case and the file audit; never the manager and team ones.
    assert {"s2", "s12"} <= set(audit.section_codes) and not {"s1", "s6"} & set(audit.section_codes)
    visits = audit.responses.get(item__code="leeds-2.1")
    assert visits.system_answer == visits.answer == Answer.NOT_APPLICABLE
    assert visits.system_evidence == ("Zoë had no status calling for statutory visits in the audit period (Fri 20 Nov "
                                      "2026 to Fri 20 Nov 2026).")
    chronology = audit.responses.get(item__code="leeds-fa.2")
    assert chronology.answer == Answer.MET and chronology.option == "met"
    assert chronology.system_sources == [{"label": "Zoë's chronology", "url": f"/children/{case.child_id}/chronology/"}]
    practice = audit.responses.get(item__code="leeds-fa.3")
    assert practice.answer == "" and practice.system_answer == "" and practice.system_sources == []


def test_a_looked_after_childs_york_audit_is_answered_from_its_own_records(timescales_loaded):
    """The issue's case: a York child 14 months in care. No child protection or child in need item
    is offered; every item the records speak to is pre-answered, each answer linked to its records."""
    load_templates("york")
    with time_machine.travel(at(date(2025, 9, 1)), tick=False):
        people, case = team_of("york")
    with time_machine.travel(at(date(2025, 9, 20), 12), tick=False):
        looked_after(people, case, date(2025, 9, 20))
    seen(case, date(2026, 10, 1), seen_alone=True, place="placement", child_views="Fine")
    audit = started(people, case)
    codes = set(audit.responses.values_list("item__code", flat=True))
    assert "york-s4.e27" in codes and not {"york-s4.e19", "york-s4.e22", "york-s4.e15", "york-s4.e1"} & codes
    answered = {response.item.code: response for response in audit.responses.exclude(system_answer="")
                .select_related("item")}  # fmt: skip
    assert {"york-s1.e1", "york-s1.e7", "york-s1.e8", "york-s4.e13", "york-s4.e23", "york-s4.e26", "york-s4.e27",
            "york-s4.e28", "york-s4.e29", "york-s5.e1", "york-s5.e3", "york-s5.e6", "york-s6.e3"} <= set(answered)
    assert answered["york-s4.e27"].system_evidence.startswith("Looked-after child visits from Thu 20 Nov 2025 to Fri "
                                                              "20 Nov 2026: eight visits were due")
    assert answered["york-s6.e3"].answer == Answer.NOT_MET  # supervision overdue since before the period
    assert all(response.system_sources for response in answered.values())


def test_visit_records_are_not_judged_before_any_visit_fell_due(people, case):
    on_plan(people, case, "lac", TODAY)
    result = CHECKS["seen_alone"](record_of(case))
    assert result.answer == Answer.NOT_APPLICABLE
    assert result.evidence == ("No statutory visit to Zoë fell due in the audit period (Fri 20 Nov 2026 to Fri 20 Nov "
                               "2026).")
    with time_machine.travel(DEFAULT + timedelta(days=10)):
        later = CHECKS["seen_alone"](Record(case, AuditPeriod.for_case(case, TODAY + timedelta(days=10))))
    assert later.answer == Answer.NOT_MET and later.evidence.startswith("No visit in the audit period")


def test_a_new_placement_calls_for_its_own_first_visit(in_care):
    """Leeds visits within a week of each placement: a move on Mon 2 Mar 2026 and the next visit on
    Fri 13 Mar reads as that first visit late, though the six-weekly one was not yet due."""
    people, case = in_care
    with time_machine.travel(at(date(2025, 9, 20), 13), tick=False):
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                        started_on=date(2025, 9, 20))  # fmt: skip
    for day in (date(2025, 9, 24), date(2025, 11, 1), date(2025, 12, 10), date(2026, 1, 20), date(2026, 2, 27)):
        seen(case, day)
    with time_machine.travel(at(date(2026, 3, 2), 13), tick=False):
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U4", carer="The Ahmeds",
                        started_on=date(2026, 3, 2), change_reason="The carers retired", move_reason="CHILD")
    seen(case, date(2026, 3, 13))
    with time_machine.travel(at(date(2026, 3, 20)), tick=False):
        result = CHECKS["visits_lac"](Record(case, AuditPeriod.for_case(case, date(2026, 3, 20))))
    assert result.answer == Answer.PARTLY_MET
    assert "six visits were due on Leeds City Council's schedule; five on time, one 4 working days late" in (
        result.evidence)
