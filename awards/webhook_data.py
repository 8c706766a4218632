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


def expired_data(row) -> dict:
    """The same from a named row of the expiry job (``awards.jobs._holders_sql``), no query."""
    return {
        "award_id": row.pk,
        "kind": row.kind,
        "status": "expired",
        "contributor_id": row.contributor_id,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
    }
