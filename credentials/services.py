"""Writes: a status index allocated once per award, the record of which key signed what."""

from dataclasses import dataclass
from datetime import UTC

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from awards.models import Award
from credentials import issuing, statuslist
from credentials.keys import key_id, public_jwk, signing_key
from credentials.models import AwardCredential, CredentialHolder, SigningKey


@dataclass(frozen=True)
class IssuedCredential:
    token: str
    payload: dict
    record: AwardCredential


def _holder(contributor) -> CredentialHolder:
    holder, _created = CredentialHolder.objects.get_or_create(contributor=contributor)
    return holder


def allocate_status_index(*, award: Award) -> AwardCredential:
    """The award's place in the status list, allocated once: the unique constraints on the
    award and on the index make two requests at once end with one row and distinct indexes
    (the loser of a race retries with the next free index)."""
    for _attempt in range(10):
        existing = AwardCredential.objects.filter(award=award).first()
        if existing is not None:
            return existing
        top = AwardCredential.objects.aggregate(top=Max("status_index"))["top"]
        try:
            with transaction.atomic():
                return AwardCredential.objects.create(
                    award=award, status_index=0 if top is None else top + 1, kid=""
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a status list index")


def _remember_key(key, *, signs_until) -> str:
    kid = key_id(key)
    SigningKey.objects.get_or_create(
        kid=kid, defaults={"public_jwk": public_jwk(key), "signs_until": signs_until}
    )
    SigningKey.objects.filter(kid=kid, signs_until__lt=signs_until).update(signs_until=signs_until)
    return kid


def issue_credential(*, award: Award, base: str) -> IssuedCredential:
    """Sign the award's credential with the current key. The same award and key give the
    same token (RS256 is deterministic), so downloading twice hands out one credential."""
    award = Award.objects.select_related("contributor__user", "technology_area").get(pk=award.pk)
    record = allocate_status_index(award=award)
    key = signing_key()
    kid = _remember_key(key, signs_until=award.ends_on)
    if record.kid != kid:
        record.kid = kid
        record.issued_at = timezone.now()
        record.save(update_fields=["kid", "issued_at"])
    payload = issuing.build_credential(
        base=base, award=award, holder=_holder(award.contributor), record=record
    )
    return IssuedCredential(token=issuing.sign(payload, key), payload=payload, record=record)


def jwks(*, as_of) -> dict:
    """The current key and every earlier one still vouching for a credential in force."""
    current = public_jwk(signing_key())
    keys = {current["kid"]: current}
    for row in SigningKey.objects.filter(signs_until__gte=as_of).order_by("first_used_at"):
        keys.setdefault(row.kid, row.public_jwk)
    return {"keys": list(keys.values())}


def status_list_credential(*, base: str) -> tuple[str, dict]:
    """The signed revocation list (token, payload). Cached per revocation: the key changes
    with the newest revocation row and the signing key, so a revocation shows at once."""
    count, last, at = statuslist.revocation_fingerprint()
    key = signing_key()
    cache_key = f"credentials:status:{base}:{key_id(key)}:{count}:{last}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    indexes = statuslist.revoked_indexes()
    length = statuslist.list_length(max([statuslist.highest_index(), *indexes]))
    list_url = issuing.status_list_url(base)
    valid_from = at or timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    payload = {
        "@context": [issuing.VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuing.issuer_profile(base),
        "validFrom": valid_from.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": statuslist.encode(indexes, length=length),
        },
    }
    result = (issuing.sign(payload, key), payload)
    cache.set(cache_key, result, timeout=3600)
    return result
