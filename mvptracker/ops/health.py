"""Health of the parts the app cannot work without: the database and the broker."""

from django.conf import settings
from django.db import connection

import mvptracker


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def broker_status() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return "embedded"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def health() -> tuple[bool, dict[str, str]]:
    report = {
        "database": database_status(),
        "broker": broker_status(),
        "version": mvptracker.__version__,
    }
    healthy = report["database"] == "ok" and report["broker"] in {"ok", "embedded"}
    return healthy, report
