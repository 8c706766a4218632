"""Eligibility of one contributor, every check with its outcome and numbers.

Only the person themself and the program staff who manage them (global staff, or the
regional manager of their region) may ask; for anyone else the contributor does not exist
(404), so the endpoint never confirms who has a profile."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from api.auth import token_or_session
from api.errors import BadRequest, NotFound
from api.schemas import MAX_ID, SLUG_PATTERN, ApiDate, CleanSchema, problems
from awards.enums import AwardKind
from awards.queries import evaluate_contributor
from contributions.models import Contributor, TechnologyArea

router = Router(tags=["eligibility"], auth=token_or_session)


class CheckOut(Schema):
    code: str = Field(
        ...,
        description="age, employer, focus_area, pillars, consistency, impact (MVP); "
        "age, employer, forum_activity (MCC).",
    )
    passed: bool
    detail: str = Field(..., description="The outcome in words, with the numbers.")
    numbers: dict[str, Any] = Field(
        default_factory=dict, description="The figures behind the outcome and the thresholds."
    )


class EligibilityOut(Schema):
    contributor: int = Field(..., description="Contributor id.")
    award: AwardKind
    area: str | None = Field(
        None, description="Award category slug evaluated (MVP); null for MCC or if none."
    )
    as_of: ApiDate
    eligible: bool = Field(..., description="True when every check passed.")
    policy: int | None = Field(..., description="Version of the eligibility policy used.")
    checks: list[CheckOut]


class EligibilityParams(CleanSchema):
    award: AwardKind = Field(AwardKind.MVP, description="mvp (default) or mcc.")
    area: str | None = Field(
        None,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="MVP: an award category slug (a top-level technology area); the "
        "contributor's primary award category when omitted. Ignored for MCC.",
    )
    as_of: ApiDate | None = Field(None, description="YYYY-MM-DD; today when omitted.")


def _visible_contributor(user, contributor_id: int) -> Contributor:
    contributor = (
        Contributor.objects.filter(pk=contributor_id).first()
        if 1 <= contributor_id <= MAX_ID
        else None
    )
    if contributor is None or not (
        contributor.user_id == user.pk or user.has_perm("awards.manage_contributor", contributor)
    ):
        raise NotFound(_("No such contributor."))
    return contributor


def _award_category(slug: str) -> TechnologyArea:
    area = TechnologyArea.objects.filter(slug=slug, is_active=True).first()
    if area is None:
        message = _("Select an active technology area (see /api/v1/technology-areas).")
        raise BadRequest(message, errors={"area": [message]})
    if area.parent_id is not None:
        message = _("Choose an award category, not a sub-area.")
        raise BadRequest(message, errors={"area": [message]})
    return area


@router.get(
    "/contributors/{int:contributor_id}/eligibility",
    response={200: EligibilityOut, **problems(400, 401, 404)},
    summary="Is this contributor eligible for an MVP award or MCC? (self or program staff)",
)
def eligibility(request, contributor_id: int, params: Query[EligibilityParams]):
    contributor = _visible_contributor(request.auth.user, contributor_id)
    as_of: date = params.as_of or timezone.localdate()
    category = None
    if params.award == AwardKind.MVP and params.area:
        category = _award_category(params.area)
    evaluation = evaluate_contributor(
        contributor=contributor, award_kind=params.award, category=category, as_of=as_of
    )
    area_slug = None
    if params.award == AwardKind.MVP:
        if category is not None:
            area_slug = category.slug
        elif evaluation.category_id is not None:
            area_slug = (
                TechnologyArea.objects.filter(pk=evaluation.category_id)
                .values_list("slug", flat=True)
                .first()
            )
    return {
        "contributor": contributor.pk,
        "award": params.award,
        "area": area_slug,
        "as_of": as_of,
        "eligible": evaluation.eligible,
        "policy": evaluation.policy_version,
        "checks": [
            {"code": c.code, "passed": c.passed, "detail": c.detail, "numbers": c.numbers}
            for c in evaluation.checks
        ],
    }
