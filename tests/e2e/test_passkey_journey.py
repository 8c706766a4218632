"""A reviewer sets up a security key (WebAuthn) instead of TOTP, in Chromium with a virtual
authenticator (DevTools protocol), under the site's strict CSP."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from accounts.enums import Role
from accounts.services import grant_role
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_reviewer_adds_a_security_key_and_reaches_the_site(page: Page, live_server):
    reviewer = UserFactory()
    grant_role(user=reviewer, role=Role.REVIEWER)
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    virtual_authenticator(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(reviewer.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # Without a second factor the reviewer lands on the page offering TOTP and security keys.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/")
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/webauthn/add/")

    page.get_by_label("Name").fill("Desk key")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)

    key = Authenticator.objects.get(user=reviewer, type=Authenticator.Type.WEBAUTHN)
    assert key.data["name"] == "Desk key"
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/")
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert not [p for p in problems if "Error" in p], problems
