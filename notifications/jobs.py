"""Retention of the outbox (a daily job composed in ``ops.jobs``)."""

from datetime import date

from django.conf import settings

from common.retention import retention_cutoff
from notifications.models import OutboxEmail


def purge_delivered_emails(*, as_of: date) -> dict[str, int]:
    """Delivered outbox rows older than ``RETENTION_OUTBOX`` (90 days), in one DELETE.

    Undelivered and failed rows stay for the operators. The period must be longer than any
    reminder window that relies on an outbox dedupe key to send only once (the longest is the
    MCC expiry reminder's, a few weeks)."""
    cutoff = retention_cutoff(as_of, settings.RETENTION_OUTBOX)
    deleted, _ = OutboxEmail.objects.filter(sent_at__lt=cutoff).delete()
    return {"outbox_purged": deleted}


DAILY_JOBS = [("purge_delivered_emails", purge_delivered_emails)]
