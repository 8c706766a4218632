"""Writes on personal access tokens: issue, revoke, and the throttled last-use stamp."""

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api.enums import TokenScope
from api.models import ApiToken, default_expiry
from common.tokens import hash_token, new_token

if TYPE_CHECKING:
    from accounts.models import User

TOKEN_PREFIX = "mvpt_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 12  # "mvpt_" and seven characters of the secret: enough to tell tokens apart
LAST_USED_RESOLUTION = timedelta(minutes=1)


def expiry_for_day(day: date) -> datetime:
    """A token that expires "on" a day works through that day (in the active time zone)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))


@transaction.atomic
def issue_token(
    *,
    user: "User",
    name: str,
    scope: str = TokenScope.WRITE,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored nor shown again.

    Write scope and one year of life unless asked otherwise; the expiry must be in the future."""
    now = now or timezone.now()
    expires_at = expires_at or default_expiry()
    if scope not in TokenScope.values:
        raise ValueError(f"unknown token scope {scope!r}")
    if expires_at <= now:
        raise ValueError("a token must expire in the future")
    raw = new_token(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[:PREFIX_LENGTH],
        token_hash=hash_token(raw),
        scope=scope,
        created_at=now,
        expires_at=expires_at,
    )
    return token, raw


def revoke_token(*, token: ApiToken, now: datetime | None = None) -> bool:
    """Revoke once; a second revocation keeps the first time. Returns whether it changed."""
    now = now or timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if changed:
        token.revoked_at = now
    return bool(changed)


def token_for_secret(raw: str) -> ApiToken | None:
    """The usable token with this secret, its user and profile loaded in the same query;
    an expired one too, so that the caller can be told it expired (``ApiToken.is_expired``).

    Lookup is by the hash of a high-entropy secret, so timing reveals nothing useful."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (
        ApiToken.objects.usable().select_related("user").filter(token_hash=hash_token(raw)).first()
    )


def mark_token_used(*, token: ApiToken, now: datetime | None = None) -> None:
    """Record use at most once per minute, so a busy script costs no write per request.

    The condition is in the UPDATE, so concurrent requests write at most once between them."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now
