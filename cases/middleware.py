import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

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


# Session key: a form posted after the session had ended, kept until its author signs in again.
SESSION_KEPT_POST = "casework_kept_post"
# Signed cookie naming who last signed in on this browser, so a form posted after their session
# ended is given back to them alone (not to whoever signs in next on a shared computer).
LAST_USER_COOKIE = "casework_last_user"
LAST_USER_SALT = "casework.last-user"
# An autosave says so with this header: it is answered in JSON, not sent to the sign-in page.
AUTOSAVE_HEADER = "HTTP_X_CASEWORK_AUTOSAVE"
# Far more than any write-up; a bigger post is not kept (the page's own copy still is).
MOST_KEPT_BYTES = 512 * 1024
# Never kept or posted again: the old token is no use after sign-in, and files cannot be kept.
NOT_KEPT = frozenset({"csrfmiddlewaretoken"})


def forget_last_user(request) -> None:
    """A deliberate sign-out: this browser no longer holds anything for its last user."""
    request.casework_forget_last_user = True


class KeptPostMiddleware:
    """Nothing typed is lost to a session that ended: a form posted after the session expired (a
    phone that slept past the idle limit, then "Save draft") is kept in the new session with its
    author, the person is sent to sign in, and once they have signed in again, as the same person,
    the form is posted again to the same page, so it is saved with the version check every save
    makes (a stale one is refused and shown beside theirs, as ever). Without JavaScript this is the
    only copy; with it, the page also keeps one in the browser (static/js/casework.js).

    It sits after the CSRF check (only a post the browser was entitled to make is kept), after the
    second factor (a post is made again only once sign-in is complete) and before the sign-in
    requirement, which would otherwise turn the post into a redirect and drop it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(request, "casework_forget_last_user", False):
            response.delete_cookie(LAST_USER_COOKIE, samesite="Lax")
        elif user is not None and user.is_authenticated and request.get_signed_cookie(
                LAST_USER_COOKIE, default=None, salt=LAST_USER_SALT) != str(user.pk):  # fmt: skip
            response.set_signed_cookie(LAST_USER_COOKIE, str(user.pk), salt=LAST_USER_SALT, httponly=True,
                                       samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
        if getattr(request, "casework_post_made_again", False) and 300 <= response.status_code < 400:
            messages.success(request, "You were signed out before your text was saved. It was saved at "
                                      f"{timezone.localtime():%H:%M}, once you had signed in again.")  # fmt: skip
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            return self._post_again(request)
        if request.method != "POST" or not getattr(view_func, "login_required", True):
            return None
        if request.META.get(AUTOSAVE_HEADER):
            answer = {"saved": False, "signed_out": True, "message": "You have been signed out, so this was not saved."}
            return JsonResponse(answer, status=401)
        self._keep(request)
        return redirect_to_login(request.get_full_path())

    def _keep(self, request) -> None:
        if request.FILES:
            return  # a file cannot be kept in a session: it is chosen again
        try:
            author = int(request.get_signed_cookie(LAST_USER_COOKIE, salt=LAST_USER_SALT))
        except (KeyError, ValueError, signing.BadSignature):
            return
        data = {name: request.POST.getlist(name) for name in request.POST if name not in NOT_KEPT}
        if sum(len(value) for values in data.values() for value in values) > MOST_KEPT_BYTES:
            return
        request.session[SESSION_KEPT_POST] = {"path": request.path, "author": author, "data": data}

    def _post_again(self, request):
        kept = request.session.get(SESSION_KEPT_POST)
        if kept is None or request.method != "GET" or kept["path"] != request.path:
            return None
        del request.session[SESSION_KEPT_POST]
        if kept["author"] != request.user.pk:
            return None  # someone else signed in on this browser: what was kept was not theirs
        posted = QueryDict(mutable=True)
        for name, values in kept["data"].items():
            posted.setlist(name, values)
        posted._mutable = False
        # The view now sees the post its author made, checked for CSRF when it was made.
        request.method, request.POST = "POST", posted
        request.casework_post_made_again = True
        return None
