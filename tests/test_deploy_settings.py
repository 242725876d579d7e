import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(tmp_path, *args):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; production never has it.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 30 + "a-long-random-production-secret-value-1234567890",
        "ALLOWED_HOSTS": "casework.example.gov.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_requires_the_second_factor_and_secure_cookies(tmp_path):
    code = "from django.conf import settings as s; print(s.OTP_REQUIRED, s.SESSION_COOKIE_SECURE, s.DEBUG)"
    result = _manage(tmp_path, "shell", "--verbosity", "0", "-c", code)
    assert result.stdout.split() == ["True", "True", "False"], result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_quick_start_serves_the_real_error_pages_and_its_own_static_files(tmp_path):
    """`make run` uses the base settings with no environment: DEBUG is off, so an unknown address
    gets the service's own 404 page (never Django's debug page listing every URL), and WhiteNoise
    serves the stylesheet and script without collectstatic."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "DATABASE_URL")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.base", "DATABASE_URL": f"sqlite:///{tmp_path / 'q.sqlite3'}"}
    code = (
        "from django.conf import settings; from django.test import Client; c = Client(HTTP_HOST='127.0.0.1:8000'); "
        "missing = c.get('/no-such-page/'); script = c.get('/static/js/casework.js'); "
        "print(settings.DEBUG, missing.status_code, script.status_code); print(missing.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    first, page = result.stdout.split("\n", 1)
    assert first.split() == ["False", "404", "200"], result.stdout + result.stderr
    assert "Page not found" in page and "URLconf" not in page


@pytest.mark.django_db
def test_postgresql_connections_do_not_compile_queries_just_in_time():
    """A page's queries run in milliseconds; JIT compiling an over-costed one took longer than
    running it (config/settings/base.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
