"""The outbox. ``queue_email`` and ``queue_emails`` belong inside the event's transaction;
delivery is a task."""

import contextlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.bulk import Dependent, insert_rows
from notifications.models import Notification, OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Ids per delivery task.
DELIVERY_BATCH = 100
_REF = "__model__"


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    category: str = "",
    dedupe_key: str | None = None,
) -> OutboxEmail | None:
    """Write an email to the outbox and deliver it once the surrounding transaction commits.

    With a ``dedupe_key`` a second call for the same event writes nothing and returns None.
    """
    from notifications.tasks import deliver_email_task

    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(
                to=to,
                subject=subject.replace("\n", " ")[:255],
                body=body,
                html_body=html_body,
                category=category,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    transaction.on_commit(lambda: _enqueue(deliver_email_task, email.pk))
    return email


def _enqueue(task, *args) -> None:
    # If the broker is down the email stays in the outbox; the periodic sweep sends it.
    try:
        task.delay(*args)
    except Exception:
        logger.warning("Broker unavailable; outbox email %s left for the sweep", args)


def notify(*, recipient, message: str, url: str = "") -> Notification:
    return Notification.objects.create(recipient=recipient, message=message[:500], url=url)


def notify_many(notes: Sequence[tuple[int, str, str]], *, now: datetime | None = None) -> None:
    """In-app notifications (recipient id, message, url) in one INSERT, for jobs."""
    insert_rows(
        Notification,
        ("recipient_id", "message", "url"),
        [(recipient_id, message[:500], url) for recipient_id, message, url in notes],
        same={"created_at": now or timezone.now()},
    )


def ref(model_label: str, pk: int | None = None, **lookup) -> dict:
    """A context value that the delivery loads as that model's row (``"awards.award"``), by
    ``pk`` or by another unique lookup (``award_id=...``) when the pk is not known yet."""
    return {_REF: model_label, "lookup": {"pk": pk} if pk is not None else lookup}


@dataclass(frozen=True, slots=True)
class Templated:
    """One email to render at delivery, and the in-app line that goes with it (if any).

    ``context`` is small JSON: plain values and :func:`ref` references."""

    to: str
    template: str
    context: dict
    category: str
    dedupe_key: str
    recipient_id: int | None = None
    message: str = ""
    url: str = ""


def queue_emails(emails: Iterable[Templated], *, language: str | None = None) -> list[Templated]:
    """Write templated emails to the outbox and their in-app notifications (one statement
    on PostgreSQL, two elsewhere: :func:`~common.bulk.insert_rows`);
    deliver after commit.

    Set-based twin of :func:`queue_email` for jobs: a dedupe key already in the outbox
    (``ON CONFLICT DO NOTHING``) writes neither the email nor its notification, so a second
    or concurrent run sends nothing twice. Returns the emails actually queued. Rendering
    waits for the delivery, in ``language`` (the active one by default)."""
    emails = [email for email in emails if email.to]
    if not emails:
        return []
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    now = timezone.now()
    by_key = {email.dedupe_key: email for email in emails}
    inserted = insert_rows(
        OutboxEmail,
        ("to", "template", "context", "category", "dedupe_key"),
        [(e.to, e.template, e.context, e.category, e.dedupe_key) for e in emails],
        same={
            "subject": "",
            "body": "",
            "html_body": "",
            "language": language,
            "created_at": now,
            "next_attempt_at": now,
            "attempts": 0,
            "last_error": "",
        },
        ignore_conflicts=("dedupe_key",),
        returning=("id", "dedupe_key"),
        dependent=Dependent(
            Notification,
            ("recipient_id", "message", "url"),
            [
                (e.dedupe_key, e.recipient_id, e.message[:500], e.url)
                for e in by_key.values()
                if e.recipient_id is not None
            ],
            key="dedupe_key",
            same={"created_at": now},
        ),
    )
    queued_ids = [row.id for row in inserted]
    queued = [by_key[row.dedupe_key] for row in inserted]
    if queued_ids:
        transaction.on_commit(lambda: _enqueue_many(sorted(queued_ids)))
    return queued


def _enqueue_many(ids: Sequence[int]) -> None:
    from notifications.tasks import deliver_emails_task

    for start in range(0, len(ids), DELIVERY_BATCH):
        _enqueue(deliver_emails_task, list(ids[start : start + DELIVERY_BATCH]))


def _resolve(context: dict) -> dict:
    """The template context: :func:`ref` values become their rows (DoesNotExist if gone)."""
    resolved = {}
    for name, value in context.items():
        if isinstance(value, dict) and _REF in value:
            model = apps.get_model(value[_REF])
            value = model._default_manager.get(**value["lookup"])
        resolved[name] = value
    return resolved


def _render(email: OutboxEmail) -> None:
    """Fill subject and body of a templated row, in its language (no-op for rendered rows)."""
    if not email.template:
        return
    with translation.override(email.language or settings.LANGUAGE_CODE):
        context = _resolve(email.context)
        subject = render_to_string(f"{email.template}_subject.txt", context).strip()
        email.body = render_to_string(f"{email.template}.txt", context)
    email.subject = subject.replace("\n", " ")[:255]


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 360))


def message_id(email: OutboxEmail) -> str:
    """The same Message-ID on every attempt, so a receiver can drop a copy sent again after
    a crash between the server's acceptance and the commit that records it."""
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{DNS_NAME}>"


def deliver_email(*, email_id: int, now: datetime | None = None) -> bool:
    """Send one outbox email if it is still unsent. Returns True if it was sent now.

    The row is locked (skipping one another worker holds), so two deliveries of the same
    message never both send it. ``sent_at`` is committed as soon as the mail server has
    accepted the message and before the connection is closed: a crash while saying goodbye
    (QUIT) must not make the next sweep send it again.
    """
    now = now or timezone.now()
    mail_connection = get_connection()
    try:
        with transaction.atomic():
            email = (
                OutboxEmail.objects.select_for_update(skip_locked=True)
                .filter(pk=email_id, sent_at__isnull=True, failed_at__isnull=True)
                .first()
            )
            if email is None:
                return False
            email.attempts += 1
            try:
                _render(email)
                message = EmailMultiAlternatives(
                    email.subject,
                    email.body,
                    to=[email.to],
                    connection=mail_connection,
                    headers={"Message-ID": message_id(email)},
                )
                if email.html_body:
                    message.attach_alternative(email.html_body, "text/html")
                # An open connection is left open by send(): closed after the commit below.
                mail_connection.open()
                message.send()
            except Exception as exc:
                email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                email.next_attempt_at = now + _backoff(email.attempts)
                if email.attempts >= MAX_ATTEMPTS:
                    email.failed_at = now
                email.save(update_fields=["attempts", "last_error", "next_attempt_at", "failed_at"])
                return False
            email.sent_at = now
            email.last_error = ""
            # A templated row keeps what was sent, so the admin shows the real message.
            email.save(update_fields=["attempts", "sent_at", "last_error", "subject", "body"])
            return True
    finally:
        with contextlib.suppress(Exception):
            mail_connection.close()


def deliver_due_emails(*, now: datetime | None = None, limit: int = 500) -> int:
    """The sweep: send every unsent email whose next attempt is due. Returns how many sent."""
    now = now or timezone.now()
    due_ids = list(
        OutboxEmail.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver_email(email_id=pk, now=now) for pk in due_ids)
