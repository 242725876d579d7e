"""System checks agree with the ledger on constructed cases: visits on time, late and missing;
an assessment approved or not; the chronology current or stale. An audit starts with them
pre-answered, with the evidence."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from assessments.services.assessments import assessment_approve, assessment_save, assessment_start, assessment_submit
from audits.checks import assessment_approved, case_supervision, chronology_current, statutory_visits
from audits.models import Answer
from cases.models import Deadline
from cases.roles import Role
from cases.selectors.timescales import policy_for
from cases.services.deadlines import deadline_meet, deadline_open
from tests.audits.helpers import started
from tests.factories import ASSESSMENT_SECTIONS

pytestmark = pytest.mark.django_db


def visit_deadline(case, days_ago: int) -> Deadline:
    start = timezone.now() - timedelta(days=days_ago)
    return deadline_open(authority=case.authority, key="cin_visit_interval", subject=case, start=start, case=case)


def met_late_by(deadline: Deadline, working_days: int) -> Deadline:
    calendar = policy_for(deadline.authority).calendar
    day = calendar.add_working_days(timezone.localdate(deadline.due_at), working_days)
    met_at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=12)
    return deadline_meet(deadline=deadline, met_at=met_at)


def test_no_visit_due_yet_is_not_applicable(case):
    result = statutory_visits(case)
    assert result.answer == Answer.NOT_APPLICABLE and "none has fallen due yet" in result.evidence


def test_visits_all_on_time_are_met(case):
    for days_ago in (120, 80, 40):
        deadline = visit_deadline(case, days_ago)
        deadline_meet(deadline=deadline, met_at=deadline.anchor_at + timedelta(days=7))
    visit_deadline(case, 1)  # the next one, not yet due: not counted
    result = statutory_visits(case)
    assert result == result.__class__(Answer.MET, "Statutory visits within timescale: 3 of 3 met.")


def test_a_late_visit_makes_it_partly_met_with_the_working_days_late(case):
    for days_ago in (160, 120, 80):
        deadline = visit_deadline(case, days_ago)
        deadline_meet(deadline=deadline, met_at=deadline.anchor_at + timedelta(days=7))
    met_late_by(visit_deadline(case, 60), 3)
    result = statutory_visits(case)
    assert result.answer == Answer.PARTLY_MET
    assert result.evidence == "Statutory visits within timescale: 3 of 4 met, one 3 working days late."
    assert Deadline.objects.filter(case=case, status="met_late").count() == 1  # what the ledger says


def test_a_missing_visit_is_not_met_and_says_when_it_was_due(case):
    deadline = visit_deadline(case, 120)
    deadline_meet(deadline=deadline, met_at=deadline.anchor_at + timedelta(days=7))
    missing = visit_deadline(case, 60)
    result = statutory_visits(case)
    assert result.answer == Answer.NOT_MET
    assert result.evidence.startswith("Statutory visits within timescale: 1 of 2 met, one overdue and not done")
    assert f"{timezone.localtime(missing.due_at):%-d %b %Y}" in result.evidence


def test_cancelled_deadlines_are_not_counted(case):
    from cases.services.deadlines import deadline_cancel

    deadline_cancel(deadline=visit_deadline(case, 90), reason="The plan ended")
    assert statutory_visits(case).answer == Answer.NOT_APPLICABLE


def test_case_supervision_reads_its_own_key(case):
    assert case_supervision(case).answer == Answer.NOT_APPLICABLE  # allocation opened it; not yet due
    with time_machine.travel(timezone.now() + timedelta(days=120)):
        result = case_supervision(case)
    assert result.answer == Answer.NOT_MET and "overdue and not done" in result.evidence


def test_assessment_approved_by_a_manager(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    assert assessment_approved(case).answer == Answer.NOT_APPLICABLE
    assessment = assessment_start(case=case, started_by=worker)
    assessment = assessment_save(assessment=assessment, saved_by=worker, version=assessment.version,
                                 **ASSESSMENT_SECTIONS | {"analysis": "Needs met at school", "child_views": "Fine"},
                                 outcome="cin", factors=["4B"])  # fmt: skip
    draft = assessment_approved(case)
    assert draft.answer == Answer.NOT_MET and "draft: not approved by a manager" in draft.evidence
    assessment_submit(assessment=assessment, submitted_by=worker)
    assessment_approve(assessment=assessment, manager=manager, view="Agreed")
    approved = assessment_approved(case)
    assert approved.answer == Answer.MET and f"approved by a manager, {manager}" in approved.evidence


def test_chronology_updated_in_the_last_month(case):
    assert chronology_current(case).answer == Answer.MET  # the referral and allocation wrote to it today
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        stale = chronology_current(case)
    assert stale.answer == Answer.NOT_MET and "not updated in the last month" in stale.evidence


def test_an_audit_starts_with_the_system_checks_pre_answered(people, case):
    deadline = visit_deadline(case, 60)
    met_late_by(deadline, 2)
    audit = started(people, case)
    # Leeds: the sections for every open case and the file audit; never the manager and team ones.
    assert {"s2", "s12"} <= set(audit.section_codes) and not {"s1", "s6"} & set(audit.section_codes)
    visits = audit.responses.get(item__code="leeds-2.1")
    assert visits.system_answer == visits.answer == Answer.PARTLY_MET
    assert visits.system_evidence == "Statutory visits within timescale: 0 of 1 met, one 2 working days late."
    chronology = audit.responses.get(item__code="leeds-fa.2")
    assert chronology.answer == Answer.MET and chronology.option == "met"
    practice = audit.responses.get(item__code="leeds-fa.3")
    assert practice.answer == "" and practice.system_answer == ""
