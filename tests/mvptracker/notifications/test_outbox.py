from datetime import timedelta
from typing import ClassVar
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone

from mvptracker.notifications.models import OutboxEmail
from mvptracker.notifications.services import (
    MAX_ATTEMPTS,
    deliver_due_emails,
    deliver_email,
    message_id,
    queue_email,
)

pytestmark = pytest.mark.django_db


def test_queue_email_delivers_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to="a@example.com", subject="Hello", body="Body")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1


def test_queue_email_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue_email(to="a@example.com", subject="Hello", body="Body")
                raise RuntimeError("the event failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_queue_email_with_same_dedupe_key_writes_once():
    first = queue_email(to="a@example.com", subject="S", body="B", dedupe_key="award:1:welcome")
    second = queue_email(to="a@example.com", subject="S", body="B", dedupe_key="award:1:welcome")
    assert first is not None
    assert second is None
    assert OutboxEmail.objects.count() == 1


def test_queue_email_survives_broker_down(django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "mvptracker.notifications.tasks.deliver_email_task.delay",
            side_effect=ConnectionError("broker down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = queue_email(to="a@example.com", subject="S", body="B")
    email.refresh_from_db()
    assert email.sent_at is None
    assert deliver_due_emails() == 1  # the sweep delivers it later
    assert len(mail.outbox) == 1


def test_deliver_email_failure_is_retried_with_backoff():
    email = OutboxEmail.objects.create(to="a@example.com", subject="S", body="B")
    now = timezone.now()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp")):
        assert deliver_email(email_id=email.pk, now=now) is False
    email.refresh_from_db()
    assert (email.attempts, email.sent_at, email.failed_at) == (1, None, None)
    assert email.next_attempt_at == now + timedelta(minutes=2)
    assert "smtp" in email.last_error
    assert deliver_due_emails(now=now) == 0  # not due yet
    assert deliver_due_emails(now=now + timedelta(minutes=2)) == 1
    email.refresh_from_db()
    assert email.sent_at is not None


def test_deliver_email_gives_up_after_max_attempts():
    email = OutboxEmail.objects.create(
        to="a@example.com", subject="S", body="B", attempts=MAX_ATTEMPTS - 1
    )
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp")):
        deliver_email(email_id=email.pk)
    email.refresh_from_db()
    assert email.failed_at is not None


def test_deliver_email_twice_sends_once():
    email = OutboxEmail.objects.create(to="a@example.com", subject="S", body="B")
    assert deliver_email(email_id=email.pk) is True
    assert deliver_email(email_id=email.pk) is False
    assert len(mail.outbox) == 1


class _RecordingBackend(BaseEmailBackend):
    """Notes, when the connection closes (SMTP QUIT), whether the send was already recorded
    and committed (deliver_email's transaction no longer open)."""

    seen: ClassVar[list] = []

    def send_messages(self, messages):
        return len(messages)

    def close(self):
        _RecordingBackend.seen.append(
            (
                OutboxEmail.objects.filter(sent_at__isnull=False).count(),
                len(connection.savepoint_ids),
            )
        )


def test_deliver_email_records_the_send_before_closing_the_connection(settings):
    # A worker killed while the mail server answers QUIT has already committed sent_at, so
    # the sweep does not send the message a second time.
    settings.EMAIL_BACKEND = f"{__name__}._RecordingBackend"
    email = OutboxEmail.objects.create(to="a@example.com", subject="S", body="B")
    _RecordingBackend.seen.clear()
    depth = len(connection.savepoint_ids)
    assert deliver_email(email_id=email.pk) is True
    assert _RecordingBackend.seen == [(1, depth)]


def test_deliver_email_keeps_one_message_id_across_attempts():
    email = OutboxEmail.objects.create(to="a@example.com", subject="S", body="B")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp")):
        deliver_email(email_id=email.pk)
    deliver_email(email_id=email.pk, now=timezone.now() + timedelta(hours=1))
    email.refresh_from_db()
    assert mail.outbox[0].message()["Message-ID"] == message_id(email)
    assert message_id(email).startswith(f"<outbox.{email.pk}.")
