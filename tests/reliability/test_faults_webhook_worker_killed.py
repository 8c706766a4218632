"""Faults: a real Celery worker is killed with SIGKILL while its webhook POST is in flight
(the receiver holds the request open). The next run delivers the event, with the same
``webhook-id``, signed, and nothing is lost."""

import threading

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from tests.local_http import LocalHTTPServer
from tests.reliability.faults import needs_postgresql, wait_for_no_worker_sessions
from tests.reliability.servers import wait_for
from webhooks.enums import DeliveryStatus
from webhooks.models import Delivery
from webhooks.services import create_endpoint, emit

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_faults_worker_killed_mid_webhook_delivery_still_delivers(broker, worker, figure):
    in_flight, release = threading.Event(), threading.Event()

    def receive(request):
        if not in_flight.is_set():
            in_flight.set()
            release.wait(30)  # the worker is killed meanwhile; this answer reaches no one
        return 200, {}, b""

    with LocalHTTPServer() as receiver:
        receiver.route("/hook", handler=receive)
        _endpoint, secret = create_endpoint(
            url=receiver.url("/hook"), events=["award.granted"], actor=None
        )
        with transaction.atomic():  # on commit the event's task goes to the real broker
            emit("award.granted", {"award_id": 1}, occurred_at=timezone.now())
        assert in_flight.wait(60), "the worker never POSTed the webhook"
        worker.kill()
        release.set()
        wait_for_no_worker_sessions()
        row = Delivery.objects.get()
        assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
        # The claim's 60 s lease has not passed yet: move its end instead of waiting.
        Delivery.objects.filter(pk=row.pk).update(leased_until=timezone.now())
        worker.start()
        broker.send_task("webhooks.tasks.deliver_webhooks_task")  # the beat's next run
        wait_for(
            lambda: Delivery.objects.get().status == DeliveryStatus.DELIVERED,
            timeout=60,
            what="the delivery after the restart",
        )
        ids = [request.headers["webhook-id"] for request in receiver.requests]
        last = receiver.requests[-1]
        Webhook(secret).verify(last.body, {k.lower(): v for k, v in last.headers.items()})
    lost = 0 if Delivery.objects.get().status == DeliveryStatus.DELIVERED else 1
    figure("Faults", "webhooks lost after a kill mid-delivery", lost, target="0", ok=lost == 0)
    figure(
        "Faults",
        "webhook ids changed across attempts",
        len(set(ids)) - 1,
        target="0",
        ok=len(set(ids)) == 1,
        detail=f"{len(ids)} POSTs received",
    )
    assert lost == 0
    assert len(ids) == 2
    assert len(set(ids)) == 1 == len({row.webhook_id, *ids})
