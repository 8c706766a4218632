"""Nominations: active MVPs nominate; assigned reviewers score; program staff decide.

Who sees what follows ``nominations.queries.nominations_visible_to`` (staff their scope,
reviewers what is assigned to them, nominators, endorsers and candidates their own); a
nomination outside that is a 404. Seeing a nomination but not being allowed to act on it is a
403. Every write goes through ``nominations.workflow``; its refusals become 400 (with the
field they are about) and its conflicts with the current state 409."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from accounts.rules import is_reviewer
from api.auth import token_or_session
from api.errors import BadRequest, Conflict, Forbidden, NotFound
from api.pagination import paginate
from api.schemas import (
    MAX_ID,
    SLUG_PATTERN,
    InputSchema,
    PageParams,
    page_of,
    problems,
)
from awards.services import AwardConflict
from contributions.models import TechnologyArea
from nominations.enums import NominationSource, NominationStatus, Recommendation
from nominations.models import CRITERIA, Endorsement, Nomination, Review, ReviewAssignment
from nominations.queries import nominations_visible_to
from nominations.rules import can_manage, is_assigned_reviewer, is_nominator
from nominations.workflow import (
    MAX_EVIDENCE_URLS,
    NominationConflict,
    NominationError,
    create_nomination,
    submit_review,
    transition_nomination,
    withdraw_nomination,
)

router = Router(tags=["nominations"], auth=token_or_session)
ORDERING = ("-submitted_at", "-id")
DECISIONS = {
    Recommendation.AWARD: NominationStatus.AWARDED,
    Recommendation.DECLINE: NominationStatus.DECLINED,
}


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


def _with_counts(queryset):
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


def _review_stats(ids: list[int]) -> dict[int, dict]:
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


def _serialize_all(user, nominations) -> list[dict]:
    nominations = list(nominations)
    managed = {n.pk for n in nominations if can_manage(user, n)}
    stats = _review_stats(sorted(managed))
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


def _serialize(user, nomination_id: int) -> dict:
    return _serialize_all(user, _with_counts(Nomination.objects.filter(pk=nomination_id)))[0]


def _visible(user, nomination_id: int) -> Nomination:
    nomination = (
        nominations_visible_to(user).select_related("candidate").filter(pk=nomination_id).first()
        if 1 <= nomination_id <= MAX_ID
        else None
    )
    if nomination is None:
        raise NotFound(_("No such nomination."))
    return nomination


def _refused(exc: NominationError) -> Exception:
    if isinstance(exc, NominationConflict) or isinstance(exc.__cause__, AwardConflict):
        return Conflict(exc.message)
    return BadRequest(exc.message, errors={exc.field or "__all__": [exc.message]})


@router.get(
    "/nominations",
    response={200: NominationPage, **problems(400, 401)},
    summary="Nominations I may see, newest first",
)
def list_nominations(request, filters: Query[NominationFilters]):
    user = request.auth.user
    queryset = _with_counts(nominations_visible_to(user))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.technology_area:
        queryset = queryset.filter(technology_area__slug=filters.technology_area)
    page = paginate(
        request,
        queryset,
        ordering=ORDERING,
        cursor=filters.cursor,
        limit=filters.limit,
        serialize=lambda row: row,
    )
    page["results"] = _serialize_all(user, page["results"])
    return page


@router.get(
    "/nominations/{int:nomination_id}",
    response={200: NominationOut, **problems(401, 404)},
    summary="One nomination",
)
def get_nomination(request, nomination_id: int):
    user = request.auth.user
    nomination = _visible(user, nomination_id)
    return _serialize(user, nomination.pk)


# --- writing -------------------------------------------------------------------------------


@router.post(
    "/nominations",
    response={201: NominationOut, 200: NominationOut, **problems(400, 401, 403)},
    summary="Nominate someone (active MVPs)",
    description="201 with a new nomination. If the candidate already has an open nomination "
    "in the category, yours joins it as an endorsement and the answer is 200 with that one.",
)
def nominate(request, payload: NominationIn, response: HttpResponse):
    user = request.auth.user
    if not user.has_perm("nominations.nominate"):
        raise Forbidden(_("Only active MVPs can nominate others."))
    area = TechnologyArea.objects.filter(slug=payload.technology_area, is_active=True).first()
    if area is None:
        message = _("Select an active technology area (see /api/v1/technology-areas).")
        raise BadRequest(message, errors={"technology_area": [message]})
    try:
        result = create_nomination(
            nominated_by=user,
            source=NominationSource.MVP,
            technology_area=area,
            reason=payload.reason,
            evidence_urls=payload.evidence_urls,
            candidate_email=payload.candidate_email,
            candidate_name=payload.candidate_name,
            as_of=timezone.localdate(),
        )
    except NominationError as exc:
        raise _refused(exc) from exc
    body = _serialize(user, result.nomination.pk)
    if result.merged:
        return Status(200, body)
    response["Location"] = f"{request.path}/{result.nomination.pk}"
    return Status(201, body)


@router.post(
    "/nominations/{int:nomination_id}/reviews",
    response={201: ReviewOut, **problems(400, 401, 403, 404, 409)},
    summary="Review a nomination (an assigned panel reviewer, once)",
)
def review(request, nomination_id: int, payload: ReviewIn):
    user = request.auth.user
    nomination = _visible(user, nomination_id)
    if not (is_reviewer(user) and is_assigned_reviewer(user, nomination)):
        raise Forbidden(_("You are not assigned to review this nomination."))
    try:
        saved = submit_review(
            nomination_id=nomination.pk,
            reviewer=user,
            expertise=payload.expertise,
            quality=payload.quality,
            quantity=payload.quantity,
            impact=payload.impact,
            recommendation=payload.recommendation,
            comment=payload.comment,
            as_of=timezone.localdate(),
        )
    except NominationError as exc:
        raise _refused(exc) from exc
    return Status(
        201,
        {
            "id": saved.pk,
            "nomination": nomination.pk,
            "expertise": saved.expertise,
            "quality": saved.quality,
            "quantity": saved.quantity,
            "impact": saved.impact,
            "recommendation": saved.recommendation,
            "comment": saved.comment,
            "created_at": saved.created_at,
        },
    )


@router.post(
    "/nominations/{int:nomination_id}/decision",
    response={200: NominationOut, **problems(400, 401, 403, 404, 409)},
    summary="Award or decline a nomination (program staff)",
    description="Awarding grants the MVP award in the same transaction (see `award`). "
    "A nomination already awarded, declined, expired or withdrawn is a 409.",
)
def decide(request, nomination_id: int, payload: DecisionIn):
    user = request.auth.user
    nomination = _visible(user, nomination_id)
    if not user.has_perm("nominations.manage_nomination", nomination):
        raise Forbidden(_("Only program staff can do this."))
    try:
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=DECISIONS[payload.decision],
            actor=user,
            reason=payload.reason,
            as_of=timezone.localdate(),
        )
    except NominationError as exc:
        raise _refused(exc) from exc
    return _serialize(user, nomination.pk)


@router.post(
    "/nominations/{int:nomination_id}/withdraw",
    response={200: NominationOut, **problems(400, 401, 403, 404, 409)},
    summary="Withdraw my nomination before a decision (the nominator)",
)
def withdraw(request, nomination_id: int, payload: WithdrawIn):
    user = request.auth.user
    nomination = _visible(user, nomination_id)
    if not is_nominator(user, nomination):
        raise Forbidden(_("Only the nominator can withdraw a nomination."))
    try:
        withdraw_nomination(
            nomination_id=nomination.pk,
            actor=user,
            reason=payload.reason.strip(),
            as_of=timezone.localdate(),
        )
    except NominationError as exc:
        raise _refused(exc) from exc
    return _serialize(user, nomination.pk)
