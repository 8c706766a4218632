import base64
import gzip
import json
from pathlib import Path

import jsonschema_rs

SCHEMA_PATH = Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"


def ob3_validator():
    return jsonschema_rs.Draft201909Validator(json.loads(SCHEMA_PATH.read_text()))


def unverified_payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def bit(encoded_list: str, index: int) -> bool:
    """Read a Bitstring Status List entry by hand (not through credentials.statuslist)."""
    assert encoded_list[0] == "u"
    body = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bits) >= 16 * 1024  # the spec's minimum: 131,072 entries
    return bool(bits[index // 8] >> (7 - index % 8) & 1)
