"""Faults: the daily jobs fired many times at once (a doubled beat, two schedulers) and not
fired for days (downtime). Both must leave every effect exactly once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from ops.jobs import run_daily_jobs
from tests.factories.nominations import make_privileged
from tests.reliability.daily_work import (
    audit_daily_effects,
    due_counts,
    seed_due_work,
    seed_work_falling_due_on,
)
from tests.reliability.faults import needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]

BEATS = 10
SKIPPED_DAYS = 3


def sent_messages() -> list[tuple[str, str]]:
    return [(message.to[0], " ".join(message.subject.split())) for message in mail.outbox]


def test_faults_ten_simultaneous_beats_make_no_duplicate_effects(seeded, figure):
    today = timezone.localdate()
    seed_due_work(today=today, staff=make_privileged(), count=3)
    barrier = threading.Barrier(BEATS)
    errors = []

    def beat():
        try:
            barrier.wait()
            run_daily_jobs(as_of=today, trigger="scheduler")
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(BEATS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    audit = audit_daily_effects(today=today, delivered=sent_messages())
    detail = f"{BEATS} runs on their own connections; {audit.effects} effects owed"
    figure(
        "Faults",
        "duplicate effects from 10 simultaneous beats",
        audit.duplicated,
        target="0",
        ok=audit.duplicated == 0,
        detail="; ".join([detail, *audit.problems[:5]]),
    )
    figure(
        "Faults",
        "effects lost with 10 simultaneous beats",
        audit.lost,
        target="0",
        ok=audit.lost == 0,
    )
    figure(
        "Faults",
        "errors in 10 simultaneous beats",
        len(errors),
        target="0",
        ok=not errors,
        detail="; ".join(errors[:3]),
    )
    assert errors == []
    assert audit.problems == []
    assert audit.effects > 0


def test_faults_jobs_skipped_three_days_catch_up_in_one_run(seeded, figure):
    today = timezone.localdate()
    staff = make_privileged()
    run_daily_jobs(as_of=today, trigger="scheduler")  # the last run before the downtime
    for days in range(1, SKIPPED_DAYS + 1):
        seed_work_falling_due_on(day=today + timedelta(days=days), staff=staff)
    assert all(count == 0 for count in due_counts(day=today).values())
    late = today + timedelta(days=SKIPPED_DAYS)
    owed = due_counts(day=late)

    run_daily_jobs(as_of=late, trigger="manual")

    left = sum(due_counts(day=late).values())
    audit = audit_daily_effects(today=late, delivered=sent_messages())
    figure(
        "Faults",
        "rows left after catching up 3 skipped days",
        left,
        target="0",
        ok=left == 0,
        detail=f"owed before the run: {owed}",
    )
    figure(
        "Faults",
        "effects lost or doubled after 3 skipped days",
        audit.lost + audit.duplicated,
        target="0",
        ok=not audit.problems,
        detail="; ".join(audit.problems[:5]),
    )
    assert all(count >= SKIPPED_DAYS for count in owed.values()), owed
    assert left == 0
    assert audit.problems == []
