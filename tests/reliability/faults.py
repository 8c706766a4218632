"""Fixtures and helpers shared by the fault tests (imported by the test_faults_* modules)."""

import contextlib
import os
from email.header import decode_header, make_header
from urllib.parse import quote

import kombu.pools
import psycopg
import pytest
from django.db import connection

from contributions.models import ContributionKind, TechnologyArea
from contributions.vocabularies import load_vocabularies
from notifications.models import OutboxEmail
from ops.models import JobRun
from tests.reliability.servers import (
    WORKER_APP_NAME,
    CeleryWorker,
    RedisServer,
    SmtpSink,
    free_port,
    wait_for,
)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the fault tests need PostgreSQL"
)


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer(free_port(6391))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def smtp_sink():
    sink = SmtpSink(free_port(2525))
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def seeded(transactional_db):
    # A transactional test before this one may have flushed the seeded vocabularies.
    load_vocabularies(TechnologyArea, ContributionKind)


@contextlib.contextmanager
def real_broker(url: str):
    """Make this (test) process publish tasks to ``url`` instead of running them eagerly, as
    the web process does in production; restored afterwards."""
    from mvptracker.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)

    def reset_pools():
        kombu.pools.reset()  # the global connection and producer pools, keyed by broker
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    app.conf.task_always_eager = False
    app.conf.broker_url = url
    reset_pools()
    try:
        yield app
    finally:
        reset_pools()
        app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.fixture
def broker(redis_server, seeded):
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()  # unacknowledged tasks of a killed worker from an earlier test
    client.close()
    with real_broker(redis_server.url) as app:
        yield app


def worker_env(*, redis_url: str, smtp_port: int, data_dir) -> dict[str, str]:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    # The server drops a dead client's session within 0.25 s even while it waits for a lock,
    # as TCP keepalives would, only sooner.
    options = quote("-c client_connection_check_interval=250")
    url = (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}?application_name={WORKER_APP_NAME}&options={options}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mvptracker.settings.reliability",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "MVPTRACKER_DATA_DIR": str(data_dir),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def worker(broker, redis_server, smtp_sink, tmp_path):
    smtp_sink.messages.clear()
    process = CeleryWorker(
        env=worker_env(redis_url=redis_server.url, smtp_port=smtp_sink.port, data_dir=tmp_path),
        log_dir=tmp_path,
    )
    process.start()
    yield process
    process.kill()


def raw_connection() -> psycopg.Connection:
    """A connection of its own (not Django's) on the test database, e.g. to hold a lock."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )


class Holder:
    """An open transaction holding a row lock (or an uncommitted unique key) that a job
    needs, so the job stops exactly there until the holder rolls back."""

    def __init__(self, job: str, sql: str, params):
        self.job = job
        self.conn = raw_connection()
        self.conn.execute(sql, params)
        self.pid = self.conn.info.backend_pid

    def release(self) -> None:
        self.conn.rollback()
        self.conn.close()


def lock_row(job: str, table: str, pk: int) -> Holder:
    return Holder(job, f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608


def hold_outbox_key(job: str, key: str) -> Holder:
    return Holder(
        job,
        'INSERT INTO notifications_outboxemail ("to", subject, body, html_body, category,'
        " dedupe_key, created_at, next_attempt_at, attempts, last_error, template, context,"
        " language)"
        " VALUES ('held@example.com', 'held', '', '', '', %s, now(), now(), 0, '', '', '{}',"
        " '')",
        [key],
    )


def worker_backends(*, blocked_by: int | None = None) -> list[int]:
    sql = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = %s"
    params = [connection.settings_dict["NAME"], WORKER_APP_NAME]
    if blocked_by is not None:
        sql += " AND %s = ANY(pg_blocking_pids(pid))"
        params.append(blocked_by)
    with raw_connection() as conn:
        return [row[0] for row in conn.execute(sql, params).fetchall()]


def wait_until_blocked(holder: Holder, *, timeout: float = 60) -> None:
    wait_for(
        lambda: worker_backends(blocked_by=holder.pid),
        timeout=timeout,
        what=f"the worker to reach {holder.job}",
    )


def wait_for_no_worker_sessions(*, timeout: float = 30) -> None:
    wait_for(lambda: not worker_backends(), timeout=timeout, what="the dead worker's sessions")


def finished_runs() -> int:
    return JobRun.objects.filter(finished_at__isnull=False).count()


def run_jobs_and_drain(app, *, timeout: float = 120) -> None:
    """What the scheduler does next: the daily jobs and the outbox sweep; then wait until the
    run finished and every outbox email is sent."""
    before = finished_runs()
    app.send_task("ops.tasks.run_daily_jobs_task")
    wait_for(lambda: finished_runs() > before, timeout=timeout, what="the daily jobs")
    drain_outbox(app, timeout=timeout)


def drain_outbox(app, *, timeout: float = 120) -> None:
    app.send_task("notifications.tasks.deliver_outbox_task")
    wait_for(
        lambda: not OutboxEmail.objects.filter(sent_at__isnull=True).exists(),
        timeout=timeout,
        what="the outbox to empty",
    )


def delivered(sink: SmtpSink) -> list[tuple[str, str]]:
    """(to, subject) of every message the mail server accepted."""
    return [
        (str(message["To"]), " ".join(str(make_header(decode_header(message["Subject"]))).split()))
        for message in list(sink.messages)
    ]
