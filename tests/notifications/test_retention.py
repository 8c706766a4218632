"""Delivered outbox rows go after 90 days; undelivered, failed and younger ones stay."""

import datetime

import pytest

from notifications.jobs import purge_delivered_emails
from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 10)
MIDNIGHT = datetime.datetime(2026, 6, 10, tzinfo=datetime.UTC)


def email(subject: str, *, sent_days_ago=None, failed_days_ago=None) -> OutboxEmail:
    created = MIDNIGHT - datetime.timedelta(days=200)
    return OutboxEmail.objects.create(
        to="a@example.com",
        subject=subject,
        body="x",
        created_at=created,
        sent_at=None
        if sent_days_ago is None
        else MIDNIGHT - datetime.timedelta(days=sent_days_ago),
        failed_at=(
            None if failed_days_ago is None else MIDNIGHT - datetime.timedelta(days=failed_days_ago)
        ),
    )


def test_delivered_emails_older_than_90_days_are_purged(settings):
    settings.TIME_ZONE = "UTC"
    email("old", sent_days_ago=91)
    email("edge", sent_days_ago=90)
    email("recent", sent_days_ago=10)
    email("pending")
    email("failed", failed_days_ago=150)
    assert purge_delivered_emails(as_of=AS_OF) == {"outbox_purged": 1}
    assert sorted(OutboxEmail.objects.values_list("subject", flat=True)) == [
        "edge",
        "failed",
        "pending",
        "recent",
    ]
    assert purge_delivered_emails(as_of=AS_OF) == {"outbox_purged": 0}


def test_outbox_period_is_a_setting(settings):
    settings.TIME_ZONE = "UTC"
    settings.RETENTION_OUTBOX = datetime.timedelta(days=5)
    email("week", sent_days_ago=7)
    email("day", sent_days_ago=1)
    assert purge_delivered_emails(as_of=AS_OF) == {"outbox_purged": 1}
    assert list(OutboxEmail.objects.values_list("subject", flat=True)) == ["day"]


def test_a_run_for_a_future_date_keeps_recent_deliveries():
    from django.utils import timezone

    recent = OutboxEmail.objects.create(
        to="a@example.com", subject="recent", body="x", sent_at=timezone.now()
    )
    far = timezone.localdate() + datetime.timedelta(days=365)
    assert purge_delivered_emails(as_of=far) == {"outbox_purged": 0}
    assert list(OutboxEmail.objects.all()) == [recent]
