import dataclasses
from datetime import timedelta
from typing import ClassVar
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Notification, OutboxEmail
from notifications.services import (
    MAX_ATTEMPTS,
    Templated,
    deliver_due_emails,
    deliver_email,
    message_id,
    queue_email,
    queue_emails,
    ref,
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
            "notifications.tasks.deliver_email_task.delay",
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


def _templated(n: int, user) -> Templated:
    return Templated(
        to=f"p{n}@example.com",
        template="awards/email/mcc_expiry_reminder",
        context={"award": {"plain": "values pass through"}},
        category="test",
        dedupe_key=f"test:{n}",
        recipient_id=user.pk,
        message=f"Message {n}",
        url=f"/x/{n}/",
    )


def test_queue_emails_skips_known_dedupe_keys_and_their_notifications():
    from tests.factories.users import UserFactory

    user = UserFactory()
    first = queue_emails([_templated(1, user), _templated(2, user)])
    again = queue_emails([_templated(2, user), _templated(3, user)])
    assert [e.dedupe_key for e in first] == ["test:1", "test:2"]
    assert [e.dedupe_key for e in again] == ["test:3"]
    assert sorted(OutboxEmail.objects.values_list("dedupe_key", flat=True)) == [
        "test:1",
        "test:2",
        "test:3",
    ]
    assert sorted(Notification.objects.values_list("message", "url")) == [
        ("Message 1", "/x/1/"),
        ("Message 2", "/x/2/"),
        ("Message 3", "/x/3/"),
    ]


def test_queue_emails_delivers_in_batches_after_commit(django_capture_on_commit_callbacks):
    from tests.factories.users import UserFactory

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        queue_emails([_templated(n, user) for n in range(3)], language="ko")
        assert mail.outbox == []
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.com" for n in range(3)]
    assert all(m.subject.startswith("MCC 자격이") for m in mail.outbox)  # rendered in Korean
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()


def test_templated_email_whose_row_is_gone_is_retried_then_given_up():
    email = OutboxEmail.objects.create(
        to="a@example.com",
        template="awards/email/expired",
        context={"award": ref("awards.award", 999999)},
    )
    assert deliver_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.attempts, email.sent_at, email.failed_at) == (1, None, None)
    assert "DoesNotExist" in email.last_error
    email.attempts = MAX_ATTEMPTS - 1
    email.save(update_fields=["attempts"])
    deliver_email(email_id=email.pk)
    email.refresh_from_db()
    assert email.failed_at is not None
    assert mail.outbox == []


def test_email_queued_before_templates_delivers_its_stored_body():
    """Rows written before the outbox stored templates have a body and no template."""
    email = OutboxEmail.objects.create(to="a@example.com", subject="Old", body="Rendered body")
    assert (email.template, email.context, email.language) == ("", {}, "")
    assert deliver_email(email_id=email.pk) is True
    assert [(m.subject, m.body) for m in mail.outbox] == [("Old", "Rendered body")]


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


def test_queue_emails_writes_emails_and_notifications_together(django_assert_num_queries):
    """One statement on PostgreSQL (the notifications join the emails the INSERT wrote),
    two elsewhere; an email without a recipient account gets no notification, and a key
    given twice in one call is one email and one notification."""
    from tests.factories.users import UserFactory

    user = UserFactory()
    queue_emails([_templated(1, user)])
    outsider = dataclasses.replace(_templated(3, user), recipient_id=None)
    batch = [_templated(1, user), _templated(2, user), _templated(2, user), outsider]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        queued = queue_emails(batch)
    assert sorted(e.dedupe_key for e in queued) == ["test:2", "test:3"]
    assert sorted(Notification.objects.values_list("message", flat=True)) == [
        "Message 1",
        "Message 2",
    ]
