"""The nominations API's schemas and how a nomination reads in it (review statistics only
for the staff who manage it; the candidate's email only for them and the nominator)."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from api.errors import NotFound
from api.schemas import (
    MAX_ID,
    SLUG_PATTERN,
    InputSchema,
    PageParams,
    page_of,
)
from nominations.enums import NominationSource, NominationStatus, Recommendation
from nominations.models import CRITERIA, Endorsement, Nomination, Review, ReviewAssignment
from nominations.queries import nominations_visible_to
from nominations.rules import can_manage
from nominations.workflow.base import MAX_EVIDENCE_URLS

# --- schemas -------------------------------------------------------------------------------


class ReviewStatsOut(Schema):
    assigned: int = Field(..., description="Reviewers assigned.")
    reviews: int = Field(..., description="Reviews submitted.")
    recommend_award: int
    recommend_decline: int
    expertise: float | None = Field(None, description="Mean score (1–5); null without reviews.")
    quality: float | None = None
    quantity: float | None = None
    impact: float | None = None


class NominationOut(Schema):
    id: int
    status: NominationStatus
    candidate_name: str
    candidate_email: str | None = Field(
        None, description="Only for program staff over the nomination and the nominator."
    )
    technology_area: str = Field(..., description="Award category slug.")
    source: NominationSource
    reason: str = Field(..., description="The nominator's reason.")
    evidence_urls: list[str]
    submitted_at: datetime
    decision_due: date = Field(..., description="Closed as expired if undecided by then.")
    decided_at: datetime | None = Field(None, description="When it was closed, if it is.")
    award: int | None = Field(None, description="The MVP award it led to (awarded only).")
    endorsements: int = Field(..., description="Further nominators who joined this one.")
    review_stats: ReviewStatsOut | None = Field(
        None, description="Only for program staff over the nomination."
    )


NominationPage = page_of(NominationOut, "NominationPage")


class NominationFilters(PageParams):
    status: NominationStatus | None = None
    technology_area: str | None = Field(
        None, max_length=80, pattern=SLUG_PATTERN, description="Award category slug."
    )


EvidenceUrl = Annotated[str, Field(max_length=500)]


class NominationIn(InputSchema):
    candidate_email: str = Field(..., max_length=254, json_schema_extra={"format": "email"})
    candidate_name: str = Field(..., min_length=1, max_length=100)
    technology_area: str = Field(
        ...,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="An award category slug (a top-level technology area).",
    )
    reason: str = Field(..., min_length=1, max_length=5000)
    evidence_urls: list[EvidenceUrl] = Field(
        default_factory=list,
        max_length=MAX_EVIDENCE_URLS,
        description="http or https links: posts, talks, answers, repositories.",
    )

    @field_validator("candidate_email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            validate_email(value.strip())
        except DjangoValidationError:
            raise PydanticCustomError("email", _("Enter a valid email address.")) from None
        return value.strip()


Score = Annotated[int, Field(ge=1, le=5)]


class ReviewIn(InputSchema):
    expertise: Score
    quality: Score
    quantity: Score
    impact: Score
    recommendation: Recommendation
    comment: str = Field("", max_length=5000)


class ReviewOut(Schema):
    id: int
    nomination: int
    expertise: int
    quality: int
    quantity: int
    impact: int
    recommendation: Recommendation
    comment: str
    created_at: datetime


class DecisionIn(InputSchema):
    decision: Recommendation = Field(..., description="award or decline.")
    reason: str = Field(..., min_length=1, max_length=1000)


class WithdrawIn(InputSchema):
    reason: str = Field("", max_length=1000)


# --- reading -------------------------------------------------------------------------------


def with_counts(queryset):
    endorsements = Coalesce(
        Subquery(
            Endorsement.objects.filter(nomination=OuterRef("pk"))
            .order_by()
            .values("nomination")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    return queryset.select_related("technology_area").annotate(n_endorsements=endorsements)


def review_stats(ids: list[int]) -> dict[int, dict]:
    """Panel figures of these nominations: two grouped queries whatever their number."""
    if not ids:
        return {}
    assigned = dict(
        ReviewAssignment.objects.filter(nomination_id__in=ids)
        .order_by()
        .values("nomination_id")
        .annotate(n=Count("pk"))
        .values_list("nomination_id", "n")
    )
    reviews = {
        row["nomination_id"]: row
        for row in Review.objects.filter(nomination_id__in=ids)
        .order_by()
        .values("nomination_id")
        .annotate(
            n=Count("pk"),
            award=Count("pk", filter=Q(recommendation=Recommendation.AWARD)),
            decline=Count("pk", filter=Q(recommendation=Recommendation.DECLINE)),
            **{name: Avg(name) for name in CRITERIA},
        )
    }
    stats = {}
    for pk in ids:
        row = reviews.get(pk, {})
        stats[pk] = {
            "assigned": assigned.get(pk, 0),
            "reviews": row.get("n", 0),
            "recommend_award": row.get("award", 0),
            "recommend_decline": row.get("decline", 0),
            **{
                name: round(row[name], 2) if row.get(name) is not None else None
                for name in CRITERIA
            },
        }
    return stats


def serialize_all(user, nominations) -> list[dict]:
    nominations = list(nominations)
    managed = {n.pk for n in nominations if can_manage(user, n)}
    stats = review_stats(sorted(managed))
    return [
        {
            "id": n.pk,
            "status": n.status,
            "candidate_name": n.candidate_name,
            "candidate_email": (
                n.candidate_email if n.pk in managed or n.nominated_by_id == user.pk else None
            ),
            "technology_area": n.technology_area.slug,
            "source": n.source,
            "reason": n.reason,
            "evidence_urls": list(n.evidence_urls or []),
            "submitted_at": n.submitted_at,
            "decision_due": n.decision_due,
            "decided_at": n.decided_at,
            "award": n.award_id,
            "endorsements": n.n_endorsements,
            "review_stats": stats.get(n.pk),
        }
        for n in nominations
    ]


def serialize(user, nomination_id: int) -> dict:
    return serialize_all(user, with_counts(Nomination.objects.filter(pk=nomination_id)))[0]


def visible_nomination(user, nomination_id: int) -> Nomination:
    nomination = (
        nominations_visible_to(user).select_related("candidate").filter(pk=nomination_id).first()
        if 1 <= nomination_id <= MAX_ID
        else None
    )
    if nomination is None:
        raise NotFound(_("No such nomination."))
    return nomination
