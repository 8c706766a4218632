import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from awards.models import EligibilityPolicy


@pytest.fixture
def policy(db):
    return EligibilityPolicy.current()


@pytest.fixture
def with_totp():
    """Privileged roles need TOTP before they reach any page."""

    def activate(person):
        TOTP.activate(person, generate_totp_secret())
        return person

    return activate
