"""What the assessments app adds to My work."""

from django.urls import reverse
from django.utils import timezone

from assessments.selectors.assessments import assessments_awaiting_sign_off, assessments_returned_to
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


def _sent_and_due(assessment, now) -> str:
    sent = f"from {assessment.author}, submitted {timezone.localtime(assessment.submitted_at):%a %-d %b}"
    if assessment.due_at is None:
        return sent
    overdue = " (overdue)" if assessment.due_at < now else ""
    return f"{sent}, due {timezone.localtime(assessment.due_at):%a %-d %b}{overdue}"
