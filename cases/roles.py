"""The staff roles of DESIGN §1. A user may hold several (a team manager who is also an admin)."""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair or IRO"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    QA_AUDITOR = "qa_auditor", "Quality assurance auditor"
    BUSINESS_SUPPORT = "business_support", "Business support"
    # Produces and corrects the statutory returns: reads every record it needs, writes only returns.
    DATA_OFFICER = "data_officer", "Performance and data officer"
    AUTHORITY_ADMIN = "authority_admin", "Authority admin"


# Roles whose work is done inside one team: the assignment must name that team.
TEAM_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PERSONAL_ADVISER})
