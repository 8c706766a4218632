"""A WebAuthn security key as allauth stores it.

The credential (webauthn_credential.json) was registered by Chromium's virtual authenticator in
tests/e2e/test_passkey_journey.py (relying party ``localhost``); it holds only a public key, so
pages that list, edit or ask for a key render without a browser."""

import json
from pathlib import Path

from allauth.mfa.models import Authenticator

CREDENTIAL = json.loads((Path(__file__).parent / "webauthn_credential.json").read_text())


def make_security_key(user, *, name: str = "Desk key") -> Authenticator:
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": CREDENTIAL},
    )
