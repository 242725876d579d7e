"""Functions that read, always starting from the viewing user's authority."""

from .people import (
    authorities_visible_to,
    has_role,
    role_assignments_for,
    roles_for,
    teams_managed_by,
    teams_of,
    teams_visible_to,
    users_visible_to,
)

__all__ = [
    "authorities_visible_to",
    "has_role",
    "role_assignments_for",
    "roles_for",
    "teams_managed_by",
    "teams_of",
    "teams_visible_to",
    "users_visible_to",
]
