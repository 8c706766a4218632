"""Writes: the outbox (:func:`emit`, :func:`emit_many`, called by domain services inside
their own transaction) and the endpoints program staff manage.

This app knows no domain model: an event is a type, a JSON-able ``data`` dict of ids and
public fields, and the moment it happened.
"""

import json
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import safe_http
from webhooks.enums import DeliveryStatus, EventType
from webhooks.models import Delivery, Endpoint
from webhooks.signing import encrypt_secret, new_secret

logger = logging.getLogger(__name__)

# The outbox statement: one delivery row per enabled endpoint subscribed to the event and per
# event item, whatever the number of either. Items travel as ONE JSON parameter.
_INSERT = """
    INSERT INTO webhooks_delivery
        (endpoint_id, event, webhook_id, body, status, attempts, created_at, next_attempt_at,
         error)
    SELECT e.id, %s, {webhook_id}, {body}, %s, 0, %s, %s, ''
    FROM webhooks_endpoint AS e, {items}
    WHERE e.enabled AND {subscribed}
"""
_POSTGRES = {
    "items": "json_to_recordset(%s::json) AS v(webhook_id text, body text)",
    "webhook_id": "v.webhook_id",
    "body": "v.body",
    "subscribed": "jsonb_exists(e.events, %s)",
}
_SQLITE = {
    "items": "json_each(%s) AS v",
    "webhook_id": "json_extract(v.value, '$.webhook_id')",
    "body": "json_extract(v.value, '$.body')",
    "subscribed": "EXISTS (SELECT 1 FROM json_each(e.events) AS s WHERE s.value = %s)",
}


def message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def payload(event_type: str, data: dict, *, occurred_at: datetime) -> str:
    """The body: ``{"type", "timestamp", "data"}`` as compact JSON (what is signed)."""
    return json.dumps(
        {"type": event_type, "timestamp": occurred_at.isoformat(), "data": data},
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def emit(event_type: str, data: dict, *, occurred_at: datetime | None = None) -> int:
    """Queue ``event_type`` for every enabled endpoint subscribed to it; call inside the
    event's transaction. One statement. Returns the number of delivery rows written."""
    return _insert(event_type, [data], occurred_at=occurred_at)


def emit_many(
    event_type: str, items: Iterable[dict], *, occurred_at: datetime | None = None
) -> int:
    """:func:`emit` for many events of one type (the daily expiry): ONE INSERT … SELECT for
    all items and endpoints, after one read that says whether any endpoint listens, so a
    job's statement count does not grow with its rows. Each item gets its own webhook id.
    Delivery is enqueued after commit."""
    if event_type not in EventType.values:
        raise ValueError(f"Unknown webhook event {event_type!r}")
    items = list(items)
    # Thousands of bodies cost tens of milliseconds to build; when nobody listens (one read
    # of a tiny table) the job pays nothing more.
    if not items or not _listening(event_type):
        return 0
    return _insert(event_type, items, occurred_at=occurred_at)


def _insert(event_type: str, items: list[dict], *, occurred_at: datetime | None) -> int:
    if event_type not in EventType.values:
        raise ValueError(f"Unknown webhook event {event_type!r}")
    occurred_at = occurred_at or timezone.now()
    rows = [
        {"webhook_id": message_id(), "body": payload(event_type, data, occurred_at=occurred_at)}
        for data in items
    ]
    if not rows:
        return 0
    parts = _POSTGRES if connection.vendor == "postgresql" else _SQLITE
    sql = _INSERT.format(**parts)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [event_type, DeliveryStatus.PENDING, now, now, json.dumps(rows), event_type]
        )
        written = cursor.rowcount
    if written:
        transaction.on_commit(enqueue_delivery)
    return written


def _listening(event_type: str) -> bool:
    parts = _POSTGRES if connection.vendor == "postgresql" else _SQLITE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM webhooks_endpoint AS e "  # noqa: S608 -- constants only
            f"WHERE e.enabled AND {parts['subscribed']} LIMIT 1",
            [event_type],
        )
        return cursor.fetchone() is not None


