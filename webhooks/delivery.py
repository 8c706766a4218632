"""Delivery of the outbox: claim due rows under a lease, POST them outside any transaction,
record each answer.

A claim locks due rows (``select_for_update(skip_locked=True)``: two workers never take the
same row), counts the attempt and sets ``leased_until``, and commits before the POST. The
result is recorded only if the row is still that attempt's (``attempts`` is the fence): a
worker killed mid-POST leaves its row pending, and once the lease has passed the next run
takes it again, with the same webhook id. A receiver may therefore see an id twice (at
least once delivery); Standard Webhooks receivers drop repeats by ``webhook-id``.

2xx is delivered. Anything else (another status, a redirect, which is never followed, a
refused address, a timeout) is retried after ``WEBHOOKS_RETRY_BASE_SECONDS`` × 4^(n-1)
until ``WEBHOOKS_MAX_ATTEMPTS``; then the delivery has failed, the endpoint is disabled and
global staff are told in-app.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import RoleGrant
from common import safe_http
from notifications.services import notify_many
from webhooks.enums import DeliveryStatus
from webhooks.models import Delivery, Endpoint
from webhooks.signing import decrypt_secret, sign

TIMEOUT = 10.0
# Longer than the guarded client's whole exchange (3 × timeout), so a live worker never
# loses its lease while still waiting for an answer.
LEASE = timedelta(seconds=60)
BATCH = 50
MAX_DELAY = timedelta(days=1)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base × 4^(attempts-1), ≤ 1 day.
    Default 60 s base, 7 attempts: 1 m, 4 m, 16 m, 64 m, 4.3 h, 17 h — 22.7 h in all."""
    seconds = settings.WEBHOOKS_RETRY_BASE_SECONDS * 4 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_DELAY)


@dataclass(frozen=True)
class Claimed:
    delivery: Delivery
    attempt: int


def claim(*, now: datetime, limit: int = BATCH) -> list[Claimed]:
    """Take up to ``limit`` due rows of enabled endpoints under a lease (one transaction)."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__enabled=True)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1, leased_until=now + LEASE, last_attempt_at=now
        )
        rows = Delivery.objects.filter(pk__in=ids).select_related("endpoint").order_by("pk")
        return [Claimed(delivery=row, attempt=row.attempts) for row in rows]


def send(delivery: Delivery, *, now: datetime) -> tuple[int | None, str]:
    """POST one delivery, signed; returns (status code or None, error message)."""
    timestamp = int(now.timestamp())
    body = delivery.body.encode()
    try:
        secret = decrypt_secret(delivery.endpoint.secret_encrypted)
    except Exception:
        return None, _("The endpoint's secret cannot be read (was SECRET_KEY changed?).")
    headers = {
        "Content-Type": "application/json",
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            secret=secret, webhook_id=delivery.webhook_id, timestamp=timestamp, body=body
        ),
    }
    try:
        answer = safe_http.post(
            delivery.endpoint.url,
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS,
            headers=headers,
            content=body,
            timeout=TIMEOUT,
            max_bytes=64 * 1024,
        )
    except safe_http.FetchError as exc:
        return None, str(exc)[:2000]
    if answer.ok:
        return answer.status, ""
    if answer.status in safe_http.REDIRECT_STATUSES:
        return answer.status, _("The receiver answered with a redirect, which is not followed.")
    return answer.status, _("The receiver answered %(status)s.") % {"status": answer.status}


def record(*, claimed: Claimed, status_code: int | None, error: str, now: datetime) -> str:
    """Store one attempt's outcome; returns the delivery's status ("" if the lease was lost
    and another attempt owns the row now)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=claimed.delivery.pk, attempts=claimed.attempt, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return ""
        delivery.status_code = status_code
        delivery.error = error
        delivery.leased_until = None
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            _disable_failing(delivery.endpoint_id, now=now)
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(
            update_fields=[
                "status",
                "status_code",
                "error",
                "leased_until",
                "delivered_at",
                "next_attempt_at",
            ]
        )
        return delivery.status


def _disable_failing(endpoint_id: int, *, now: datetime) -> None:
    """Disable an endpoint whose delivery used up its attempts and tell global staff."""
    endpoint = Endpoint.objects.select_for_update().filter(pk=endpoint_id, enabled=True).first()
    if endpoint is None:
        return
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = _("Disabled automatically: a delivery failed %(count)s times.") % {
        "count": settings.WEBHOOKS_MAX_ATTEMPTS
    }
    endpoint.save(update_fields=["enabled", "disabled_at", "disabled_reason"])
    message = _("The webhook endpoint %(url)s kept failing and was disabled.") % {
        "url": endpoint.url
    }
    url = reverse("webhooks:deliveries", args=[endpoint.pk])
    staff = RoleGrant.objects.filter(role=Role.STAFF).values_list("user_id", flat=True)
    notify_many([(user_id, message, url) for user_id in staff], now=now)


def deliver_due(*, now: datetime | None = None, batches: int = 20) -> dict[str, int]:
    """Deliver what is due, batch by batch. Returns counts of this run's attempts and what
    is still pending afterwards."""
    counts = {"delivered": 0, "failed": 0}

    def clock() -> datetime:
        return now or timezone.now()

    for _batch in range(batches):
        claimed = claim(now=clock())
        for item in claimed:
            status_code, error = send(item.delivery, now=clock())
            status = record(claimed=item, status_code=status_code, error=error, now=clock())
            if status == DeliveryStatus.DELIVERED:
                counts["delivered"] += 1
            elif status:  # "" is an attempt whose lease another run took over
                counts["failed"] += 1
        if len(claimed) < BATCH:
            break
    counts["pending"] = Delivery.objects.filter(status=DeliveryStatus.PENDING).count()
    return counts
