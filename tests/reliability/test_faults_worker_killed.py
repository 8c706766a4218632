"""Faults: a real Celery worker (its own process, on a Redis of our own, against the test
database) is killed with SIGKILL in the middle of every daily job and of email delivery.

Each job is stopped at a known point by a lock or an uncommitted unique key held by the test
(the worker's session waits for it, which the test sees in ``pg_stat_activity``), then the
worker's whole process group gets SIGKILL. The next run must finish everything: every effect
present exactly once, every email accepted by the mail server exactly once.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.services import queue_email
from tests.factories.nominations import make_privileged
from tests.reliability.conftest import scale
from tests.reliability.daily_work import audit_daily_effects, seed_due_work
from tests.reliability.faults import (
    delivered,
    drain_outbox,
    hold_outbox_key,
    lock_row,
    needs_postgresql,
    run_jobs_and_drain,
    wait_for_no_worker_sessions,
    wait_until_blocked,
)

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


JOB_POINTS = (
    "expire_mcc_statuses",
    "expire_mvp_terms",
    "open_due_renewal_reviews",
    "remind_mcc_expiry",
    "remind_renewal_deadlines",
    "expire_nominations",
    "remind_reviewers",
    "purge_stale_imports",
)
EMAIL_POINTS = ("data", "quit")  # before the mail server accepted the message, and after


def job_holders(work, points):
    """One holder per chosen job, in the order the jobs run; each stops its job part-way (the
    earlier rows of that job are done, the held one is not)."""
    holders = {
        "expire_mcc_statuses": lambda: lock_row(
            "expire_mcc_statuses", "awards_award", work.mcc_due[-1].pk
        ),
        "expire_mvp_terms": lambda: lock_row(
            "expire_mvp_terms", "awards_award", work.mvp_due[-1].pk
        ),
        "open_due_renewal_reviews": lambda: lock_row(
            "open_due_renewal_reviews", "awards_award", work.renewal_due[-1].pk
        ),
        "remind_mcc_expiry": lambda: hold_outbox_key(
            "remind_mcc_expiry", f"award:{work.mcc_remind[-1].pk}:mcc_expiry_reminder"
        ),
        "remind_renewal_deadlines": lambda: hold_outbox_key(
            "remind_renewal_deadlines", f"renewal:{work.review_remind[-1].pk}:reminder"
        ),
        "expire_nominations": lambda: lock_row(
            "expire_nominations", "nominations_nomination", work.nominations_overdue[-1].pk
        ),
        "remind_reviewers": lambda: lock_row(
            "remind_reviewers", "nominations_reviewassignment", work.assignments_overdue[-1].pk
        ),
        "purge_stale_imports": lambda: lock_row(
            "purge_stale_imports", "contributions_pendingimport", work.stale_imports[-1].pk
        ),
    }
    made = []
    try:
        for point in JOB_POINTS:
            if point in points:
                made.append(holders[point]())
    except Exception:
        for holder in made:
            holder.release()
        raise
    return made


def kill_and_restart(worker, release) -> None:
    worker.kill()
    release()
    wait_for_no_worker_sessions()
    worker.start()


def kill_repeatedly(*, broker, worker, smtp_sink, job_points, email_points, repetitions):
    """Per repetition: fresh due work, one SIGKILL at each chosen point, then the next run.
    Returns (job kills, email kills, the audit of the whole database)."""
    today = timezone.localdate()
    staff = make_privileged()
    job_kills = email_kills = 0
    for repetition in range(repetitions):
        work = seed_due_work(today=today, staff=staff)
        drain_outbox(broker)  # the welcome emails of the seeded awards
        holders = job_holders(work, job_points)
        try:
            while holders:
                holder = holders[0]
                broker.send_task("ops.tasks.run_daily_jobs_task")
                wait_until_blocked(holder)
                kill_and_restart(worker, holders.pop(0).release)
                job_kills += 1
        finally:
            # A failure must not leave locks behind: the teardown's flush would wait forever.
            for holder in holders:
                holder.release()
        for point in email_points:
            smtp_sink.arm(point)
            with transaction.atomic():
                queue_email(
                    to=f"fault-{repetition}-{point}@example.com",
                    subject=f"Delivery interrupted at {point}",
                    body="Sent exactly once, whatever happens to the worker.",
                )
            assert smtp_sink.stalled.wait(timeout=60), "the worker never delivered the email"
            kill_and_restart(worker, smtp_sink.release)
            email_kills += 1
        run_jobs_and_drain(broker)
    return job_kills, email_kills, audit_daily_effects(today=today, delivered=delivered(smtp_sink))


def record_and_assert(figure, *, label, job_kills, email_kills, audit, repetitions):
    detail = f"{repetitions} repetition(s), {audit.effects} effects owed"
    if audit.problems:
        detail += "; " + "; ".join(audit.problems[:5])
    figure("Faults", f"kills during daily jobs{label}", job_kills, target=">= 1", ok=job_kills > 0)
    figure(
        "Faults",
        f"kills during email delivery{label}",
        email_kills,
        target=">= 1",
        ok=email_kills > 0,
    )
    figure(
        "Faults",
        f"effects lost after kills{label}",
        audit.lost,
        target="0",
        ok=audit.lost == 0,
        detail=detail,
    )
    figure(
        "Faults",
        f"effects duplicated after kills{label}",
        audit.duplicated,
        target="0",
        ok=audit.duplicated == 0,
        detail=detail,
    )
    assert audit.problems == []
    assert audit.effects > 0


def test_faults_worker_killed_mid_job_and_mid_delivery_fast(
    broker,
    worker,
    smtp_sink,
    figure,
):
    # `make test`: a job stopped after some of its rows, the nomination expiry, and an email
    # the mail server accepted just before the kill (the case that used to send it twice).
    job_kills, email_kills, audit = kill_repeatedly(
        broker=broker,
        worker=worker,
        smtp_sink=smtp_sink,
        job_points={"open_due_renewal_reviews", "expire_nominations"},
        email_points=("quit",),
        repetitions=1,
    )
    record_and_assert(
        figure,
        label=" (fast)",
        job_kills=job_kills,
        email_kills=email_kills,
        audit=audit,
        repetitions=1,
    )
    assert (job_kills, email_kills) == (2, 1)


@pytest.mark.slow_reliability
def test_faults_worker_killed_in_every_job_and_delivery_loses_and_doubles_nothing(
    broker,
    worker,
    smtp_sink,
    figure,
):
    repetitions = scale(3, 5)
    job_kills, email_kills, audit = kill_repeatedly(
        broker=broker,
        worker=worker,
        smtp_sink=smtp_sink,
        job_points=set(JOB_POINTS),
        email_points=EMAIL_POINTS,
        repetitions=repetitions,
    )
    record_and_assert(
        figure,
        label="",
        job_kills=job_kills,
        email_kills=email_kills,
        audit=audit,
        repetitions=repetitions,
    )
    assert (job_kills, email_kills) == (8 * repetitions, 2 * repetitions)
