"""Settings shared by every environment; read from the environment with django-environ.

The quick start needs no environment at all: SQLite under var/, tasks run eagerly, e-mail goes to
the console. Production overrides live in production.py, the test suite's in test.py.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for, in the quick start too: a newcomer sees the real 404 and 500 pages, never
# Django's debug page listing every URL (DEBUG=true in .env for a developer who wants it).
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="casework-quick-start-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules",
    "simple_history",
    "cases",
    "assessments",
    "planning",
    "visits",
    "supervision",
    "audits",
    "returns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files in every environment, DEBUG or not: from the finders in the quick start (no
    # collectstatic needed), from the collected manifest in production (production.py).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside CommonMiddleware, which sets Content-Length from the content this rewrites.
    "cases.table_labels.TableLabelsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cases.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the CSRF check and the second factor, before the sign-in requirement (see its docstring).
    "cases.middleware.KeptPostMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cases.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Inside the history middleware so the record a create form makes is written with its author.
    "cases.submissions.CreateOnceMiddleware",
    # django-axes must come last so it sees every failed sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.casework",
            ],
        },
    },
]

# The quick start keeps its SQLite database and collected files here; a fresh clone has no var/.
(BASE_DIR / "var").mkdir(exist_ok=True)


def database_from_environment(**default) -> dict:
    """DATABASE_URL, with what each engine needs here; every settings module reads it through this."""
    database = env.db("DATABASE_URL", **default)
    database["ATOMIC_REQUESTS"] = False
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Two requests writing at once (an autosave racing a sign-out) wait their turn instead of
        # failing with "database is locked": a write transaction takes its lock when it begins
        # (IMMEDIATE), so SQLite can make it wait up to the timeout rather than refuse it mid-way.
        database.setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    if database["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler pays off on long analytic queries; a page's queries take
        # milliseconds, and one the planner over-costs (a correlated EXISTS over 50,000 children)
        # spent 15 ms compiling itself before running in 2.
        database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return database


DATABASES = {"default": database_from_environment(default=f"sqlite:///{BASE_DIR / 'var' / 'casework.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cases.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any other backend is asked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "my-work"
LOGOUT_REDIRECT_URL = "signed-out"

# Idle timeout: the session cookie's age slides forward on every request, so a session ends
# SESSION_IDLE_MINUTES after the user's last request. The page warns SESSION_WARNING_MINUTES before.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_MINUTES", default=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Second factor (django-otp TOTP). Required in production; optional in the quick start.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "Casework"

# django-axes: lock a username (from any address) after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Lock the account name from whatever address: staff in one council office share an IP address,
# so locking by address would lock a whole office out. A username lock cannot be dodged by rotating
# user agents or cookies, which is what axes.W006 warns of for the other parameters.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# Sign-in ignores letter case and surrounding spaces, so the lock must count "QA-…" and " qa-…" as one.
AXES_USERNAME_CALLABLE = "cases.forms.sign_in.account_name"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend and MOJ Frontend are served from node_modules, never committed.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
    # MOJ Frontend points GOV.UK Frontend's images at MOJ's image folder, so the GOV.UK crest the
    # stylesheet names is served from there too (MOJ's own images, listed first, win a clash).
    ("moj/assets/images", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets" / "images"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Looked up when asked for rather than scanned at start: each test client and each quick-start
# process starts at once, and a rebuilt stylesheet is served without a restart.
WHITENOISE_AUTOREFRESH = True

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Casework <casework@localhost>")

# Celery: Redis when REDIS_URL is set; otherwise every task runs eagerly in the calling process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Alerts: links in the emailed digests point here; a digest that fails to send is retried with
# backoff from DIGEST_RETRY_SECONDS, and a claim on a digest older than DIGEST_CLAIM_MINUTES is
# taken to belong to a worker that died, so the next run sends it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DIGEST_RETRY_SECONDS = env.int("DIGEST_RETRY_SECONDS", default=30)
DIGEST_CLAIM_MINUTES = env.int("DIGEST_CLAIM_MINUTES", default=30)
# People per chunk of the digest job, at most: each chunk is one Celery task, so workers share the
# work. Small enough that two workers halve the wall time (make bench-digests), large enough that
# a chunk's fixed queries stay a small part of it.
DIGEST_CHUNK_SIZE = env.int("DIGEST_CHUNK_SIZE", default=50)

SERVICE_NAME = "Casework"
PHASE = env.str("PHASE", default="beta")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Forms render GOV.UK Design System markup (templates/govuk/).
FORM_RENDERER = "cases.govuk_forms.GovukFormRenderer"
