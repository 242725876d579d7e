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
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.forms.sign_in import SecurityCodeForm, SignInForm
from cases.middleware import SESSION_OTP_ENROLLED


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        enrolled = any(True for _ in devices_for_user(self.request.user, confirmed=True))
        self.request.session[SESSION_OTP_ENROLLED] = enrolled
        return response


sign_in = login_not_required(SignInView.as_view())
sign_out = auth_views.LogoutView.as_view()


@login_not_required
def signed_out(request):
    """The page after signing out. The browser's countdown reaching zero posts here (with the CSRF
    token) to end the server-side session too; a plain link or an image elsewhere, being a GET,
    signs nobody out."""
    timed_out = (request.POST if request.method == "POST" else request.GET).get("reason") == "timeout"
    if request.method == "POST":
        if timed_out:
            logout(request)
        return redirect(f"{reverse('signed-out')}?reason=timeout" if timed_out else reverse("signed-out"))
    return render(request, "registration/signed_out.html", {"timed_out": timed_out})


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


@require_POST
def keep_alive(request):
    """Touching the session resets the idle timeout (SESSION_SAVE_EVERY_REQUEST)."""
    request.session.modified = True
    return HttpResponse(status=204)
