"""What audits add to the morning digests: a QA auditor's audits still to do, and the audits
graded by another auditor that wait for moderation."""

from django.urls import reverse

from cases.selectors.digests import Waiting, WaitingKind

from .models import Audit
from .services import is_auditor

TO_DO = (Audit.Status.ASSIGNED, Audit.Status.IN_PROGRESS)


def audits_waiting(users, authority) -> list[Waiting]:
    """For every auditor among `users`, in one query: their own audits not yet graded, and those
    another auditor graded that wait for a moderator."""
    auditors = [user for user in users if is_auditor(user, authority.pk)]
    if not auditors:
        return []
    rows = Audit.objects.filter(authority=authority, status__in=(*TO_DO, Audit.Status.SUBMITTED)).values(
        "pk", "child_id", "child__first_name", "child__last_name", "auditor_id", "auditor__full_name", "status",
        "assigned_at", "submitted_at")  # fmt: skip
    found = []
    for row in rows:
        name = f"{row['child__first_name']} {row['child__last_name']}"
        path = reverse("audit", args=[row["pk"]])
        for user in auditors:
            if row["status"] in TO_DO and row["auditor_id"] == user.pk:
                started = " (started)" if row["status"] == Audit.Status.IN_PROGRESS else ""
                found.append(Waiting(user_id=user.pk, child_id=row["child_id"], child_name=name, path=path,
                                     text=f"Case audit{started}, assigned to you",
                                     since=row["assigned_at"]))  # fmt: skip
            elif row["status"] == Audit.Status.SUBMITTED and row["auditor_id"] != user.pk:
                found.append(Waiting(user_id=user.pk, child_id=row["child_id"], child_name=name, path=path,
                                     text=f"Case audit by {row['auditor__full_name']} to moderate, graded",
                                     since=row["submitted_at"]))  # fmt: skip
    return found


KIND = WaitingKind("Case audits for you", "Open your audits", "audits", audits_waiting, list_query="mine=1")
