"""Faults: Redis (the broker) is down when a transaction that queues an email commits."""

import time

import pytest
from django.utils import timezone

from awards.enums import AwardKind
from awards.models import Award
from awards.services import grant_award
from notifications.models import OutboxEmail
from tests.factories.contributions import ContributorFactory
from tests.reliability.faults import delivered, drain_outbox, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_faults_redis_down_at_commit_loses_no_email(
    broker, worker, redis_server, smtp_sink, figure
):
    contributor = ContributorFactory()
    redis_server.stop()
    started = time.monotonic()
    try:
        award = grant_award(
            contributor=contributor,
            kind=AwardKind.MCC,
            starts_on=timezone.localdate(),
            actor=None,
        )
        committed = True
    except Exception:
        committed = False
    commit_seconds = round(time.monotonic() - started, 2)
    waiting = list(OutboxEmail.objects.filter(sent_at__isnull=True).values_list("to", flat=True))
    redis_server.start()
    drain_outbox(broker, timeout=90)

    got = [to for to, _ in delivered(smtp_sink)]
    email = contributor.user.email
    figure(
        "Faults",
        "commits that succeed with Redis down",
        int(committed),
        target="1 of 1",
        ok=committed,
        detail=f"the commit took {commit_seconds} s with the broker refusing",
    )
    figure(
        "Faults",
        "emails lost with Redis down at commit",
        0 if email in got else 1,
        target="0",
        ok=email in got,
    )
    figure(
        "Faults",
        "emails sent twice after Redis came back",
        max(got.count(email) - 1, 0),
        target="0",
        ok=got.count(email) <= 1,
    )
    assert committed
    assert Award.objects.filter(pk=award.pk).exists()
    assert waiting == [email]  # written to the outbox, left for the sweep
    assert got == [email]
