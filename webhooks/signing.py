"""Standard Webhooks secrets and signatures, and the secrets' encryption at rest.

A secret is ``whsec_`` + base64 of 24 random bytes; the HMAC key is the decoded bytes.
``webhook-signature`` is ``v1,`` + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")).

The server must sign with the secret, so it is stored encrypted (Fernet), not hashed; the
key is derived from ``SECRET_KEY`` with HKDF (its own ``info``, so it is no other use's key),
and ``SECRET_KEY_FALLBACKS`` still decrypt after a key rotation.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "whsec_"
SECRET_BYTES = 24


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret_key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"mvptracker.webhooks.secret"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_key(key) for key in keys if key])


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    """The secret in clear; raises ``InvalidToken`` if no current key can read it."""
    return _fernet().decrypt(token.encode()).decode()


def sign(*, secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    message = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


__all__ = ["InvalidToken", "decrypt_secret", "encrypt_secret", "new_secret", "sign"]
