"""Demo supervision: in every authority the team manager supervised the demo social worker a
week ago, discussing Ruby Ahmed and Ethan Doyle, with an action for the worker; the newly
qualified worker's fortnightly supervision is open from their last session."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case, User

from .models import SupervisionSession
from .services import supervision_record, worker_cadence_open

DISCUSSED = {
    "Ruby": ("The fracture clinic confirmed healing; mother is engaging with the safety plan.",
             "Continue the plan; invite the school nurse to the next core group."),
    "Ethan": ("Ethan's young carers' group place starts next month.", "Keep the child in need plan as it is."),
}  # fmt: skip


@transaction.atomic
def seed_demo_supervision(authority, staff) -> None:
    manager, worker = staff["team_manager"], staff["social_worker"]
    if SupervisionSession.objects.filter(authority=authority).exists():
        return
    held_at = timezone.now() - timedelta(days=7)
    discussions = []
    for first, (discussion, decisions) in DISCUSSED.items():
        case = Case.objects.filter(authority=authority, child__first_name=first, worker=worker, closed_at=None).first()
        if case is not None and case.opened_at <= held_at:
            discussions.append({"case": case, "discussion": discussion, "decisions": decisions})
    if discussions:
        discussions[0]["actions"] = [{"what": "Invite the school nurse to the core group", "owner": worker,
                                      "by_when": timezone.localdate() + timedelta(days=5)}]  # fmt: skip
    supervision_record(supervisor=manager, worker=worker, held_at=held_at, kind="formal", agenda="Caseload review",
                       wellbeing="Busy month; taking leave at Christmas.", learning="Court skills training booked.",
                       discussions=discussions)  # fmt: skip
    for newly_qualified in User.objects.filter(authority=authority, newly_qualified=True):
        worker_cadence_open(worker=newly_qualified, since=timezone.now() - timedelta(days=10))
