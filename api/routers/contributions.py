"""The caller's own contribution log. Another person's entry is a 404, public or not: this
resource is "my log", and a 403 would confirm that the id exists."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from api.auth import token_or_session
from api.callers import contributor_of
from api.errors import BadRequest, NotFound, field_errors_from_django
from api.pagination import paginate
from api.schemas import (
    CHOICE_PATTERN,
    MAX_ID,
    SLUG_PATTERN,
    ApiDate,
    InputSchema,
    PageParams,
    page_of,
    problems,
)
from contributions.enums import Pillar, TargetAudience, Visibility
from contributions.models import (
    MAX_QUANTITY,
    MAX_REACH,
    Contribution,
    ContributionKind,
    TechnologyArea,
)
from contributions.services import delete_contribution, record_contribution, update_contribution
from contributions.validation import (
    check_contribution_date,
    check_http_url,
    check_role_fits_kind,
)

router = Router(tags=["contributions"], auth=token_or_session)

ORDERING = ("-date", "-id")


class ContributionOut(Schema):
    id: int
    kind: str = Field(..., description="Slug of the contribution kind.")
    technology_area: str = Field(..., description="Slug of the technology area.")
    title: str
    date: ApiDate
    url: str
    description: str
    role: str
    quantity: int
    reach: int
    target_audience: str
    visibility: Visibility
    pillar: Pillar = Field(..., description="Read-only: the pillar of the kind.")
    verified: bool = Field(..., description="Read-only: staff checked this entry.")
    created_at: datetime
    updated_at: datetime


ContributionPage = page_of(ContributionOut, "ContributionPage")

_ROLE_HELP = "One of the kind's `roles` (see /kinds), or empty."
_AUDIENCE_HELP = f"One of {', '.join(TargetAudience.values)}, or empty."


class ContributionIn(InputSchema):
    kind: str = Field(..., max_length=80, pattern=SLUG_PATTERN, description="Active kind slug.")
    technology_area: str = Field(
        ..., max_length=80, pattern=SLUG_PATTERN, description="Active area slug."
    )
    title: str = Field(..., min_length=3, max_length=200)
    date: ApiDate = Field(..., description="Not in the future, not before 2000-01-01.")
    url: str = Field("", max_length=500, description="http or https.")
    description: str = Field("", max_length=5000)
    role: str = Field("", max_length=32, pattern=CHOICE_PATTERN, description=_ROLE_HELP)
    quantity: int = Field(1, ge=0, le=MAX_QUANTITY)
    reach: int = Field(0, ge=0, le=MAX_REACH)
    target_audience: str = Field(
        "", max_length=32, pattern=CHOICE_PATTERN, description=_AUDIENCE_HELP
    )
    visibility: Visibility = Visibility.PUBLIC


class ContributionPatch(InputSchema):
    """Only the fields sent change; ``null`` is refused (send "" to clear a text field)."""

    kind: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN)
    technology_area: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN)
    title: str | None = Field(None, min_length=3, max_length=200)
    date: ApiDate | None = None
    url: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=5000)
    role: str | None = Field(None, max_length=32, pattern=CHOICE_PATTERN, description=_ROLE_HELP)
    quantity: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    reach: int | None = Field(None, ge=0, le=MAX_REACH)
    target_audience: str | None = Field(
        None, max_length=32, pattern=CHOICE_PATTERN, description=_AUDIENCE_HELP
    )
    visibility: Visibility | None = None


class ContributionFilters(PageParams):
    kind: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN, description="Kind slug.")
    technology_area: str | None = Field(
        None,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="Area slug; an award category includes its sub-areas.",
    )
    pillar: Pillar | None = None
    visibility: Visibility | None = None
    date_from: ApiDate | None = Field(None, description="First day included.")
    date_to: ApiDate | None = Field(None, description="Last day included.")


def serialize(contribution: Contribution) -> dict:
    return {
        "id": contribution.pk,
        "kind": contribution.kind.slug,
        "technology_area": contribution.technology_area.slug,
        "title": contribution.title,
        "date": contribution.date,
        "url": contribution.url,
        "description": contribution.description,
        "role": contribution.role,
        "quantity": contribution.quantity,
        "reach": contribution.reach,
        "target_audience": contribution.target_audience,
        "visibility": contribution.visibility,
        "pillar": contribution.kind.pillar,
        "verified": contribution.verified_at is not None,
        "created_at": contribution.created_at,
        "updated_at": contribution.updated_at,
    }


def own_contributions(user):
    return Contribution.objects.filter(contributor__user=user).select_related(
        "kind", "technology_area"
    )


def get_own(user, contribution_id: int) -> Contribution:
    if not 1 <= contribution_id <= MAX_ID:
        raise NotFound(_("No such contribution."))
    contribution = own_contributions(user).filter(pk=contribution_id).first()
    if contribution is None:
        raise NotFound(_("No such contribution."))
    return contribution


def _check(errors: dict[str, list[str]], field: str, check, *args, **kwargs) -> None:
    try:
        check(*args, **kwargs)
    except DjangoValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def clean_fields(fields: dict, *, current: Contribution | None = None) -> dict:
    """Active kind and area by slug, a known audience, then the rules the web form shares
    (``contributions.validation``: the date, an http(s) URL, a role that fits the kind).
    Returns model field values; raises 400 with every field's errors."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    values = dict(fields)
    if "kind" in fields:
        kind = ContributionKind.objects.filter(slug=fields["kind"], is_active=True).first()
        if kind is None:
            errors["kind"] = [_("Select an active contribution kind (see /api/v1/kinds).")]
        values["kind"] = kind
    if "technology_area" in fields:
        area = TechnologyArea.objects.filter(slug=fields["technology_area"], is_active=True).first()
        if area is None:
            errors["technology_area"] = [
                _("Select an active technology area (see /api/v1/technology-areas).")
            ]
        values["technology_area"] = area
    if "date" in fields:
        _check(errors, "date", check_contribution_date, fields["date"], today=today)
    if fields.get("url"):
        values["url"] = fields["url"].strip()
        _check(errors, "url", check_http_url, values["url"])
    if "title" in fields:
        values["title"] = fields["title"].strip()
    audience = fields.get("target_audience")
    if audience and audience not in TargetAudience.values:
        errors["target_audience"] = [
            _("Select one of: %(choices)s.") % {"choices": ", ".join(TargetAudience.values)}
        ]
    kind = values.get("kind", current.kind if current else None)
    role = values.get("role", current.role if current else "")
    _check(errors, "role" if "role" in fields else "kind", check_role_fits_kind, role, kind)
    if errors:
        raise BadRequest(_("Some fields are not valid."), errors=errors)
    return values


