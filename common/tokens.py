"""Secrets people hold and the server keeps only as a hash (API tokens, calendar feeds).

The secrets are 32 random bytes, so a fast SHA-256 is enough: there is nothing to guess
from the hash, and a lookup by hash reveals nothing useful through timing."""

import hashlib
import secrets


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
