"""What the assessments app adds to My work."""

from django.urls import reverse
from django.utils import timezone

from assessments.selectors.assessments import (
    assessments_awaiting_sign_off,
    assessments_of_child,
    assessments_returned_to,
)
from cases.record_print import PrintedPart, day
from cases.work_panels import WorkPanel


def returned_assessments(user) -> WorkPanel:
    items = [
        (f"{assessment.child.full_name}'s assessment", reverse("assessment-edit", args=[assessment.pk]),
         "returned for changes")
        for assessment in assessments_returned_to(user)[:20]
    ]  # fmt: skip
    return WorkPanel("Returned to you", items)


def awaiting_sign_off(user) -> WorkPanel:
    """Soonest due first, each with when it was submitted and when it is due."""
    now = timezone.now()
    items = [
        (f"{assessment.child.full_name}'s assessment", reverse("assessment", args=[assessment.pk]),
         _sent_and_due(assessment, now))
        for assessment in assessments_awaiting_sign_off(user)[:20]
    ]  # fmt: skip
    return WorkPanel("Awaiting your sign-off", items)


def printed_assessments(child) -> PrintedPart:
    rows = [
        (day(timezone.localtime(assessment.clock_started_at).date()), assessment.get_status_display(),
         day(timezone.localtime(assessment.approved_at).date()) if assessment.approved_at else "",
         assessment.get_outcome_display(), assessment.author.full_name, assessment.analysis)
        for assessment in assessments_of_child(child).order_by("-clock_started_at")
    ]  # fmt: skip
    return PrintedPart("Assessments", ("Started", "Status", "Approved", "Outcome", "Social worker", "Analysis"),
                       rows, "No assessments.")  # fmt: skip


def _sent_and_due(assessment, now) -> str:
    sent = f"from {assessment.author}, submitted {timezone.localtime(assessment.submitted_at):%a %-d %b}"
    if assessment.due_at is None:
        return sent
    overdue = " (overdue)" if assessment.due_at < now else ""
    return f"{sent}, due {timezone.localtime(assessment.due_at):%a %-d %b}{overdue}"
