"""Used or expired invitations go 30 days later; open and recent ones stay."""

import datetime

import pytest

from nominations.models import Invitation
from nominations.retention import purge_spent_invitations
from tests.factories.nominations import make_nomination

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 10)
MIDNIGHT = datetime.datetime(2026, 6, 10, tzinfo=datetime.UTC)


def days_ago(days: int) -> datetime.datetime:
    return MIDNIGHT - datetime.timedelta(days=days)


def test_spent_invitations_are_purged_after_30_days(settings):
    settings.TIME_ZONE = "UTC"
    nomination = make_nomination()
    Invitation.objects.all().delete()
    rows = {
        "used-long-ago": {"used_at": days_ago(31), "expires_at": MIDNIGHT},
        "expired-long-ago": {"expires_at": days_ago(31)},
        "used-recently": {"used_at": days_ago(29), "expires_at": days_ago(10)},
        "expired-recently": {"expires_at": days_ago(29)},
        "open": {"expires_at": MIDNIGHT + datetime.timedelta(days=5)},
    }
    for name, fields in rows.items():
        Invitation.objects.create(
            nomination=nomination, email=f"{name}@example.com", token_hash=name, **fields
        )
    assert purge_spent_invitations(as_of=AS_OF) == {"invitations_purged": 2}
    assert sorted(Invitation.objects.values_list("token_hash", flat=True)) == [
        "expired-recently",
        "open",
        "used-recently",
    ]
    assert purge_spent_invitations(as_of=AS_OF) == {"invitations_purged": 0}


def test_invitation_period_is_a_setting(settings):
    settings.TIME_ZONE = "UTC"
    settings.RETENTION_INVITATIONS = datetime.timedelta(days=60)
    nomination = make_nomination()
    Invitation.objects.all().delete()
    Invitation.objects.create(
        nomination=nomination, email="a@example.com", token_hash="a", expires_at=days_ago(45)
    )
    assert purge_spent_invitations(as_of=AS_OF) == {"invitations_purged": 0}
    assert Invitation.objects.count() == 1