def enqueue_delivery() -> None:
    from webhooks.tasks import deliver_webhooks_task

    # If the broker is down the rows wait in the outbox; the beat schedule's sweep sends them.
    try:
        deliver_webhooks_task.delay()
    except Exception:
        logger.warning("Broker unavailable; webhook deliveries left for the sweep")


# --- endpoints -----------------------------------------------------------------------------


def check_endpoint_url(url: str) -> str:
    """The URL rules of the import hub (shared guard): http(s), no credentials, a public
    address unless WEBHOOKS_ALLOW_PRIVATE_NETWORKS. Raises ValidationError with the reason."""
    url = (url or "").strip()
    allowed = safe_http.address_check(allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS)
    try:
        safe_http.check_url(url, allowed=allowed)
    except safe_http.FetchError as exc:
        raise ValidationError({"url": [str(exc)]}) from exc
    except ValueError as exc:  # urlsplit: e.g. an unclosed IPv6 bracket
        raise ValidationError({"url": [_("Enter a valid URL.")]}) from exc
    return url


def _clean_events(events) -> list[str]:
    chosen = [event for event in EventType.values if event in set(events or ())]
    unknown = sorted(set(events or ()) - set(EventType.values))
    if unknown:
        raise ValidationError(
            {"events": [_("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}]}
        )
    if not chosen:
        raise ValidationError({"events": [_("Choose at least one event.")]})
    return chosen


def _checked(**fields) -> tuple:
    """Every given field checked, all refusals in one ValidationError."""
    errors, values = {}, []
    for name, check in (("url", check_endpoint_url), ("events", _clean_events)):
        if name in fields:
            try:
                values.append(check(fields[name]))
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return tuple(values)


@transaction.atomic
def create_endpoint(
    *, url: str, events, actor, description: str = "", enabled: bool = True
) -> tuple[Endpoint, str]:
    """A new endpoint and its secret, returned in clear this once."""
    url, events = _checked(url=url, events=events)
    secret = new_secret()
    endpoint = Endpoint.objects.create(
        url=url,
        events=events,
        description=(description or "").strip()[:200],
        enabled=enabled,
        secret_encrypted=encrypt_secret(secret),
        created_by=actor,
    )
    return endpoint, secret


@transaction.atomic
def update_endpoint(*, endpoint_id: int, actor, **changes) -> Endpoint:
    """Change ``url``, ``events``, ``description`` or ``enabled``. Enabling an endpoint that
    was disabled for failing clears the reason; its waiting deliveries resume."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint_id)
    fields = []
    checked = dict(
        zip(
            [name for name in ("url", "events") if name in changes],
            _checked(**{k: v for k, v in changes.items() if k in ("url", "events")}),
            strict=True,
        )
    )
    for name, value in checked.items():
        setattr(endpoint, name, value)
        fields.append(name)
    if "description" in changes:
        endpoint.description = (changes["description"] or "").strip()[:200]
        fields.append("description")
    if "enabled" in changes and bool(changes["enabled"]) != endpoint.enabled:
        endpoint.enabled = bool(changes["enabled"])
        endpoint.disabled_at = None if endpoint.enabled else timezone.now()
        endpoint.disabled_reason = (
            ""
            if endpoint.enabled
            else _("Disabled by %(who)s") % {"who": getattr(actor, "email", "")}
        )
        fields += ["enabled", "disabled_at", "disabled_reason"]
    if fields:
        endpoint.save(update_fields=fields)
    return endpoint


def delete_endpoint(*, endpoint_id: int, actor) -> None:
    Endpoint.objects.filter(pk=endpoint_id).delete()


@transaction.atomic
def redeliver(*, delivery_id: int, now: datetime | None = None) -> Delivery:
    """Send one delivery again, with the same webhook id and a fresh retry budget."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.leased_until = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "leased_until"])
    transaction.on_commit(enqueue_delivery)
    return delivery


def make_waiting_due(*, now: datetime | None = None) -> int:
    """Every pending delivery waiting for a later attempt becomes due now (--retry-now)."""
    now = now or timezone.now()
    return Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__gt=now).update(
        next_attempt_at=now
    )
