"""Health of the parts the app cannot work without: the database and the broker."""

import psycopg
from django.conf import settings
from django.db import connection

# Seconds a probe waits for the database. Behind the pool a page waits up to the pool's
# timeout (10 s) to ride out a blip, and after an outage the pool reconnects on its own
# back-off schedule; the probe opens a connection of its own instead, so it says "database
# down" within this time during an outage and "ok" as soon as the database is back.
DATABASE_PROBE_TIMEOUT = 2


def database_status() -> str:
    try:
        # `pool` is on the PostgreSQL backend's wrapper; the stubs type the generic one.
        if connection.vendor == "postgresql" and connection.pool is not None:  # type: ignore[attr-defined]
            params = connection.get_connection_params()
            with psycopg.connect(**params, connect_timeout=DATABASE_PROBE_TIMEOUT) as probe:
                probe.execute("SELECT 1").fetchone()
        else:
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
        "version": settings.APP_VERSION,
    }
    healthy = report["database"] == "ok" and report["broker"] in {"ok", "embedded"}
    return healthy, report
