"""The vocabularies a client needs to log work: kinds and technology areas (active ones)."""

from ninja import Field, Query, Router, Schema

from api.auth import optional_auth
from api.pagination import paginate
from api.schemas import PageParams, page_of, problems
from contributions.enums import Pillar, ReachUnit
from contributions.models import ContributionKind, TechnologyArea

router = Router(tags=["vocabularies"], auth=optional_auth)
ORDERING = ("sort_order", "name", "id")


class KindOut(Schema):
    slug: str
    name: str
    pillar: Pillar
    reach_unit: ReachUnit = Field(..., description="What `reach` counts for this kind.")
    quantity_label: str = Field(..., description="What `quantity` counts for this kind.")
    roles: list[str] = Field(..., description="The roles that fit this kind.")
    is_forum_activity: bool


class AreaOut(Schema):
    slug: str
    name: str
    parent: str | None = Field(
        None, description="Slug of the award category; null for a category itself."
    )


KindPage = page_of(KindOut, "KindPage")
AreaPage = page_of(AreaOut, "AreaPage")


@router.get("/kinds", response={200: KindPage, **problems(400, 401)}, summary="Contribution kinds")
def list_kinds(request, page: Query[PageParams]):
    return paginate(
        request,
        ContributionKind.objects.filter(is_active=True),
        ordering=ORDERING,
        cursor=page.cursor,
        limit=page.limit,
        serialize=lambda kind: {
            "slug": kind.slug,
            "name": kind.name,
            "pillar": kind.pillar,
            "reach_unit": kind.reach_unit,
            "quantity_label": kind.quantity_label,
            "roles": list(kind.roles),
            "is_forum_activity": kind.is_forum_activity,
        },
    )


@router.get(
    "/technology-areas",
    response={200: AreaPage, **problems(400, 401)},
    summary="Technology areas: award categories and their sub-areas",
)
def list_areas(request, page: Query[PageParams]):
    return paginate(
        request,
        TechnologyArea.objects.filter(is_active=True).select_related("parent"),
        ordering=ORDERING,
        cursor=page.cursor,
        limit=page.limit,
        serialize=lambda area: {
            "slug": area.slug,
            "name": area.name,
            "parent": area.parent.slug if area.parent_id else None,
        },
    )
