"""Retention of candidate invitations (a daily job composed in ``ops.jobs``)."""

from datetime import date

from django.conf import settings
from django.db.models import Q

from common.retention import retention_cutoff
from nominations.models import Invitation


def purge_spent_invitations(*, as_of: date) -> dict[str, int]:
    """Invitations used, or expired, more than ``RETENTION_INVITATIONS`` (30 days) before
    ``as_of``, in one DELETE. The nomination's own events keep its history; the rows hold
    only a candidate's address and a hash nobody can use any more."""
    cutoff = retention_cutoff(as_of, settings.RETENTION_INVITATIONS)
    deleted, _ = Invitation.objects.filter(
        Q(used_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    ).delete()
    return {"invitations_purged": deleted}


DAILY_JOBS = [("purge_spent_invitations", purge_spent_invitations)]
