"""Retention of account data (daily jobs composed in ``ops.jobs``): each deletes, in a fixed
number of statements, the rows past their period as of a date, so a second run deletes
nothing more and nothing younger is touched
(:func:`common.retention.retention_cutoff`: never later than now)."""

from datetime import date

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from common.retention import retention_cutoff


def purge_expired_sessions(*, as_of: date) -> dict[str, int]:
    """``clearsessions`` for the database backend, as one DELETE: sessions that expired
    ``RETENTION_SESSIONS`` (default: no grace) before the start of ``as_of``."""
    cutoff = retention_cutoff(as_of, settings.RETENTION_SESSIONS)
    deleted, _ = Session.objects.filter(expire_date__lt=cutoff).delete()
    return {"sessions_purged": deleted}


@transaction.atomic(savepoint=False)
def purge_login_failures(*, as_of: date) -> dict[str, int]:
    """django-axes rows older than ``RETENTION_LOGIN_FAILURES`` (never shorter than the
    lock-out window, so no lock is lifted early): attempts with their expirations, the failure
    log and the old access log. The login history itself is ``SecurityEvent``."""
    period = max(settings.RETENTION_LOGIN_FAILURES, settings.AXES_COOLOFF_TIME)
    cutoff = retention_cutoff(as_of, period)
    AccessAttemptExpiration.objects.filter(access_attempt__attempt_time__lt=cutoff).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    accesses, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    return {"login_failures_purged": attempts + failures + accesses}


DAILY_JOBS = [
    ("purge_expired_sessions", purge_expired_sessions),
    ("purge_login_failures", purge_login_failures),
]
