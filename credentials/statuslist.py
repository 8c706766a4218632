"""Bitstring Status List (W3C): the bits, their encoding, and the list as revocation data.

Index 0 is the most significant bit of the first byte. The encoded list is the GZIP of the
bitstring, base64url without padding, with the multibase prefix ``u``.
"""

import base64
import gzip
from collections.abc import Iterable

from django.db.models import Count, Max

from awards.enums import AwardEventKind, AwardStatus
from awards.models import AwardEvent
from credentials.models import STATUS_LIST_MIN_ENTRIES, AwardCredential


def list_length(highest_index: int) -> int:
    """At least the spec's minimum, grown in whole minimums so the list keeps its herd."""
    blocks = highest_index // STATUS_LIST_MIN_ENTRIES + 1
    return blocks * STATUS_LIST_MIN_ENTRIES


def encode(indexes: Iterable[int], *, length: int = STATUS_LIST_MIN_ENTRIES) -> str:
    bits = bytearray(length // 8)
    for index in indexes:
        if not 0 <= index < length:
            raise ValueError(f"status index {index} outside a list of {length}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always encode to the same text (cacheable, comparable).
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not a base64url multibase string")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def revoked_indexes() -> list[int]:
    return list(
        AwardCredential.objects.filter(award__status=AwardStatus.REVOKED)
        .order_by("status_index")
        .values_list("status_index", flat=True)
    )


def revocation_fingerprint() -> tuple[int, int, object]:
    """Changes whenever an award is revoked: ``revoke_award`` is the only writer of that
    status and always writes its audit row, so the newest revocation row versions the list."""
    row = AwardEvent.objects.filter(kind=AwardEventKind.REVOKED).aggregate(
        count=Count("pk"), last=Max("pk"), at=Max("created_at")
    )
    return row["count"], row["last"] or 0, row["at"]


def highest_index() -> int:
    return AwardCredential.objects.aggregate(top=Max("status_index"))["top"] or 0
