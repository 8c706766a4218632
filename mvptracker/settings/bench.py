"""The benchmark: production settings served over plain HTTP on loopback, plus the ladder's
reference views and a middleware that reports (and on request records) each request's SQL."""

from mvptracker.settings.production import *  # noqa: F403
from mvptracker.settings.production import MIDDLEWARE

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCaptureMiddleware", *MIDDLEWARE]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
AXES_ENABLED = False  # the load generator is one IP hammering logged-in pages
API_RATE_LIMIT = 1_000_000  # requests per minute and caller
