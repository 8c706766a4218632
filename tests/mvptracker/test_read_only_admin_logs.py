"""Job runs and the email outbox are written by the program, never typed into the admin."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from notifications.models import OutboxEmail
from ops.models import JobRun
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "model"),
    [("admin:ops_jobrun_add", JobRun), ("admin:notifications_outboxemail_add", OutboxEmail)],
)
def test_admin_refuses_to_add_a_log_row(client, name, model):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(superuser, generate_totp_secret())
    client.force_login(superuser)
    before = model.objects.count()
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {}).status_code == 403  # was a 500 (JobRun) / empty mail
    assert model.objects.count() == before
