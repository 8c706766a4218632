"""Checking a credential: is it ours, untampered, not revoked, within its dates?

The outcome is a state and every check with its result, so the page can say why:
``invalid`` (malformed or the signature does not match), ``not_issued_here`` (another issuer
or a key this site never held), ``revoked`` (its status bit is set), ``expired`` (past
validUntil), ``upcoming`` (before validFrom) or ``valid``.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from awards.models import Award
from credentials import issuing, statuslist
from credentials.keys import ALGORITHM, key_id, signing_key
from credentials.models import AwardCredential, SigningKey
from credentials.services import status_list_credential

MAX_TOKEN_LENGTH = 64 * 1024


@dataclass(frozen=True)
class Check:
    code: str  # signature | issuer | status | dates
    passed: bool
    detail: str


@dataclass(frozen=True)
class Verdict:
    state: str
    checks: list[Check] = field(default_factory=list)
    award: Award | None = None
    payload: dict | None = None

    @property
    def reason(self) -> str:
        failed = [check.detail for check in self.checks if not check.passed]
        return failed[0] if failed else ""


def _b64json(part: str) -> dict:
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _known_key(kid: str) -> RSAKey | None:
    current = signing_key()
    if key_id(current) == kid:
        return current
    row = SigningKey.objects.filter(kid=kid).first()
    return RSAKey.import_key(row.public_jwk) if row else None


def _parse_instant(value) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _signature(token: str) -> tuple[Verdict | None, dict | None]:
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
        return Verdict("invalid", [Check("signature", False, _("This is not a VC-JWT."))]), None
    try:
        header = _b64json(token.split(".", 1)[0])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return Verdict("invalid", [Check("signature", False, _("This is not a VC-JWT."))]), None
    if header.get("alg") != ALGORITHM:
        detail = _("Signed with an algorithm this site does not use.")
        return Verdict("invalid", [Check("signature", False, detail)]), None
    key = _known_key(str(header.get("kid", "")))
    if key is None:
        detail = _("Signed with a key this site never used.")
        return Verdict("not_issued_here", [Check("issuer", False, detail)]), None
    try:
        payload = json.loads(jws.deserialize_compact(token, key, algorithms=[ALGORITHM]).payload)
    except (JoseError, ValueError):
        detail = _("The signature does not match the content: it was changed after signing.")
        return Verdict("invalid", [Check("signature", False, detail)]), None
    if not isinstance(payload, dict):
        return Verdict("invalid", [Check("signature", False, _("This is not a VC-JWT."))]), None
    return None, payload


def verify_token(token: str, *, base: str, now: datetime) -> Verdict:
    token = "".join(token.split())
    early, payload = _signature(token)
    if early is not None:
        return early
    checks = [Check("signature", True, _("The signature matches this site's key."))]
    issuer = payload.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer != issuing.issuer_id(base) or payload.get("iss") != issuer:
        detail = _("Issued by %(issuer)s, not by this site.") % {"issuer": issuer}
        return Verdict("not_issued_here", [*checks, Check("issuer", False, detail)])
    checks.append(Check("issuer", True, _("Issued by this site.")))
    status = payload.get("credentialStatus") or {}
    record = None
    if (
        isinstance(status, dict)
        and status.get("statusListCredential") == issuing.status_list_url(base)
        and status.get("statusPurpose") == "revocation"
        and str(status.get("statusListIndex", "")).isdigit()
    ):
        record = (
            AwardCredential.objects.select_related("award__contributor", "award__technology_area")
            .filter(status_index=int(status["statusListIndex"]))
            .first()
        )
    if record is None or payload.get("id") != issuing.credential_id(base, record.award):
        detail = _("This site has no award for this credential's status entry.")
        return Verdict("not_issued_here", [*checks, Check("status", False, detail)])
    award = record.award
    _token, status_list = status_list_credential(base=base)
    bits = statuslist.decode(status_list["credentialSubject"]["encodedList"])
    if statuslist.bit_is_set(bits, record.status_index):
        detail = _("Revoked: its bit in the status list is set.")
        return Verdict("revoked", [*checks, Check("status", False, detail)], award, payload)
    checks.append(Check("status", True, _("Not revoked: its bit in the status list is clear.")))
    valid_from = _parse_instant(payload.get("validFrom"))
    valid_until = _parse_instant(payload.get("validUntil"))
    if valid_from is None or valid_until is None:
        detail = _("Its dates are missing or malformed.")
        return Verdict("invalid", [*checks, Check("dates", False, detail)], award, payload)
    if now > valid_until:
        detail = _("Expired: valid until %(until)s.") % {"until": payload["validUntil"]}
        return Verdict("expired", [*checks, Check("dates", False, detail)], award, payload)
    if now < valid_from:
        detail = _("Not yet valid: valid from %(start)s.") % {"start": payload["validFrom"]}
        return Verdict("upcoming", [*checks, Check("dates", False, detail)], award, payload)
    detail = _("Within its dates: %(start)s to %(until)s.") % {
        "start": payload["validFrom"],
        "until": payload["validUntil"],
    }
    return Verdict("valid", [*checks, Check("dates", True, detail)], award, payload)
