"""Secrets stored as their hash only: API tokens and nomination invitations.

One digest for all of them, so a lookup by a presented secret is always ``hash_token(raw)``
against a unique indexed column (64 hex characters)."""

import hashlib
import secrets


def hash_token(raw: str) -> str:
    """The SHA-256 hex digest of ``raw``: what is stored and looked up, never the secret."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(prefix: str = "") -> str:
    """A fresh secret: ``prefix`` and 32 random bytes, URL-safe. Store only its hash."""
    return prefix + secrets.token_urlsafe(32)
