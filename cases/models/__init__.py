from .alerts import AlertSettings, DigestSend, Notification
from .children import Address, Child, Professional, Relationship, nhs_number_is_valid, searchable
from .deadlines import Deadline
from .episodes import Allocation, Case, LegalStatus
from .people import AccessLog, Authority, RoleAssignment, Team, User, UserManager
from .performance import PerformanceRollup, PerformanceRollupDirty
from .records import CaseClosure, CaseNote, CaseSummary, ChronologyEntry
from .referrals import Referral
from .submissions import Submission
from .timescales import ClosureDay, TimescaleConfiguration, TimescaleVersion

__all__ = [
    "AccessLog",
    "Address",
    "AlertSettings",
    "Allocation",
    "Authority",
    "Case",
    "CaseClosure",
    "CaseNote",
    "CaseSummary",
    "Child",
    "ChronologyEntry",
    "ClosureDay",
    "Deadline",
    "DigestSend",
    "LegalStatus",
    "Notification",
    "PerformanceRollup",
    "PerformanceRollupDirty",
    "Professional",
    "Referral",
    "Relationship",
    "RoleAssignment",
    "Submission",
    "Team",
    "TimescaleConfiguration",
    "TimescaleVersion",
    "User",
    "UserManager",
    "nhs_number_is_valid",
    "searchable",
]
