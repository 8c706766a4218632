"""Writes on profiles and the contribution log. Views, forms, the API and imports call these."""

import secrets
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from contributions.models import Contribution, Contributor

TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_", "ref_src")


def canonical_url(url: str) -> str:
    """The form of a URL used to spot duplicates: lower-case host without ``www.``, no
    fragment, no tracking parameters, no trailing slash, http and https treated alike."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith(TRACKING_PARAMS)
        )
    )
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("", host, path, query, ""))[2:]  # drop the leading "//"


def _unique_handle(base: str) -> str:
    base = slugify(base)[:30].strip("-") or "contributor"
    candidate = base
    while Contributor.objects.filter(handle__iexact=candidate).exists():
        candidate = f"{base}-{secrets.token_hex(3)}"
    return candidate


def ensure_contributor(*, user: User) -> Contributor:
    """Every account has exactly one contributor profile; create it on first need."""
    existing = Contributor.objects.filter(user=user).first()
    if existing:
        return existing
    local_part = user.email.split("@", 1)[0]
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Contributor.objects.create(
                    user=user, handle=_unique_handle(local_part), display_name=local_part[:100]
                )
        except IntegrityError:
            existing = Contributor.objects.filter(user=user).first()
            if existing:
                return existing
    raise RuntimeError("Could not allocate a handle")  # pragma: no cover


def record_contribution(*, contributor: Contributor, **fields) -> Contribution:
    contribution = Contribution(contributor=contributor, **fields)
    contribution.canonical_url = canonical_url(contribution.url)
    contribution.full_clean()
    contribution.save()
    return contribution


def update_contribution(*, contribution: Contribution, **fields) -> Contribution:
    for name, value in fields.items():
        setattr(contribution, name, value)
    contribution.canonical_url = canonical_url(contribution.url)
    contribution.full_clean()
    contribution.save()
    return contribution


def delete_contribution(*, contribution: Contribution) -> None:
    contribution.delete()


def verify_contribution(*, contribution: Contribution, actor: User, verified: bool = True) -> None:
    """Staff mark a contribution verified (who and when are kept) or take the mark back."""
    contribution.verified_at = timezone.now() if verified else None
    contribution.verified_by = actor if verified else None
    contribution.save(update_fields=["verified_at", "verified_by", "updated_at"])


def age_on(*, date_of_birth: date, on: date) -> int:
    """Whole years between a birth date and a day (a 29 February birthday counts on 1 March)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@transaction.atomic
def update_profile(
    *, contributor: Contributor, timezone_name: str, additional_areas, language=None, **fields
):
    """Save the profile fields and the account's time zone and language together."""
    for name, value in fields.items():
        setattr(contributor, name, value)
    contributor.full_clean()
    contributor.save()
    contributor.additional_areas.set(additional_areas)
    user = contributor.user
    changed = []
    if user.timezone != timezone_name:
        user.timezone = timezone_name
        changed.append("timezone")
    if language is not None and user.language != language:
        user.language = language
        changed.append("language")
    if changed:
        user.save(update_fields=changed)
    return contributor
