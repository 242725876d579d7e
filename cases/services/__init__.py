"""Functions that write. Each is one transaction; history and deadlines are updated inside."""

from .people import access_log_record, role_assign, sessions_clear_expired, user_create

__all__ = ["access_log_record", "role_assign", "sessions_clear_expired", "user_create"]
