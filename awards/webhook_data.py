"""What webhooks say about an award: ids and public fields only (no email, no birth date).
Receivers fetch more through the API (``GET /api/v1/awards/{id}``) if they may."""


def award_data(award, **extra) -> dict:
    return {
        "award_id": award.pk,
        "kind": award.kind,
        "status": award.status,
        "contributor_id": award.contributor_id,
        "technology_area_id": award.technology_area_id,
        "starts_on": award.starts_on,
        "ends_on": award.ends_on,
        **extra,
    }


def expired_data(row: tuple) -> dict:
    """The same from a row of the expiry job (``awards.jobs.HOLDERS_SQL``), no query."""
    pk, kind, starts_on, ends_on, contributor_id = row[:5]
    return {
        "award_id": pk,
        "kind": kind,
        "status": "expired",
        "contributor_id": contributor_id,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
