from .deadlines import Deadline
from .people import AccessLog, Authority, RoleAssignment, Team, User, UserManager
from .timescales import ClosureDay, TimescaleConfiguration, TimescaleVersion

__all__ = [
    "AccessLog",
    "Authority",
    "ClosureDay",
    "Deadline",
    "RoleAssignment",
    "Team",
    "TimescaleConfiguration",
    "TimescaleVersion",
    "User",
    "UserManager",
]
