"""Production: every secret and host from the environment, HTTPS only, nothing defaulted."""

from django.core.exceptions import ImproperlyConfigured

from mvptracker.settings.base import *  # noqa: F403
from mvptracker.settings.base import env

DEBUG = False
# Never fetch import sources from loopback or private addresses in production.
IMPORT_ALLOW_PRIVATE_NETWORKS = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("change-me"):
    # An empty value or the placeholder of an old .env.example: a copied .env must not start.
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to 50 or more random characters (see .env.example)."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# A production issuer key is configured, never generated behind the operator's back.
CREDENTIALS_GENERATE_KEY = env.bool("CREDENTIALS_GENERATE_KEY", default=False)
