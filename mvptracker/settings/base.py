"""Settings shared by every environment, read from the environment through one reader.

With nothing set, the embedded default applies: SQLite in ``data/`` and Celery on kombu's
``filesystem://`` transport (no broker server). ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL (with Django's psycopg 3 connection pool) and Redis.
"""

from datetime import timedelta
from pathlib import Path

import django.forms
import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

import mvptracker
from mvptracker.bootstrap import read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# Already read by the entry point that chose this module; again for pytest and other importers.
read_env_file()
DATA_DIR = Path(env.str("MVPTRACKER_DATA_DIR", default=str(BASE_DIR / "data")))

APP_VERSION = mvptracker.__version__
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
DATABASE_POOL = env.bool("DATABASE_POOL", default=True)
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=8)


def configure_database(database: dict, *, pool: bool, pool_max_size: int) -> dict:
    """Add the engine-specific options: the psycopg 3 pool on PostgreSQL, WAL on SQLite."""
    database = dict(database)
    options = dict(database.get("OPTIONS", {}))
    if database["ENGINE"].endswith("postgresql"):
        database["CONN_MAX_AGE"] = 0  # the pool owns connection lifetime
        # With the pool, Django turns this into the pool's check on checkout: a connection the
        # server dropped (a PostgreSQL restart) is replaced instead of failing the first request
        # after recovery (seen in the reliability suite's restart test).
        database["CONN_HEALTH_CHECKS"] = pool
        # Every .iterator() here reads a small, bounded result (a form's choices, one person's
        # export). In autocommit a server-side cursor is a WITH HOLD cursor: DECLARE, FETCH and
        # CLOSE round trips and a materialised result, for every select list on every page.
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        if pool:
            options["pool"] = {"min_size": 1, "max_size": pool_max_size, "timeout": 10}
    elif database["ENGINE"].endswith("sqlite3"):
        if database["NAME"] != ":memory:":
            # A first run on a bare checkout: SQLite creates the file, not its folder.
            Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids
        # "database is locked" when two processes upgrade a read lock at once.
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault(
            "init_command",
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        )
    database["OPTIONS"] = options
    database["ATOMIC_REQUESTS"] = False
    return database


