from django.conf import settings

from . import navigation
from .middleware import SESSION_OTP_ENROLLED
from .roles import Role
from .selectors import roles_for, teams_of
from .selectors.alerts import unread_count


def casework(request):
    context = {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "navigation": [],
    }
    if fully_signed_in(request):
        context["navigation"] = navigation.items_for(request)
        context["user_role_labels"] = [Role(role).label for role in sorted(roles_for(request.user))]
        context["user_teams"] = teams_of(request.user)
        context["unread_notifications"] = unread_count(request.user)
    return context


def fully_signed_in(request) -> bool:
    """Signed in, and past the second factor where one is needed."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    if user.is_verified():
        return True
    return not (request.session.get(SESSION_OTP_ENROLLED) or settings.OTP_REQUIRED)
