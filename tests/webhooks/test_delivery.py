import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.enums import Region, Role
from notifications.models import Notification
from tests.factories.nominations import make_privileged
from webhooks import delivery
from webhooks.delivery import LEASE, backoff, claim, deliver_due
from webhooks.enums import DeliveryStatus
from webhooks.models import Delivery, Endpoint
from webhooks.services import emit, redeliver
from webhooks.signing import decrypt_secret

pytestmark = pytest.mark.django_db

DATA = {"award_id": 7, "kind": "mcc", "status": "active", "contributor_id": 3}


def emit_one(event="award.granted", data=DATA):
    with transaction.atomic():
        return emit(event, data, occurred_at=timezone.now())


def test_delivery_signature_verifies_with_standardwebhooks(receiver, make_endpoint):
    _endpoint, secret = make_endpoint()
    assert emit_one() == 1
    assert deliver_due() == {"delivered": 1, "failed": 0, "pending": 0}
    [request] = receiver.requests
    assert request.method == "POST"
    headers = {name.lower(): value for name, value in request.headers.items()}
    verified = Webhook(secret).verify(request.body, headers)
    assert verified["type"] == "award.granted"
    assert verified["data"] == DATA
    assert set(verified) == {"type", "timestamp", "data"}
    assert headers["webhook-id"].startswith("msg_")
    assert headers["content-type"] == "application/json"


def test_tampered_body_does_not_verify(receiver, make_endpoint):
    _endpoint, secret = make_endpoint()
    emit_one()
    deliver_due()
    [request] = receiver.requests
    headers = {name.lower(): value for name, value in request.headers.items()}
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(request.body.replace(b"7", b"8"), headers)


def test_500_then_200_gives_exactly_two_attempts_with_one_id(receiver, make_endpoint, fast_retries):
    answers = iter([500, 200])
    receiver.route("/flaky", handler=lambda request: (next(answers), {}, b""))
    make_endpoint(path="/flaky")
    emit_one()
    assert deliver_due() == {"delivered": 0, "failed": 1, "pending": 1}
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert deliver_due() == {"delivered": 1, "failed": 0, "pending": 0}
    assert deliver_due() == {"delivered": 0, "failed": 0, "pending": 0}
    ids = [request.headers["webhook-id"] for request in receiver.requests]
    assert len(ids) == 2
    assert ids[0] == ids[1] == Delivery.objects.get().webhook_id
    row.refresh_from_db()
    assert (row.status, row.attempts, row.status_code, row.error) == ("delivered", 2, 200, "")


def test_failed_attempt_waits_for_its_backoff(receiver, make_endpoint):
    receiver.route("/down", status=503)
    make_endpoint(path="/down")
    emit_one()
    now = timezone.now()
    deliver_due(now=now)
    row = Delivery.objects.get()
    assert row.next_attempt_at == now + timedelta(seconds=60)
    assert deliver_due(now=now + timedelta(seconds=59))["failed"] == 0
    assert deliver_due(now=now + timedelta(seconds=61))["failed"] == 1
    assert len(receiver.requests) == 2


def test_default_retry_schedule_is_at_least_six_attempts_over_twelve_hours(settings):
    assert settings.WEBHOOKS_MAX_ATTEMPTS >= 6
    waits = sum((backoff(n) for n in range(1, settings.WEBHOOKS_MAX_ATTEMPTS)), timedelta())
    assert waits >= timedelta(hours=12)


def test_redirect_is_refused_not_followed(receiver, make_endpoint):
    receiver.route("/moved", status=307, headers={"Location": receiver.url("/hook")})
    make_endpoint(path="/moved")
    emit_one()
    assert deliver_due()["failed"] == 1
    assert receiver.paths() == ["/moved"]
    row = Delivery.objects.get()
    assert row.status_code == 307
    assert "redirect" in row.error


def test_private_address_is_refused_with_the_guard_on(receiver, make_endpoint, settings):
    make_endpoint()
    emit_one()
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    assert deliver_due()["failed"] == 1
    assert receiver.requests == []
    row = Delivery.objects.get()
    assert row.status_code is None
    assert "127.0.0.1" in row.error


