"""What planning adds to My work: the plan actions this person owns and has not yet done."""

from django.urls import reverse

from cases.models import Deadline
from cases.selectors.children import not_restricted_from
from cases.work_panels import WorkPanel
from planning.services.plans import ACTION_KEY


def plan_actions(user) -> WorkPanel:
    """Open actions from plans that this person owns, soonest first (one query)."""
    deadlines = (
        Deadline.objects.filter(assignee=user, key=ACTION_KEY, status=Deadline.Status.OPEN)
        .filter(not_restricted_from(user, "child"))
        .select_related("child")
        .order_by("due_at")[:20]
    )
    items = [(deadline.child.full_name, reverse("child-plans", args=[deadline.child_id]), deadline.explanation)
             for deadline in deadlines]  # fmt: skip
    return WorkPanel("Actions from plans", items)
