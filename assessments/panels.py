"""What the assessments app adds to My work."""

from django.urls import reverse

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
    items = [
        (f"{assessment.child.full_name}'s assessment", reverse("assessment", args=[assessment.pk]),
         f"from {assessment.author}")
        for assessment in assessments_awaiting_sign_off(user).select_related("author")[:20]
    ]  # fmt: skip
    return WorkPanel("Awaiting your sign-off", items)
