"""Writes on calendar feeds: create (revoking the previous one), revoke, find by token."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from calendars.models import CalendarFeed
from common.tokens import hash_token, new_token

TOKEN_PREFIX = "cal_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 11
LAST_USED_RESOLUTION = timedelta(hours=1)


@transaction.atomic
def create_feed(*, user, now: datetime | None = None) -> tuple[CalendarFeed, str]:
    """A new secret feed address for ``user``; the previous one stops working."""
    now = now or timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    raw = new_token(TOKEN_PREFIX)
    feed = CalendarFeed.objects.create(
        user=user, token_hash=hash_token(raw), prefix=raw[:PREFIX_LENGTH], created_at=now
    )
    return feed, raw


def revoke_feed(*, user, now: datetime | None = None) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def feed_for_token(raw: str, *, now: datetime | None = None) -> CalendarFeed | None:
    """The live feed of an active account for ``raw``, with its last use stamped (at most
    once an hour, so polling calendar clients do not write on every fetch)."""
    now = now or timezone.now()
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed and (feed.last_used_at is None or feed.last_used_at < now - LAST_USED_RESOLUTION):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed
