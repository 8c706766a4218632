"""The issuer's signing key: from settings, or generated once for the embedded demo."""

import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import RSAKey

ALGORITHM = "RS256"  # Open Badges 3.0's interoperable minimum for VC-JWT
KEY_BITS = 3072


def _generate(path: Path) -> bytes:
    key = RSAKey.generate_key(KEY_BITS, private=True)
    pem = key.as_pem(private=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the database under DATA_DIR (never the repository), readable by us only.
    # O_EXCL: two processes starting together keep the first one's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return pem


def _pem() -> bytes:
    if settings.CREDENTIALS_SIGNING_KEY:
        return settings.CREDENTIALS_SIGNING_KEY.encode()
    path = Path(settings.CREDENTIALS_SIGNING_KEY_FILE)
    if path.exists():
        return path.read_bytes()
    if not settings.CREDENTIALS_GENERATE_KEY:
        raise ImproperlyConfigured(
            "No credential signing key: set CREDENTIALS_SIGNING_KEY or "
            f"CREDENTIALS_SIGNING_KEY_FILE (missing: {path})."
        )
    return _generate(path)


@lru_cache(maxsize=4)
def _load(pem: bytes) -> RSAKey:
    key = RSAKey.import_key(pem)
    if not key.is_private:
        raise ImproperlyConfigured("The credential signing key must be a private RSA key.")
    return key


def signing_key() -> RSAKey:
    return _load(_pem())


def key_id(key: RSAKey) -> str:
    """RFC 7638 thumbprint: the same key always gets the same id, wherever it is loaded."""
    return key.thumbprint()


def public_jwk(key: RSAKey) -> dict:
    return {**key.as_dict(private=False), "kid": key_id(key), "alg": ALGORITHM, "use": "sig"}
