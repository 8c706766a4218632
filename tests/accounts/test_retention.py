"""Retention of sessions and login-failure rows: past their period gone, younger kept, twice
the same as once."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.jobs import purge_expired_sessions, purge_login_failures
from ops.jobs import daily_jobs, run_daily_jobs

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 10)
MIDNIGHT = datetime.datetime(2026, 6, 10, tzinfo=datetime.UTC)


def session_expiring(at: datetime.datetime) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=at)
    return store.session_key


def test_expired_sessions_are_purged_and_live_ones_kept(settings):
    settings.TIME_ZONE = "UTC"
    old = session_expiring(MIDNIGHT - datetime.timedelta(seconds=1))
    live = session_expiring(MIDNIGHT + datetime.timedelta(minutes=1))
    just = session_expiring(MIDNIGHT)
    assert purge_expired_sessions(as_of=AS_OF) == {"sessions_purged": 1}
    assert set(Session.objects.values_list("session_key", flat=True)) == {live, just}
    assert old not in Session.objects.values_list("session_key", flat=True)
    assert purge_expired_sessions(as_of=AS_OF) == {"sessions_purged": 0}


def test_session_grace_period_is_a_setting(settings):
    settings.TIME_ZONE = "UTC"
    settings.RETENTION_SESSIONS = datetime.timedelta(days=7)
    kept = session_expiring(MIDNIGHT - datetime.timedelta(days=6))
    session_expiring(MIDNIGHT - datetime.timedelta(days=8))
    assert purge_expired_sessions(as_of=AS_OF) == {"sessions_purged": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [kept]


def axes_rows(at: datetime.datetime, name: str) -> None:
    common = {"user_agent": "ua", "ip_address": "198.51.100.1", "username": name}
    common |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
    attempt = AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=3
    )
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=at)
    failure = AccessFailureLog.objects.create(**common)
    access = AccessLog.objects.create(**common)
    # attempt_time is auto_now_add: put it where the test needs it
    for model, pk in ((AccessAttempt, attempt.pk), (AccessFailureLog, failure.pk)):
        model.objects.filter(pk=pk).update(attempt_time=at)
    AccessLog.objects.filter(pk=access.pk).update(attempt_time=at)


def test_login_failures_past_the_lockout_window_are_purged(settings):
    settings.TIME_ZONE = "UTC"
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    settings.RETENTION_LOGIN_FAILURES = datetime.timedelta(minutes=15)
    axes_rows(MIDNIGHT - datetime.timedelta(minutes=16), "old@example.com")
    axes_rows(MIDNIGHT - datetime.timedelta(minutes=14), "recent@example.com")
    assert purge_login_failures(as_of=AS_OF) == {"login_failures_purged": 3}
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert list(model.objects.values_list("username", flat=True)) == ["recent@example.com"]
    assert AccessAttemptExpiration.objects.count() == 1
    assert purge_login_failures(as_of=AS_OF) == {"login_failures_purged": 0}


def test_login_failures_are_never_purged_inside_the_lockout(settings):
    settings.TIME_ZONE = "UTC"
    settings.AXES_COOLOFF_TIME = datetime.timedelta(hours=2)
    settings.RETENTION_LOGIN_FAILURES = datetime.timedelta(minutes=1)  # shorter: ignored
    axes_rows(MIDNIGHT - datetime.timedelta(minutes=90), "locked@example.com")
    assert purge_login_failures(as_of=AS_OF) == {"login_failures_purged": 0}
    assert AccessAttempt.objects.count() == 1


def test_retention_jobs_run_daily_and_are_counted(settings):
    names = [name for name, _fn in daily_jobs()]
    for job in (
        "purge_expired_sessions",
        "purge_login_failures",
        "purge_delivered_emails",
        "purge_spent_invitations",
    ):
        assert job in names
    session_expiring(timezone.now() - datetime.timedelta(days=1))
    counts = run_daily_jobs(as_of=timezone.localdate(), trigger="test")
    assert counts["sessions_purged"] == 1
    assert {"login_failures_purged", "outbox_purged", "invitations_purged"} <= set(counts)


def test_a_run_for_a_future_date_ends_no_live_session_nor_lock(settings):
    """run_daily_jobs --as-of in the future (or a test travelling in time) purges only what
    is past its period already now."""
    now = timezone.now()
    live = session_expiring(now + datetime.timedelta(days=1))
    axes_rows(now - datetime.timedelta(minutes=1), "locked@example.com")
    far = timezone.localdate() + datetime.timedelta(days=365)
    assert purge_expired_sessions(as_of=far) == {"sessions_purged": 0}
    assert purge_login_failures(as_of=far) == {"login_failures_purged": 0}
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
