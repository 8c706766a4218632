"""Nominations: active MVPs nominate; assigned reviewers score; program staff decide.

Who sees what follows ``nominations.queries.nominations_visible_to`` (staff their scope,
reviewers what is assigned to them, nominators, endorsers and candidates their own); a
nomination outside that is a 404. Seeing a nomination but not being allowed to act on it is a
403. Every write goes through ``nominations.workflow``; its refusals become 400 (with the
field they are about) and its conflicts with the current state 409."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.rules import is_reviewer
from api.auth import token_or_session
from api.errors import BadRequest, Conflict, Forbidden
from api.pagination import paginate
from api.routers.nomination_io import (
    DecisionIn,
    NominationFilters,
    NominationIn,
    NominationOut,
    NominationPage,
    ReviewIn,
    ReviewOut,
    WithdrawIn,
    serialize,
    serialize_all,
    visible_nomination,
    with_counts,
)
from api.schemas import (
    problems,
)
from awards.services import AwardConflict
from contributions.models import TechnologyArea
from nominations.enums import NominationSource, NominationStatus, Recommendation
from nominations.queries import nominations_visible_to
from nominations.rules import is_assigned_reviewer, is_nominator
from nominations.workflow.base import NominationConflict, NominationError
from nominations.workflow.decisions import transition_nomination, withdraw_nomination
from nominations.workflow.panel import submit_review
from nominations.workflow.submission import create_nomination

router = Router(tags=["nominations"], auth=token_or_session)
ORDERING = ("-submitted_at", "-id")
DECISIONS = {
    Recommendation.AWARD: NominationStatus.AWARDED,
    Recommendation.DECLINE: NominationStatus.DECLINED,
}


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
    queryset = with_counts(nominations_visible_to(user))
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
    page["results"] = serialize_all(user, page["results"])
    return page


@router.get(
    "/nominations/{int:nomination_id}",
    response={200: NominationOut, **problems(401, 404)},
    summary="One nomination",
)
def get_nomination(request, nomination_id: int):
    user = request.auth.user
    nomination = visible_nomination(user, nomination_id)
    return serialize(user, nomination.pk)


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
    body = serialize(user, result.nomination.pk)
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
    nomination = visible_nomination(user, nomination_id)
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
    nomination = visible_nomination(user, nomination_id)
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
    return serialize(user, nomination.pk)


@router.post(
    "/nominations/{int:nomination_id}/withdraw",
    response={200: NominationOut, **problems(400, 401, 403, 404, 409)},
    summary="Withdraw my nomination before a decision (the nominator)",
)
def withdraw(request, nomination_id: int, payload: WithdrawIn):
    user = request.auth.user
    nomination = visible_nomination(user, nomination_id)
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
    return serialize(user, nomination.pk)
