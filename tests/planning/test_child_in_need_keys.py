"""Child in need: Wiltshire's plan within 20 working days of the assessment's start, and each
authority's checkpoint for a plan that has run long without change (Barnet 6 months, Wiltshire 9,
Leeds 12), met by a manager's review of its impact or stopped when the plan ends."""

from datetime import date, datetime, time

import pytest
import time_machine

from assessments.services.assessments import assessment_start
from cases.models import Deadline
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.services import plan_start
from planning.services.looked_after import case_task_done
from planning.services.plans import plan_end
from tests.support import LONDON, SHIPPED, at, team_of

pytestmark = pytest.mark.django_db

DECIDED = date(2026, 12, 18)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def clock(case, key):
    return Deadline.objects.filter(case=case, key=key).first()


# Wiltshire counts 20 working days from the assessment's start on Mon 30 Nov: 1-4, 7-11, 14-18 and
# 21-24 Dec are 18, [25 and 28 Dec], Tue 29 (19), Wed 30 Dec (20).
PLAN_DUE = dict.fromkeys(SHIPPED) | {"wiltshire": end_of(date(2026, 12, 30))}
DRIFT_DUE = dict.fromkeys(SHIPPED) | {"barnet": end_of(date(2027, 6, 18)), "wiltshire": end_of(date(2027, 9, 18)),
                                      "leeds": end_of(date(2027, 12, 18))}  # fmt: skip


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_plan_is_due_from_the_assessment_and_its_drift_checkpoint_from_its_start(timescales_loaded, slug):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 11, 30)), tick=False):
        assessment_start(case=case, started_by=worker)
    with time_machine.travel(at(DECIDED, 9), tick=False):
        legal_status_start(case=case, kind="cin", started_on=DECIDED, recorded_by=people[Role.TEAM_MANAGER])
    plan_clock = clock(case, "cin_plan_completion")
    assert (plan_clock.due_at if plan_clock else None) == PLAN_DUE[slug]
    with time_machine.travel(at(DECIDED, 15), tick=False):
        plan_start(case=case, kind="cin", started_on=DECIDED, written_by=worker, outcomes="Safe at home.",
                   contingency="Strategy discussion.")  # fmt: skip
    if plan_clock:
        plan_clock.refresh_from_db()
        assert plan_clock.status == "met"
    drift = clock(case, "cin_plan_drift_check")
    assert (drift.due_at if drift else None) == DRIFT_DUE[slug]


def test_a_managers_review_of_the_plans_impact_meets_the_checkpoint(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("barnet")
    with time_machine.travel(at(DECIDED, 15), tick=False):
        legal_status_start(case=case, kind="cin", started_on=DECIDED, recorded_by=people[Role.TEAM_MANAGER])
        plan_start(case=case, kind="cin", started_on=DECIDED, written_by=people[Role.SOCIAL_WORKER],
                   outcomes="Safe at home.", contingency="Strategy discussion.")  # fmt: skip
    with time_machine.travel(at(date(2027, 6, 21)), tick=False):
        met = case_task_done(case=case, key="cin_plan_drift_check", recorded_by=people[Role.TEAM_MANAGER])
    assert met.status == "met_late"  # three days after the six months were up


def test_ending_the_plan_stops_its_checkpoint(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(DECIDED, 15), tick=False):
        legal_status_start(case=case, kind="cin", started_on=DECIDED, recorded_by=people[Role.TEAM_MANAGER])
        plan = plan_start(case=case, kind="cin", started_on=DECIDED, written_by=people[Role.SOCIAL_WORKER],
                          outcomes="Safe at home.", contingency="Strategy discussion.")  # fmt: skip
    with time_machine.travel(at(date(2027, 3, 1)), tick=False):
        plan_end(plan=plan, ended_on=date(2027, 3, 1), reason="Goals met.", ended_by=people[Role.TEAM_MANAGER])
    assert clock(case, "cin_plan_drift_check").status == "cancelled"
