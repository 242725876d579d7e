"""Role predicates (django-rules). Object-level checks for case records build on these."""

import rules

from .roles import Role
from .selectors import has_role


@rules.predicate
def is_authority_admin(user):
    return has_role(user, Role.AUTHORITY_ADMIN)


@rules.predicate
def is_manager(user):
    return has_role(user, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


can_administer_authority = rules.is_superuser | (rules.is_active & is_authority_admin)

ADMINISTER_AUTHORITY = "cases.administer_authority"
rules.add_perm(ADMINISTER_AUTHORITY, can_administer_authority)
rules.add_perm("cases.view_access_log", rules.is_superuser | is_manager | is_authority_admin)
