"""What audits add to My work and the navigation."""

from django.urls import reverse

from cases.work_panels import WorkPanel

from .selectors import audit_actions_for, sees_audit_pages


def audit_actions(user) -> WorkPanel:
    """The owner's open actions from case audits, each linking to its audit."""
    items = [
        (deadline.child.full_name if deadline.child else "Audit action",
         reverse("audit-action", args=[deadline.subject_id]), deadline.explanation)
        for deadline in audit_actions_for(user)[:20]
    ]  # fmt: skip
    return WorkPanel("Actions from case audits", items)


def has_audits(user) -> bool:
    return sees_audit_pages(user)
