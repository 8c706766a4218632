"""The reliability suite's worker and web processes: the test settings, but with a real broker
(``REDIS_URL``, never eager) and real email delivery (``EMAIL_URL``, e.g. a local SMTP sink),
so fault tests exercise the same paths as production. Never used outside tests."""

from mvptracker.settings.test import *  # noqa: F403
from mvptracker.settings.test import EMAIL_CONFIG

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
