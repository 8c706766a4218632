import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def login(client):
    """Sign ``person`` in; people with privileged roles get their TOTP set up first."""

    def sign_in(person):
        has_totp = Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
        if person.roles and not has_totp:
            TOTP.activate(person, SECRET)
        client.force_login(person)
        return client

    return sign_in
