"""Keyset cursors: the sort key of the last row a page showed, as an opaque URL-safe token.

Pages and the API carry the values of the ordering's columns (ending in the id) in one
base64url-encoded JSON list without padding. Dates travel as ISO text; the reader converts
them back, since only it knows the column. The API signs the token on top
(:mod:`api.pagination`)."""

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_plain(value) for value in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any] | None:
    """The values a cursor carries, or None when it is not one of ours (padding optional)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) else None
