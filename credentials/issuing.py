"""What an award's Open Badges 3.0 credential says, and its VC-JWT form (OB 3.0 §8.2).

The JWT payload is the credential itself with the registered claims beside it
(``iss`` = issuer id, ``sub`` = subject id, ``jti`` = credential id, ``nbf``/``exp`` =
validFrom/validUntil); the JOSE header names the signing key (``kid``, an RFC 7638 thumbprint
listed at /.well-known/jwks.json). Every function takes the site's absolute ``base`` URL, so a
credential names the same issuer whichever request produced it.
"""

import hashlib
import json
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from joserfc import jws

from awards.enums import AwardKind
from awards.models import Award, EligibilityPolicy
from awards.sharing import achievement_name
from credentials.keys import ALGORITHM, key_id
from credentials.models import AwardCredential, CredentialHolder

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
MEDIA_TYPE = "application/vc+jwt"


def site_base(request=None) -> str:
    """``SITE_URL`` when configured (production); otherwise the request's own origin."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is None:
        return "http://localhost"
    return f"{request.scheme}://{request.get_host()}"


def issuer_id(base: str) -> str:
    return base + reverse("credentials:issuer")


def status_list_url(base: str) -> str:
    return base + reverse("credentials:status_list")


def credential_id(base: str, award: Award) -> str:
    return base + reverse("credentials:verify", kwargs={"code": award.certificate_code})


def _absolute(base: str, path_or_url: str) -> str:
    return path_or_url if "://" in path_or_url else base + path_or_url


def issuer_profile(base: str) -> dict:
    image = settings.CREDENTIALS_ISSUER_IMAGE or static("img/issuer.svg")
    return {
        "id": issuer_id(base),
        "type": ["Profile"],
        "name": settings.SITE_NAME,
        "url": base + "/",
        "image": {"id": _absolute(base, image), "type": "Image"},
    }


def _policy_for(award: Award) -> EligibilityPolicy:
    """The thresholds in force when the award was granted (versions are never edited)."""
    policy = (
        EligibilityPolicy.objects.filter(created_at__lte=award.granted_at).order_by("-pk").first()
    )
    return policy or EligibilityPolicy.current()


def _criteria(award: Award, policy: EligibilityPolicy) -> str:
    if award.kind == AwardKind.MVP:
        return _(
            "At least %(contributions)s contributions in %(area)s in the 12 months before the "
            "award, in at least %(pillars)s of the three pillars (advocacy, support, feedback), "
            "in at least %(months)s distinct months, with a quantity of %(quantity)s and a "
            "reach of %(reach)s or more; aged %(age)s or over; reviewed by the program's panel "
            "and decided by program staff."
        ) % {
            "contributions": policy.min_area_contributions,
            "area": award.technology_area.name,
            "pillars": policy.min_pillars,
            "months": policy.min_active_months,
            "quantity": policy.min_quantity,
            "reach": policy.min_reach,
            "age": policy.min_age,
        }
    return _(
        "At least %(answers)s forum answers in %(entries)s or more entries on community Q&A "
        "forums within %(days)s days; granted by program staff for 90 days."
    ) % {
        "answers": policy.mcc_min_forum_quantity,
        "entries": policy.mcc_min_forum_contributions,
        "days": policy.mcc_window_days,
    }


def _description(award: Award) -> str:
    if award.kind == AwardKind.MVP:
        return _(
            "Most Valuable Professional: recognises outstanding community contributions in "
            "%(area)s (advocacy, support and feedback) over the last 12 months, for a one-year "
            "term."
        ) % {"area": award.technology_area.name}
    return _(
        "Community Contributor: recognises helpful answers on online community forums, for a "
        "90-day term."
    )


def _achievement(base: str, award: Award) -> dict:
    slug = f"mvp-{award.technology_area.slug}" if award.kind == AwardKind.MVP else "mcc"
    return {
        "id": f"{issuer_id(base)}#achievement-{slug}",
        "type": ["Achievement"],
        "achievementType": "Award",
        "name": achievement_name(award),
        "description": _description(award),
        "criteria": {"narrative": _criteria(award, _policy_for(award))},
        "image": {"id": base + static(f"img/badge-{award.kind}.svg"), "type": "Image"},
        "creator": {"id": issuer_id(base), "type": ["Profile"]},
    }


def _subject(base: str, award: Award, holder: CredentialHolder) -> dict:
    # The email address travels only hashed with a per-holder salt (OB's IdentityObject), so a
    # wallet or verifier who knows it can match it, and nobody else can read it.
    salt = holder.subject_uuid.hex
    digest = hashlib.sha256((award.contributor.user.email.lower() + salt).encode()).hexdigest()
    return {
        "id": holder.subject_id,
        "type": ["AchievementSubject"],
        "achievement": _achievement(base, award),
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${digest}",
                "salt": salt,
            }
        ],
    }


def _instant(day: date, at: time) -> str:
    return datetime.combine(day, at, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(
    *, base: str, award: Award, holder: CredentialHolder, record: AwardCredential
) -> dict:
    """The credential, in the site's default language (the same text for every download)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": credential_id(base, award),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": achievement_name(award),
            "issuer": issuer_profile(base),
            "validFrom": _instant(award.starts_on, time.min),
            # The term's last day is inclusive: valid until that day's end (UTC).
            "validUntil": _instant(award.ends_on, time(23, 59, 59)),
            "credentialSubject": _subject(base, award, holder),
            "credentialStatus": {
                "id": f"{status_list_url(base)}#{record.status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": str(record.status_index),
                "statusListCredential": status_list_url(base),
            },
            "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        }


def _epoch(instant: str) -> int:
    return int(datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def sign(payload: dict, key) -> str:
    """A compact JWS (RS256) of the credential with its registered JWT claims."""
    claims = {**payload, "iss": payload["issuer"]["id"], "jti": payload["id"]}
    subject = payload.get("credentialSubject", {}).get("id")
    if subject:
        claims["sub"] = subject
    claims["nbf"] = _epoch(payload["validFrom"])
    if "validUntil" in payload:
        claims["exp"] = _epoch(payload["validUntil"])
    header = {"alg": ALGORITHM, "kid": key_id(key), "typ": "JWT"}
    body = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(header, body, key, algorithms=[ALGORITHM])