def test_abandoned_lease_is_delivered_by_the_next_run_with_the_same_id(receiver, make_endpoint):
    """A worker that claimed a row and died before recording it (as after SIGKILL)."""
    make_endpoint()
    emit_one()
    now = timezone.now()
    [abandoned] = claim(now=now)
    assert deliver_due(now=now + LEASE / 2) == {"delivered": 0, "failed": 0, "pending": 1}
    assert deliver_due(now=now + LEASE) == {"delivered": 1, "failed": 0, "pending": 0}
    [request] = receiver.requests
    assert request.headers["webhook-id"] == abandoned.delivery.webhook_id
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 2)
    # The late worker's answer is not recorded over the one that owns the row now.
    assert delivery.record(claimed=abandoned, status_code=500, error="late", now=now) == ""
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED


def test_endpoint_that_keeps_failing_is_disabled_and_global_staff_told(
    receiver, make_endpoint, fast_retries, webhook_staff
):
    fast_retries.WEBHOOKS_MAX_ATTEMPTS = 3
    manager = make_privileged(role=Role.REGIONAL_MANAGER, region=Region.APAC)
    receiver.route("/broken", status=500)
    endpoint, _secret = make_endpoint(path="/broken")
    emit_one()
    for _attempt in range(3):
        deliver_due()
    assert len(receiver.requests) == 3
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "3" in endpoint.disabled_reason
    [note] = Notification.objects.filter(recipient=webhook_staff)
    assert endpoint.url in note.message
    assert note.url == f"/staff/webhooks/{endpoint.pk}/deliveries/"
    assert not Notification.objects.filter(recipient=manager).exists()
    # A disabled endpoint gets nothing new, and its waiting rows do not go out.
    assert emit_one() == 0
    assert deliver_due()["delivered"] == 0


def test_redeliver_sends_again_with_the_same_id(receiver, make_endpoint):
    make_endpoint()
    emit_one()
    deliver_due()
    row = Delivery.objects.get()
    redeliver(delivery_id=row.pk)
    deliver_due()
    assert [r.headers["webhook-id"] for r in receiver.requests] == [row.webhook_id] * 2


def test_emit_writes_one_row_per_enabled_subscribed_endpoint(make_endpoint, receiver):
    granted, _ = make_endpoint(events=["award.granted", "award.revoked"])
    make_endpoint(events=["award.revoked"])
    off, _ = make_endpoint(events=["award.granted"])
    Endpoint.objects.filter(pk=off.pk).update(enabled=False)
    assert emit_one() == 1
    assert list(Delivery.objects.values_list("endpoint_id", "event")) == [
        (granted.pk, "award.granted")
    ]


def test_emit_without_endpoints_writes_nothing_in_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert emit("award.granted", DATA, occurred_at=timezone.now()) == 0


def test_emit_refuses_an_unknown_event():
    with pytest.raises(ValueError, match="Unknown"):
        emit("award.sold", DATA, occurred_at=timezone.now())


def test_secret_is_encrypted_at_rest(make_endpoint):
    endpoint, secret = make_endpoint()
    assert secret.startswith("whsec_")
    stored = Endpoint.objects.get(pk=endpoint.pk).secret_encrypted
    assert secret not in stored
    assert secret.removeprefix("whsec_") not in stored
    assert decrypt_secret(stored) == secret


def test_deliver_webhooks_command_retry_now(receiver, make_endpoint, capsys):
    answers = iter([500, 200])
    receiver.route("/flaky", handler=lambda request: (next(answers), {}, b""))
    make_endpoint(path="/flaky")
    emit_one()
    call_command("deliver_webhooks")
    assert json.loads(capsys.readouterr().out) == {"delivered": 0, "failed": 1, "pending": 1}
    call_command("deliver_webhooks")  # not due yet: waits a minute
    assert json.loads(capsys.readouterr().out) == {"delivered": 0, "failed": 0, "pending": 1}
    call_command("deliver_webhooks", "--retry-now")
    assert json.loads(capsys.readouterr().out) == {"delivered": 1, "failed": 0, "pending": 0}


def test_deploy_check_warns_when_private_networks_are_allowed(settings):
    from webhooks.checks import private_networks_allowed

    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    assert [w.id for w in private_networks_allowed(None)] == ["webhooks.W001"]
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    assert private_networks_allowed(None) == []