DATABASES["default"] = configure_database(
    DATABASES["default"], pool=DATABASE_POOL, pool_max_size=DATABASE_POOL_MAX_SIZE
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_countries",
    "django_htmx",
    "csp",
    "accounts",
    "notifications",
    "webhooks",
    "ops",
    "contributions",
    "awards",
    "nominations",
    "imports",
    "credentials",
    "api",
    "calendars",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.middleware.RejectNullCharactersMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.RequireMFAForPrivilegedRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mvptracker.urls"
WSGI_APPLICATION = "mvptracker.wsgi.application"

DJANGO_FORMS_JINJA2 = Path(django.forms.__file__).parent / "jinja2"
CONTEXT_PROCESSORS = [
    "django.template.context_processors.debug",
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "django.template.context_processors.tz",
    "csp.context_processors.nonce",
    "mvptracker.navigation.navigation",
]
# The project's own pages, partials, emails and forms are Jinja2 (templates/jinja2/, README
# "Templates"); allauth's overrides and their layout (templates/django/), the admin's and any
# installed app's Django-language templates render with the second engine.
TEMPLATES = [
    {
        "BACKEND": "common.templating.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2", DJANGO_FORMS_JINJA2],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "mvptracker.templating.environment",
            "context_processors": CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "django"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
]

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.ModelPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[mvptracker] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Failed logins are throttled per IP only. allauth's default also limits them per email
# ("5/5m/key") from any address, which let anyone lock a person out by failing on their email;
# the per-(email, IP) lock is django-axes' job (below).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
# A second factor is TOTP or a security key / passkey (WebAuthn, through fido2); recovery codes
# back either up. Passkeys are a second factor only: signing in still starts with the password.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "mvptracker"
# Accept the codes of the neighbouring 30-second steps too (RFC 6238 clock-skew allowance);
# a used code is remembered, so it cannot be replayed.
MFA_TOTP_TOLERANCE = 1
# Roles whose members must have a second factor (TOTP or WebAuthn) before they can use anything
# but the MFA pages.
MFA_REQUIRED_ROLES = ("staff", "regional_manager", "reviewer")

# django-axes: lock a (username, IP) pair, never a username alone, so an attacker elsewhere
# cannot lock a reviewer out; the lock lifts after the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
# One login log: SecurityEvent (accounts/signals.py) records logins, logouts, failures and
# lock-outs; axes keeps only the attempt counters that its lock-out needs.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Behind a reverse proxy set AXES_PROXY_COUNT=1 and
# AXES_IP_HEADERS=HTTP_X_FORWARDED_FOR,REMOTE_ADDR;
# trusting a client-sent header without a proxy would let an attacker pick their own IP.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"])

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="mvptracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
CELERY_DATA_DIR = DATA_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # The embedded default: kombu's filesystem transport needs no server, and a real worker
    # and beat consume it, so scheduled jobs run exactly as they would on Redis.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")
# The schedule lives in code: one beat process reads it. Daily jobs are state-driven, so a
# late, doubled or missed run gives the same result as an on-time one.
CELERY_BEAT_SCHEDULE = {
    "run-daily-jobs": {
        "task": "ops.tasks.run_daily_jobs_task",
        "schedule": crontab(hour=2, minute=15),
    },
    # Each source has its own next fetch time (daily by default, never more than hourly);
    # this run only queues the sources that are due.
    "fetch-due-sources": {
        "task": "imports.tasks.fetch_due_sources_task",
        "schedule": crontab(minute=40),
    },
    "deliver-outbox": {
        "task": "notifications.tasks.deliver_outbox_task",
        "schedule": timedelta(minutes=1),
    },
    # Webhooks due for a (re)try; events enqueue a delivery at commit as well.
    "deliver-webhooks": {
        "task": "webhooks.tasks.deliver_webhooks_task",
        "schedule": timedelta(minutes=1),
    },
}
# What run-daily-jobs runs, in order: each module's DAILY_JOBS (ops.jobs.daily_jobs). Awards
# first (expiry frees people for new terms), then nominations, then housekeeping.
DAILY_JOB_MODULES = [
    "awards.jobs",
    "nominations.jobs",
    "contributions.jobs",
    "api.jobs",
    "accounts.jobs",
    "notifications.jobs",
    "nominations.retention",
]
# Retention periods of the purge jobs (accounts/jobs.py, notifications/jobs.py,
# nominations/retention.py). Login failures are never kept shorter than the lock-out.
RETENTION_SESSIONS = timedelta(days=env.int("RETENTION_SESSION_DAYS", default=0))
RETENTION_LOGIN_FAILURES = (
    timedelta(minutes=env.int("RETENTION_LOGIN_FAILURE_MINUTES"))
    if env.str("RETENTION_LOGIN_FAILURE_MINUTES", default="")
    else AXES_COOLOFF_TIME
)
RETENTION_OUTBOX = timedelta(days=env.int("RETENTION_OUTBOX_DAYS", default=90))
RETENTION_INVITATIONS = timedelta(days=env.int("RETENTION_INVITATION_DAYS", default=30))

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from hx-headers on <body>; no JS reads it
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- API -----------------------------------------------------------------------------------
# Requests per minute per personal access token (per user for sessions, per address when
# anonymous), counted in a fixed window in the cache.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=600)

MVPTRACKER_DEMO_MODE = False

FORM_RENDERER = "common.forms.FormRenderer"

# Absolute base URL for links in emails (invitations); empty means relative links.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
# The program's name, used in page titles, emails and outgoing requests' User-Agent.
SITE_NAME = env.str("SITE_NAME", default="mvptracker")

# Webhooks, the import hub and credentials: their settings are in integrations.py.
from mvptracker.settings.integrations import *  # noqa: E402, F403
