"""A developer's or first-time user's machine: DEBUG on, console email, demo data allowed."""

from mvptracker.settings.base import *  # noqa: F403
from mvptracker.settings.base import DATABASES, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="local-only-not-secret-5c0b6a7e3f1d4e2a9b8c7d6e5f4a3b2c1d0e"
)
# Demo users with printed passwords exist only in the embedded default (SQLite, no broker).
MVPTRACKER_DEMO_MODE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Links in emails (e.g. the nomination invitation) must be absolute to be usable from a mail
# client; on a first run the site is `make run`'s address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
