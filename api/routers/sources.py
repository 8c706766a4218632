"""The caller's import sources. Another person's source is a 404."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from api.auth import token_or_session
from api.callers import contributor_of
from api.errors import BadRequest, NotFound, field_errors_from_django
from api.pagination import paginate
from api.schemas import MAX_ID, SLUG_PATTERN, InputSchema, PageParams, page_of, problems
from contributions.models import ContributionKind, TechnologyArea
from imports.enums import SourceStatus, SourceType
from imports.models import Source
from imports.services import create_source, delete_source, request_fetch, update_source

router = Router(tags=["import hub"], auth=token_or_session)

MAX_INTERVAL_HOURS = 24 * 30


class SourceOut(Schema):
    id: int
    type: SourceType
    url: str = Field(..., description="The feed's address (type `feed`).")
    handle: str = Field(..., description="The GitHub login (type `github`).")
    site: str = Field(..., description="The Stack Exchange site, e.g. `stackoverflow`.")
    user_id: str = Field(..., description="The Stack Exchange user id.")
    default_kind: str = Field(..., description="Kind slug each draft gets.")
    technology_area: str = Field(..., description="Area slug each draft gets.")
    enabled: bool
    interval_hours: int = Field(..., description="Fetched every this many hours (at least 1).")
    last_fetched_at: datetime | None
    last_status: SourceStatus
    last_error: str
    consecutive_failures: int = Field(..., description="Ten in a row pause the source.")
    next_fetch_at: datetime
    fetching: bool = Field(..., description="A fetch is queued or running.")


SourcePage = page_of(SourceOut, "SourcePage")


class SourceIn(InputSchema):
    type: SourceType
    url: str = Field("", max_length=500, description="Feed: http or https, a public host.")
    handle: str = Field("", max_length=39, pattern=r"^[A-Za-z0-9-]*$")
    site: str = Field("", max_length=100, pattern=r"^[a-z0-9.-]*$")
    user_id: str = Field("", max_length=20, pattern=r"^[0-9]*$")
    default_kind: str = Field(..., max_length=80, pattern=SLUG_PATTERN)
    technology_area: str = Field(..., max_length=80, pattern=SLUG_PATTERN)
    enabled: bool = True
    interval_hours: int = Field(24, ge=1, le=MAX_INTERVAL_HOURS)


class SourcePatch(InputSchema):
    url: str | None = Field(None, max_length=500)
    handle: str | None = Field(None, max_length=39, pattern=r"^[A-Za-z0-9-]*$")
    site: str | None = Field(None, max_length=100, pattern=r"^[a-z0-9.-]*$")
    user_id: str | None = Field(None, max_length=20, pattern=r"^[0-9]*$")
    default_kind: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN)
    technology_area: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN)
    enabled: bool | None = None
    interval_hours: int | None = Field(None, ge=1, le=MAX_INTERVAL_HOURS)


def serialize(source: Source) -> dict:
    return {
        "id": source.pk,
        "type": source.type,
        "url": source.url,
        "handle": source.handle,
        "site": source.site,
        "user_id": source.user_id,
        "default_kind": source.default_kind.slug,
        "technology_area": source.technology_area.slug,
        "enabled": source.enabled,
        "interval_hours": source.interval_hours,
        "last_fetched_at": source.last_fetched_at,
        "last_status": source.last_status,
        "last_error": source.last_error,
        "consecutive_failures": source.consecutive_failures,
        "next_fetch_at": source.next_fetch_at,
        "fetching": source.is_fetching(now=timezone.now()),
    }


def own_sources(user):
    return Source.objects.filter(contributor__user=user).select_related(
        "default_kind", "technology_area"
    )


def get_own(user, source_id: int) -> Source:
    source = own_sources(user).filter(pk=source_id).first() if 1 <= source_id <= MAX_ID else None
    if source is None:
        raise NotFound(_("No such source."))
    return source


def vocabulary(fields: dict) -> dict:
    """Kind and area slugs to rows (active ones only); 400 with every field's errors."""
    values, errors = dict(fields), {}
    if fields.get("default_kind") is not None:
        values["default_kind"] = ContributionKind.objects.filter(
            slug=fields["default_kind"], is_active=True
        ).first()
        if values["default_kind"] is None:
            errors["default_kind"] = [_("Select an active contribution kind (see /api/v1/kinds).")]
    if fields.get("technology_area") is not None:
        values["technology_area"] = TechnologyArea.objects.filter(
            slug=fields["technology_area"], is_active=True
        ).first()
        if values["technology_area"] is None:
            errors["technology_area"] = [
                _("Select an active technology area (see /api/v1/technology-areas).")
            ]
    if errors:
        raise BadRequest(_("Some fields are not valid."), errors=errors)
    return values


def _invalid(exc: DjangoValidationError) -> BadRequest:
    return BadRequest(_("Some fields are not valid."), errors=field_errors_from_django(exc))


@router.get("/sources", response={200: SourcePage, **problems(400, 401)}, summary="My sources")
def list_sources(request, params: Query[PageParams]):
    return paginate(
        request,
        own_sources(request.auth.user),
        ordering=("id",),
        cursor=params.cursor,
        limit=params.limit,
        serialize=serialize,
    )


@router.post(
    "/sources",
    response={201: SourceOut, **problems(400, 401, 403)},
    summary="Connect a source (a feed, a GitHub user or a Stack Exchange user)",
)
def add_source(request, payload: SourceIn, response: HttpResponse):
    values = vocabulary(payload.model_dump())
    try:
        source = create_source(
            contributor=contributor_of(request.auth.user), now=timezone.now(), **values
        )
    except DjangoValidationError as exc:
        raise _invalid(exc) from exc
    response["Location"] = f"{request.path}/{source.pk}"
    return Status(201, serialize(source))


@router.get(
    "/sources/{int:source_id}", response={200: SourceOut, **problems(401, 404)}, summary="A source"
)
def get_source(request, source_id: int):
    return serialize(get_own(request.auth.user, source_id))


@router.patch(
    "/sources/{int:source_id}",
    response={200: SourceOut, **problems(400, 401, 403, 404)},
    summary="Change a source (enabling a paused one resets its failures)",
)
def patch_source(request, source_id: int, payload: SourcePatch):
    source = get_own(request.auth.user, source_id)
    sent = payload.model_dump(exclude_unset=True)
    nulls = [name for name, value in sent.items() if value is None]
    if nulls:
        raise BadRequest(
            _("Some fields are not valid."),
            errors={name: [_("This field may not be null.")] for name in nulls},
        )
    try:
        source = update_source(source=source, **vocabulary(sent))
    except DjangoValidationError as exc:
        raise _invalid(exc) from exc
    return serialize(source)


@router.delete(
    "/sources/{int:source_id}",
    response={204: None, **problems(401, 403, 404)},
    summary="Remove a source and its pending drafts (decided drafts are remembered)",
)
def remove_source(request, source_id: int):
    delete_source(source=get_own(request.auth.user, source_id))
    return HttpResponse(status=204)


@router.post(
    "/sources/{int:source_id}/fetch",
    response={202: SourceOut, **problems(401, 403, 404)},
    summary="Queue a fetch of the source now",
)
def fetch_source_now(request, source_id: int):
    source = get_own(request.auth.user, source_id)
    request_fetch(source=source, now=timezone.now())
    return Status(202, serialize(source))
