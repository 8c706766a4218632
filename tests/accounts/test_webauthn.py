"""Passkeys / security keys (WebAuthn) are a second factor beside TOTP."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories.mfa import make_security_key
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db


def webauthn_key(user) -> Authenticator:
    return make_security_key(user)


@pytest.mark.parametrize("role_fixture", ["staff", "reviewer", "regional_manager"])
def test_privileged_role_with_only_a_security_key_reaches_pages(client, request, role_fixture):
    person = request.getfixturevalue(role_fixture)
    webauthn_key(person)
    client.force_login(person)
    assert client.get(reverse("home")).status_code == 200


def test_admin_user_with_only_a_security_key_reaches_the_admin(client):
    from tests.factories.users import UserFactory

    person = UserFactory(is_staff=True, is_superuser=True)
    webauthn_key(person)
    client.force_login(person)
    assert client.get(reverse("admin:index")).status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(client, staff):
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_two_factor_page_offers_totp_and_security_keys(client, staff):
    client.force_login(staff)
    html = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_activate_totp") in html
    assert reverse("mfa_add_webauthn") in html


def reauthenticated(client, person):
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def test_add_security_key_page_renders_with_static_scripts_only(client, user):
    response = reauthenticated(client, user).get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="mfa_webauthn_add"' in html
    for script in ("mfa/js/webauthn-json.js", "mfa/js/webauthn.js", "account/js/onload.js"):
        assert f'src="/static/{script}"' in html
    # The only scripts without src are JSON data blocks, which a CSP does not govern.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_security_key_list_renders(client, user):
    response = reauthenticated(client, user).get(reverse("mfa_list_webauthn"))
    assert response.status_code == 200
    assert reverse("mfa_add_webauthn") in response.content.decode()


def test_staff_with_totp_can_add_a_security_key_too(client, staff):
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    assert client.get(reverse("mfa_index")).status_code == 200
