"""What planning adds to My work: the plan actions this person owns and has not yet done."""

from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline
from cases.record_print import PrintedPart, day
from cases.selectors.children import not_restricted_from
from cases.work_panels import WorkPanel
from planning.selectors import meetings_of, placements_of, plans_of
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


def printed_plans(child) -> PrintedPart:
    rows = [
        (plan.get_kind_display(), day(plan.started_on), day(plan.ended_on) or "Current", plan.outcomes,
         plan.written_by.full_name)
        for plan in sorted(plans_of(child), key=lambda plan: plan.started_on, reverse=True)
    ]  # fmt: skip
    return PrintedPart("Plans", ("Plan", "From", "To", "Outcomes sought", "Written by"), rows, "No plans.")


def printed_meetings(child) -> PrintedPart:
    rows = [
        (meeting.get_kind_display(),
         day(timezone.localtime(meeting.held_at).date()) if meeting.held_at else "Not held yet",
         meeting.chair.full_name if meeting.chair else "", meeting.get_decision_display(), meeting.summary)
        for meeting in meetings_of(child)
    ]  # fmt: skip
    return PrintedPart("Conferences, reviews and meetings", ("Meeting", "Held", "Chair", "Decision", "Summary"),
                       rows, "No conferences, reviews or meetings.")  # fmt: skip


def printed_placements(child) -> PrintedPart:
    rows = [
        (placement.get_placement_type_display(), placement.carer, day(placement.started_on),
         day(placement.ended_on) or "Current")
        for placement in placements_of(child)
    ]  # fmt: skip
    return PrintedPart("Placements", ("Type", "Carer or provider", "From", "To"), rows, "No placements.")
