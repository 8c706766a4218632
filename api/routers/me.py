"""The caller: who they are, and their rolling 12-month window."""

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from api.auth import token_or_session
from api.callers import contributor_of, roles_of
from api.schemas import ApiDate, problems
from contributions.models import TechnologyArea
from contributions.queries import window_summary

router = Router(tags=["me"], auth=token_or_session)


class TokenOut(Schema):
    name: str
    scope: Literal["read", "write"] = Field(
        ..., description="`read`: safe methods only (others answer 403); `write`: everything."
    )
    expires_at: datetime = Field(..., description="From this instant the token answers 401.")


class MeOut(Schema):
    id: int = Field(..., description="The account id.")
    contributor_id: int = Field(
        ...,
        description="The contributor-profile id other endpoints take (e.g. /awards?contributor=).",
    )
    handle: str = Field(..., description="Public profile address: /u/<handle>/.")
    email: str
    display_name: str
    roles: list[str] = Field(
        ..., description="Any of contributor, mvp, reviewer, staff, regional_manager."
    )
    primary_area: str | None = Field(None, description="Slug of the primary technology area.")
    token: TokenOut | None = Field(
        None, description="The token this call was made with; null for a browser session."
    )


class WindowOut(Schema):
    start: ApiDate = Field(..., description="First day included.")
    end: ApiDate = Field(..., description="Last day included: the as-of date.")


class PillarCounts(Schema):
    advocacy: int
    support: int
    feedback: int


class MonthCount(Schema):
    month: str = Field(..., examples=["2026-01"])
    count: int


class LeavingOut(Schema):
    id: int
    title: str
    date: ApiDate
    leaves_on: ApiDate = Field(..., description="First as-of date that no longer counts it.")


class SummaryOut(Schema):
    window: WindowOut
    total: int
    quantity: int
    reach: int
    by_pillar: PillarCounts
    by_area: dict[str, int] = Field(..., description="Contributions per technology-area slug.")
    by_month: list[MonthCount]
    leaving_window: list[LeavingOut] = Field(
        ..., description="Contributions leaving the window in the next 30 days."
    )


class SummaryParams(Schema):
    as_of: ApiDate | None = Field(None, description="YYYY-MM-DD; today when omitted.")


@router.get("/me", response={200: MeOut, **problems(401)}, summary="The caller")
def me(request):
    user = request.auth.user
    contributor = contributor_of(user)
    area = (
        TechnologyArea.objects.filter(pk=contributor.primary_area_id).values_list("slug", flat=True)
        if contributor.primary_area_id
        else []
    )
    return {
        "id": user.pk,
        "contributor_id": contributor.pk,
        "handle": contributor.handle,
        "email": user.email,
        "display_name": contributor.display_name,
        "roles": roles_of(user),
        "primary_area": next(iter(area), None),
        "token": token_out(request.auth.token),
    }


def token_out(token) -> dict | None:
    if token is None:
        return None
    return {"name": token.name, "scope": token.scope, "expires_at": token.expires_at}


@router.get(
    "/me/summary",
    response={200: SummaryOut, **problems(400, 401)},
    summary="The caller's rolling 12-month window",
)
def me_summary(request, params: Query[SummaryParams]):
    as_of = params.as_of or timezone.localdate()
    summary = window_summary(contributor=contributor_of(request.auth.user), as_of=as_of)
    by_area = summary.by_area
    slugs = dict(TechnologyArea.objects.filter(pk__in=by_area).values_list("pk", "slug"))
    return {
        "window": {"start": summary.window.first_day, "end": summary.window.last_day},
        "total": summary.total,
        "quantity": summary.quantity,
        "reach": summary.reach,
        "by_pillar": summary.by_pillar,
        "by_area": {slugs[pk]: count for pk, count in sorted(by_area.items()) if pk in slugs},
        "by_month": [
            {"month": month.strftime("%Y-%m"), "count": count} for month, count in summary.by_month
        ],
        "leaving_window": [
            {"id": c.id, "title": c.title, "date": c.date, "leaves_on": c.leaves_on}
            for c in summary.leaving
        ],
    }
