import secrets

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Session key set at sign-in: does this user have a confirmed authenticator app? Kept in the
# session so that the second-factor check costs no query on every request.
SESSION_OTP_ENROLLED = "casework_otp_enrolled"


class SecondFactorMiddleware:
    """After the password, a user with an authenticator app must enter a code before anything else;
    where OTP_REQUIRED is set, a user without one must set one up first."""

    ALWAYS_ALLOWED = ("sign-out", "signed-out", "second-factor", "second-factor-setup", "accessibility")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match and match.url_name in self.ALWAYS_ALLOWED:
            return None
        if request.session.get(SESSION_OTP_ENROLLED):
            return redirect(f"{reverse('second-factor')}?next={request.get_full_path()}")
        if settings.OTP_REQUIRED:
            return redirect("second-factor-setup")
        return None


class ContentSecurityPolicyMiddleware:
    """A strict CSP: only our own origin; the one inline script carries a per-request nonce."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        # The Django admin sets inline styles; our own pages do not need them.
        style = "'self' 'unsafe-inline'" if request.path.startswith("/admin/") else "'self'"
        response.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{request.csp_nonce}'; "
            f"style-src {style}; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        return response
