"""What audits add to My work and the navigation."""

from django.urls import reverse
from django.utils import timezone

from cases.roles import Role
from cases.selectors.people import has_role
from cases.work_panels import WorkPanel

from .models import Audit
from .selectors import audit_actions_for, audit_list, sees_audit_pages


def audit_actions(user) -> WorkPanel:
    """The owner's open actions from case audits, each linking to its audit."""
    items = [
        (deadline.child.full_name if deadline.child else "Audit action",
         reverse("audit-action", args=[deadline.subject_id]), deadline.explanation)
        for deadline in audit_actions_for(user)[:20]
    ]  # fmt: skip
    return WorkPanel("Actions from case audits", items)


def assigned_audits(user) -> WorkPanel:
    """An auditor's audits still to finish, longest waiting first."""
    panel = WorkPanel("Audits assigned to you")
    if not has_role(user, Role.QA_AUDITOR):
        return panel
    open_audits = audit_list(user, mine=True).filter(status__in=(Audit.Status.ASSIGNED, Audit.Status.IN_PROGRESS))
    panel.items = [(audit.child.full_name, reverse("audit", args=[audit.pk]),
                    f"{audit.get_status_display().lower()}, assigned {timezone.localtime(audit.assigned_at):%a %-d %b}")
                   for audit in open_audits.order_by("assigned_at", "pk")[:20]]  # fmt: skip
    return panel


def has_audits(user) -> bool:
    return sees_audit_pages(user)
