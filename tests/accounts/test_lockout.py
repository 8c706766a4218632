"""django-axes keyed on (email, IP): an attacker elsewhere cannot lock a person out."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SecurityEventKind
from accounts.models import SecurityEvent
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER_IP = "203.0.113.7"
VICTIM_IP = "198.51.100.20"


def login(client, email, password, ip):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def fail_until_locked(client, email, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, email, "wrong-password", ATTACKER_IP)


def test_lockout_after_failures_from_one_ip(client, user, settings):
    fail_until_locked(client, user.email, settings)
    response = login(client, user.email, PASSWORD, ATTACKER_IP)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).count() >= 4
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT).exists()


def test_lockout_does_not_lock_same_account_from_another_ip(client, user, settings):
    fail_until_locked(client, user.email, settings)
    response = login(client, user.email, PASSWORD, VICTIM_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_lockout_lifts_after_cooloff(client, user, settings):
    fail_until_locked(client, user.email, settings)
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)
    with time_machine.travel(later):
        response = login(client, user.email, PASSWORD, ATTACKER_IP)
    assert response.status_code == 302


def test_login_success_is_audited(client, user):
    login(client, user.email, PASSWORD, VICTIM_IP)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN)
    assert (event.user, event.ip_address) == (user, VICTIM_IP)


def test_lockout_event_names_the_account(client, user, settings):
    fail_until_locked(client, user.email, settings)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOCKED_OUT)
    assert (event.user, event.identifier, event.ip_address) == (user, user.email, ATTACKER_IP)


def test_login_rate_limit_of_production_does_not_lock_account_from_another_ip(
    client, user, settings
):
    """The test settings switch allauth's rate limits off; production keeps base's value, which
    once also limited failures per email from any address (a lockout by anyone)."""
    from mvptracker.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    for attacker_ip in ("203.0.113.7", "203.0.113.8"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, user.email, "wrong-password", attacker_ip)
    response = login(client, user.email, PASSWORD, VICTIM_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
