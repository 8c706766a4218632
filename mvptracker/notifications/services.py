"""The outbox. ``queue_email`` belongs inside the event's transaction; delivery is a task."""

import contextlib
import logging
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import DNS_NAME
from django.db import IntegrityError, transaction
from django.utils import timezone

from mvptracker.notifications.models import Notification, OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


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
    from mvptracker.notifications.tasks import deliver_email_task

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
            message = EmailMultiAlternatives(
                email.subject,
                email.body,
                to=[email.to],
                connection=mail_connection,
                headers={"Message-ID": message_id(email)},
            )
            if email.html_body:
                message.attach_alternative(email.html_body, "text/html")
            email.attempts += 1
            try:
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
            email.save(update_fields=["attempts", "sent_at", "last_error"])
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
