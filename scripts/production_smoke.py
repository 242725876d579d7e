"""Production as docker-compose starts it, on this machine: collectstatic and migrate under the
production settings on PostgreSQL, then gunicorn behind a proxy that ends TLS (it sends
X-Forwarded-Proto, as SECURE_PROXY_SSL_HEADER expects). Then the pages a person meets first: the
sign-in page, a stylesheet from the static manifest, sign-in with the second factor to My work, the
404 page; and the 500 page rendered by its handler. Exits non-zero, naming the step, on any failure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_smoke python scripts/production_smoke.py
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMAIL, PASSWORD = "smoke-test@casework.test", secrets.token_urlsafe(16)


def fail(step: str, detail: str = "") -> None:
    print(f"Production smoke test failed: {step}{': ' + detail if detail else ''}", file=sys.stderr)
    sys.exit(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of one: cookies kept by hand (the session cookie is Secure, and urllib's cookie
    jar would never send it over the plain HTTP between the proxy and gunicorn), no redirects."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Origin"] = headers["Referer"] = "https://127.0.0.1"
        # Always http://127.0.0.1:<port> of the gunicorn this script started.
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), response.read().decode(errors="replace")

    def form_post(self, path: str, fields: dict) -> tuple[int, dict, str]:
        status, _, page = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            fail(f"GET {path}", f"status {status}, no CSRF token")
        return self.request(path, {"csrfmiddlewaretoken": token.group(1), **fields})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def manage(env: dict, *arguments: str) -> None:
    command = [sys.executable, "manage.py", *arguments]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603 (our own command)
    if done.returncode:
        fail(f"manage.py {' '.join(arguments)}", done.stderr.strip().splitlines()[-1] if done.stderr else "")


def main() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "true",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_authorities")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    key = secrets.token_hex(20)
    user_for_sign_in(key)

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(60):
            try:
                browser.request("/sign-in/")
                break
            except OSError:
                time.sleep(0.5)
        check_pages(browser, key)
        check_server_error_page(browser)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("Production smoke test passed: static manifest, sign-in with the second factor, My work, 404 and 500.")


def user_for_sign_in(key: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import Authority, RoleAssignment, Team, User
    from cases.roles import Role

    authority = Authority.objects.get(slug="york")
    team, _ = Team.objects.get_or_create(authority=authority, name="Smoke test team")
    user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
        email=EMAIL, password=PASSWORD, authority=authority, full_name="Smoke Test"
    )
    user.set_password(PASSWORD)
    user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.SOCIAL_WORKER, team=team)
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Smoke test", key=key, confirmed=True)


def current_code(key: str) -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key)):06d}"


def check_pages(browser: Browser, key: str) -> None:
    status, headers, page = browser.request("/sign-in/")
    if status != 200 or "Sign in" not in page:
        fail("the sign-in page", f"status {status}")
    if "Strict-Transport-Security" not in headers:
        fail("the sign-in page", "no HSTS header behind the proxy")
    stylesheet = re.search(r'href="(/static/build/casework\.[0-9a-f]{12}\.css)"', page)
    if not stylesheet:
        fail("the static manifest", "the page does not link a hashed stylesheet")
    status, headers, css = browser.request(stylesheet.group(1))
    if status != 200 or "govuk" not in css or "max-age" not in headers.get("Cache-Control", ""):
        fail("the stylesheet from the manifest", f"status {status}")
    status, headers, _ = browser.form_post("/sign-in/", {"username": EMAIL, "password": PASSWORD})
    if status != 302:
        fail("sign-in with the password", f"status {status}")
    status, headers, _ = browser.form_post("/sign-in/security-code/", {"code": current_code(key), "next": "/"})
    if status != 302:
        fail("the security code", f"status {status}")
    status, _, page = browser.request("/")
    if status != 200 or "My work" not in page:
        fail("My work, signed in", f"status {status}")
    status, _, page = browser.request("/no-such-page/")
    if status != 404 or "Page not found" not in page:
        fail("the 404 page", f"status {status}")


def check_server_error_page(browser: Browser) -> None:
    """No page fails on purpose, so the handler renders the 500 page here; its stylesheet must be
    served, since the page names it without reading the manifest."""
    from django.test import RequestFactory

    from cases.errors import server_error

    response = server_error(RequestFactory().get("/", headers={"X-Forwarded-Proto": "https"}))
    page = response.content.decode()
    if response.status_code != 500 or "Sorry, there is a problem with the service" not in page:
        fail("the 500 page", f"status {response.status_code}")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    if not stylesheet or browser.request(stylesheet.group(1))[0] != 200:
        fail("the 500 page's stylesheet")


if __name__ == "__main__":
    main()
