"""The planning app's entry point: what happens across the app when a plan is started by hand, or
when a child's legal status changes (raised by cases as `status_changed`). The modules below it
know nothing of each other's reactions; this top floor joins them up (see the README's floors)."""

from datetime import date

from django.db import transaction

from cases.models import Case, Deadline, LegalStatus, User
from cases.services.deadlines import deadline_cancel
from planning.models import Plan
from planning.services.adoption import ADOPTION_LOOKED_AFTER_KEYS
from planning.services.child_in_need import cin_plan_started, first_meeting_open
from planning.services.clocks import meet_open_on_case
from planning.services.leaving_care import pathway_plan_started
from planning.services.looked_after import ADVISER_KEY, LOOKED_AFTER_KEYS, looked_after_open
from planning.services.plans import plan_begin


@transaction.atomic
def plan_start(*, case: Case, kind: str, started_on: date | None, written_by: User, outcomes: str,
               contingency: str) -> Plan:  # fmt: skip
    """A child in need, care or pathway plan started by hand; each meets or opens its own clocks."""
    plan = plan_begin(case=case, kind=kind, started_on=started_on, written_by=written_by, outcomes=outcomes,
                      contingency=contingency)  # fmt: skip
    if kind == Plan.Kind.CARE:
        meet_open_on_case(plan.case, ["care_plan"], plan.written_at)
    elif kind == Plan.Kind.CHILD_IN_NEED:
        meet_open_on_case(plan.case, ["cin_plan_after_cp_end"], plan.written_at)
        cin_plan_started(plan)
    elif kind == Plan.Kind.PATHWAY:
        pathway_plan_started(plan, plan.written_at)
    return plan


def on_status_changed(*, case: Case, changed_by: User) -> None:
    """A child in need decision opens the first CIN meeting clock; becoming looked after opens the
    first review, health and education clocks (each once per status)."""
    current = {status.kind: status for status in case.statuses.filter(ended_on=None)}
    if LegalStatus.Kind.CHILD_IN_NEED in current:
        first_meeting_open(case, current[LegalStatus.Kind.CHILD_IN_NEED])
    else:
        _cancel_on_case(case, ["cin_first_meeting"], "The child is no longer a child in need")
    if LegalStatus.Kind.LOOKED_AFTER in current:
        looked_after_open(case, current[LegalStatus.Kind.LOOKED_AFTER])
    else:
        _cancel_on_case(case, [*LOOKED_AFTER_KEYS, *ADOPTION_LOOKED_AFTER_KEYS], "The child is no longer looked after")
    if not {LegalStatus.Kind.LOOKED_AFTER, LegalStatus.Kind.CARE_LEAVER} & set(current):
        _cancel_on_case(case, [ADVISER_KEY], "The child is neither looked after nor a care leaver")


def _cancel_on_case(case: Case, keys, reason: str) -> None:
    for deadline in Deadline.objects.filter(case=case, key__in=keys, status=Deadline.Status.OPEN):
        deadline_cancel(deadline=deadline, reason=reason)