def _domain_errors(exc: DjangoValidationError) -> BadRequest:
    return BadRequest(_("Some fields are not valid."), errors=field_errors_from_django(exc))


@router.get(
    "/contributions",
    response={200: ContributionPage, **problems(400, 401)},
    summary="List my contributions, newest first",
)
def list_contributions(request, filters: Query[ContributionFilters]):
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        message = _("The end date is before the start date.")
        raise BadRequest(message, errors={"date_to": [message]})
    queryset = own_contributions(request.auth.user)
    if filters.kind:
        queryset = queryset.filter(kind__slug=filters.kind)
    if filters.technology_area:
        queryset = queryset.filter(
            Q(technology_area__slug=filters.technology_area)
            | Q(technology_area__parent__slug=filters.technology_area)
        )
    if filters.pillar:
        queryset = queryset.filter(kind__pillar=filters.pillar)
    if filters.visibility:
        queryset = queryset.filter(visibility=filters.visibility)
    if filters.date_from:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    return paginate(
        request,
        queryset,
        ordering=ORDERING,
        cursor=filters.cursor,
        limit=filters.limit,
        serialize=serialize,
    )


@router.post(
    "/contributions",
    response={201: ContributionOut, **problems(400, 401, 403)},
    summary="Log a contribution",
)
def create_contribution(request, payload: ContributionIn, response: HttpResponse):
    values = clean_fields(payload.model_dump())
    try:
        contribution = record_contribution(contributor=contributor_of(request.auth.user), **values)
    except DjangoValidationError as exc:
        raise _domain_errors(exc) from exc
    response["Location"] = f"{request.path}/{contribution.pk}"
    return Status(201, serialize(contribution))


@router.get(
    "/contributions/{int:contribution_id}",
    response={200: ContributionOut, **problems(401, 404)},
    summary="One of my contributions",
)
def get_contribution(request, contribution_id: int):
    return serialize(get_own(request.auth.user, contribution_id))


@router.patch(
    "/contributions/{int:contribution_id}",
    response={200: ContributionOut, **problems(400, 401, 403, 404)},
    summary="Change some fields of one of my contributions",
)
def patch_contribution(request, contribution_id: int, payload: ContributionPatch):
    contribution = get_own(request.auth.user, contribution_id)
    sent = payload.model_dump(exclude_unset=True)
    nulls = [name for name, value in sent.items() if value is None]
    if nulls:
        raise BadRequest(
            _("Some fields are not valid."),
            errors={name: [_("This field may not be null.")] for name in nulls},
        )
    values = clean_fields(sent, current=contribution)
    try:
        contribution = update_contribution(contribution=contribution, **values)
    except DjangoValidationError as exc:
        raise _domain_errors(exc) from exc
    return serialize(contribution)


@router.delete(
    "/contributions/{int:contribution_id}",
    response={204: None, **problems(401, 403, 404)},
    summary="Delete one of my contributions",
)
def remove_contribution(request, contribution_id: int):
    delete_contribution(contribution=get_own(request.auth.user, contribution_id))
    return HttpResponse(status=204)
