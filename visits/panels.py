"""What the visits app adds to My work and the navigation."""

from django.urls import reverse
from django.utils import timezone

from cases.record_print import PrintedPart, day, yes_no
from cases.roles import Role
from cases.selectors.people import has_role
from cases.work_panels import WorkPanel

from .models import Visit
from .selectors import actions_for, drafts_to_write_up, visits_of


def visits_to_write_up(user) -> WorkPanel:
    items = [
        (f"{visit.child.full_name}: {visit.get_kind_display().lower()}", reverse("visit-edit", args=[visit.pk]),
         f"write-up due by {timezone.localtime(visit.write_up_due):%-d %b %Y}" if visit.write_up_due else "draft")
        for visit in drafts_to_write_up(user)[:20]
    ]  # fmt: skip
    return WorkPanel("Visits to write up", items)


def visit_actions(user) -> WorkPanel:
    """The owner's open actions from visits, each linking to its visit, as plan actions do."""
    items = [(deadline.child.full_name, reverse("visit", args=[deadline.subject_id]), deadline.explanation)
             for deadline in actions_for(user)[:20]]  # fmt: skip
    return WorkPanel("Actions from visits", items)


def has_visits_due(user) -> bool:
    return has_role(user, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


def printed_visits(child) -> PrintedPart:
    """The recorded visits for the printed record (drafts are not yet the record)."""
    rows = [
        (day(timezone.localtime(visit.visited_at).date()), visit.get_kind_display(), visit.visitor.full_name,
         f"Seen: {yes_no(visit.child_seen)}. Seen alone: {yes_no(visit.seen_alone)}.", visit.child_views)
        for visit in visits_of(child).filter(status=Visit.Status.RECORDED).order_by("-visited_at")
    ]  # fmt: skip
    return PrintedPart("Visits", ("When", "Kind", "Visitor", "The child", "The child's words"), rows,
                       "No visits have been recorded.")  # fmt: skip
