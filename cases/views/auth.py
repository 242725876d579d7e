"""Sign-in, the second factor, sign-out and session keep-alive."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.forms.sign_in import SecurityCodeForm, SignInForm
from cases.middleware import SESSION_KEPT_POST, SESSION_OTP_ENROLLED, forget_last_user


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"kept_post": SESSION_KEPT_POST in self.request.session}

    def form_valid(self, form):
        response = super().form_valid(form)
        enrolled = any(True for _ in devices_for_user(self.request.user, confirmed=True))
        self.request.session[SESSION_OTP_ENROLLED] = enrolled
        return response


sign_in = login_not_required(SignInView.as_view())
_log_out = auth_views.LogoutView.as_view()


@login_not_required
def sign_out(request, *args, **kwargs):
    """Signing out on purpose: this browser then keeps nothing for the person (a session that timed
    out keeps their unsaved text for them to sign in again to, see KeptPostMiddleware)."""
    forget_last_user(request)
    return _log_out(request, *args, **kwargs)


@login_not_required
def signed_out(request):
    """The page after signing out. The browser's countdown reaching zero posts here (with the CSRF
    token) to end the server-side session too; a plain link or an image elsewhere, being a GET,
    signs nobody out."""
    given = request.POST if request.method == "POST" else request.GET
    timed_out = given.get("reason") == "timeout"
    # Where the person was, so signing in again takes them back to it (and to their text).
    back_to = _safe_next(request, default="")
    if request.method == "POST":
        if timed_out:
            logout(request)
        query = {"reason": "timeout", "next": back_to, "saved_at": given.get("saved_at", "")[:5],
                 "kept": given.get("kept", "")[:1]} if timed_out else {}  # fmt: skip
        query = urlencode({name: value for name, value in query.items() if value})
        return redirect(f"{reverse('signed-out')}{'?' + query if query else ''}")
    return render(request, "registration/signed_out.html", {
        "timed_out": timed_out, "next": back_to, "saved_at": given.get("saved_at", "")[:5],
        "kept": given.get("kept") == "1",
    })  # fmt: skip


def _safe_next(request, default="my-work"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def second_factor(request):
    """Second step of sign-in: the code from the user's authenticator app."""
    if request.user.is_verified():
        return redirect(_safe_next(request))

    def check(code):
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(code):
                return device
        return None

    form = SecurityCodeForm(request.POST or None, device_check=check)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_safe_next(request))
    return render(request, "registration/second_factor.html", {"form": form, "next": _safe_next(request, "")})


def second_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code.

    The password alone sets up a first app only. Someone who already has one must pass the security
    code first, and then enter their password again to add another: otherwise a stolen password
    would be enough to add an app of the thief's own and skip the second factor for good."""
    has_app = any(True for _ in devices_for_user(request.user, confirmed=True))
    if has_app and not request.user.is_verified():
        return redirect(f"{reverse('second-factor')}?next={reverse('second-factor-setup')}")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )

    def check(code):
        return device if device.verify_token(code) else None

    form = SecurityCodeForm(request.POST or None, device_check=check, reauthenticate=request.user if has_app else None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session[SESSION_OTP_ENROLLED] = True
        return redirect("my-work")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    qr.save(buffer)
    context = {
        "form": form,
        "qr_svg_data": base64.b64encode(buffer.getvalue()).decode(),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": settings.OTP_REQUIRED,
        "adding": has_app,
    }
    return render(request, "registration/second_factor_setup.html", context)


@login_not_required
@require_POST
def keep_alive(request):
    """Touching the session resets the idle timeout (SESSION_SAVE_EVERY_REQUEST). A session that
    has already ended is a 401, for the page to ask the person to sign in again."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)
