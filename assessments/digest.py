"""What the assessments app adds to the morning digests: assessments waiting for a manager's
sign-off, as the Sign-off queue lists them (a manager's own never among them)."""

from django.db.models import Max, Q
from django.urls import reverse

from assessments.models.assessments import Assessment
from assessments.selectors.assessments import own_work_among
from cases.roles import Role
from cases.selectors.digests import SIGN_OFF, Waiting, WaitingKind
from cases.selectors.people import has_role, teams_managed_by


def awaiting_sign_off(users, authority) -> list[Waiting]:
    """For every manager among `users`: the submitted assessments in the teams they manage (every
    team, for a service manager) that are not their own work, as the Sign-off queue lists them."""
    signers = [user for user in users if has_role(user, Role.SERVICE_MANAGER) or teams_managed_by(user)]
    if not signers:
        return []
    rows = (
        Assessment.objects.filter(authority=authority, status=Assessment.Status.SUBMITTED)
        .annotate(submitted_at=Max("transitions__at", filter=Q(transitions__to_status=Assessment.Status.SUBMITTED)))
        .values("pk", "child_id", "child__first_name", "child__last_name", "case__team_id", "author_id",
                "author__full_name", "submitted_at")
    )  # fmt: skip
    teams = {user.pk: {team.pk for team in teams_managed_by(user)} for user in signers}
    rows = list(rows)
    # A manager never signs off work they wrote any of or submitted (one query per manager, only
    # when something is waiting).
    own = {user.pk: own_work_among(user, [row["pk"] for row in rows]) for user in signers} if rows else {}
    found = []
    for row in rows:
        for user in signers:
            theirs = has_role(user, Role.SERVICE_MANAGER) or row["case__team_id"] in teams[user.pk]
            if theirs and row["pk"] not in own[user.pk]:
                found.append(Waiting(user_id=user.pk, child_id=row["child_id"],
                                     child_name=f"{row['child__first_name']} {row['child__last_name']}",
                                     text=f"Assessment from {row['author__full_name']}, submitted",
                                     path=reverse("assessment", args=[row["pk"]]),
                                     since=row["submitted_at"]))  # fmt: skip
    return found


KIND = WaitingKind(SIGN_OFF, "Open the sign-off queue", "assessments-awaiting", awaiting_sign_off)
