"""What webhooks say about a nomination: ids and public fields only (no candidate email or
name, no birth date, no reasons)."""


def nomination_data(nomination) -> dict:
    return {
        "nomination_id": nomination.pk,
        "status": nomination.status,
        "source": nomination.source,
        "technology_area_id": nomination.technology_area_id,
        "candidate_contributor_id": nomination.candidate_id,
        "award_id": nomination.award_id,
        "decided_at": nomination.decided_at,
    }
