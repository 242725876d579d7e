"""What supervision adds to My work and the navigation."""

from django.urls import reverse

from cases.roles import Role
from cases.selectors.people import has_role
from cases.work_panels import WorkPanel

from .selectors import actions_for


def supervision_actions(user) -> WorkPanel:
    items = [
        (deadline.child.full_name, reverse("child-supervision", args=[deadline.child_id]), deadline.explanation)
        for deadline in actions_for(user)[:20]
    ]
    return WorkPanel("Actions from supervision", items)


def has_supervision(user) -> bool:
    return has_role(user, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
