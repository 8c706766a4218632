"""The test suite: PostgreSQL and Redis when their URLs are set, the embedded default otherwise."""

from mvptracker.settings.base import *  # noqa: F403
from mvptracker.settings.base import DATABASES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-not-secret-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e"  # noqa: S105
# MD5 keeps factories fast enough for hypothesis; never used outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run tasks in-process at on_commit; the worker and beat are tested through the
# same functions they call.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each test owns its connections; the pool is exercised by the production settings tests.
if "pool" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["OPTIONS"].pop("pool")
ACCOUNT_RATE_LIMITS = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = None  # files come from the finders; nothing is collected in tests
WHITENOISE_USE_FINDERS = True
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True  # the test receiver listens on 127.0.0.1
# The fixtures are served from 127.0.0.1; the guard's own tests turn this off again.
IMPORT_ALLOW_PRIVATE_NETWORKS = True
