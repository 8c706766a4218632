"""The cut-off of the retention jobs (accounts, notifications, nominations)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def retention_cutoff(as_of: date, period: timedelta, *, now: datetime | None = None) -> datetime:
    """Rows older than this are past ``period`` as of ``as_of`` — and already now.

    The start of ``as_of`` or now, whichever is earlier, minus the period: a run for a future
    date (``run_daily_jobs --as-of``, tests travelling in time) must not end live sessions, lift
    a lock-out still running or drop an outbox dedupe key a reminder still relies on."""
    start = timezone.make_aware(datetime.combine(as_of, time()))
    return min(start, now or timezone.now()) - period
