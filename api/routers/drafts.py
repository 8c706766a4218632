"""The caller's import inbox: drafts the sources suggested. Another person's draft is a 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from api.auth import token_or_session
from api.callers import contributor_of
from api.errors import BadRequest, Conflict, NotFound, field_errors_from_django
from api.pagination import paginate
from api.routers.contributions import ContributionOut
from api.routers.contributions import serialize as serialize_contribution
from api.schemas import MAX_ID, SLUG_PATTERN, ApiDate, InputSchema, PageParams, page_of, problems
from contributions.models import MAX_QUANTITY, MAX_REACH, ContributionKind, TechnologyArea
from imports.enums import DraftStatus
from imports.models import Draft
from imports.services import DraftConflict, accept_draft, dismiss_draft, edit_draft

router = Router(tags=["import hub"], auth=token_or_session)


class DraftOut(Schema):
    id: int
    source: int | None = Field(..., description="The source's id (null once it was removed).")
    title: str
    url: str
    date: ApiDate
    kind: str
    technology_area: str
    quantity: int
    reach: int
    description: str
    status: DraftStatus
    edited: bool = Field(..., description="Changed by its owner: a re-fetch leaves it alone.")
    contribution: int | None = Field(..., description="The contribution's id once accepted.")


DraftPage = page_of(DraftOut, "DraftPage")


class DraftFilters(PageParams):
    source: int | None = Field(None, ge=1, le=MAX_ID)
    status: DraftStatus | None = None


class DraftPatch(InputSchema):
    title: str | None = Field(None, min_length=3, max_length=200)
    date: ApiDate | None = None
    kind: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN)
    technology_area: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN)
    quantity: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    reach: int | None = Field(None, ge=0, le=MAX_REACH)
    description: str | None = Field(None, max_length=5000)


def serialize(draft: Draft) -> dict:
    return {
        "id": draft.pk,
        "source": draft.source_id,
        "title": draft.title,
        "url": draft.url,
        "date": draft.date,
        "kind": draft.kind.slug,
        "technology_area": draft.technology_area.slug,
        "quantity": draft.quantity,
        "reach": draft.reach,
        "description": draft.description,
        "status": draft.status,
        "edited": draft.edited,
        "contribution": draft.contribution_id,
    }


def own_drafts(user):
    return Draft.objects.filter(contributor__user=user).select_related("kind", "technology_area")


def get_own(user, draft_id: int) -> Draft:
    draft = own_drafts(user).filter(pk=draft_id).first() if 1 <= draft_id <= MAX_ID else None
    if draft is None:
        raise NotFound(_("No such draft."))
    return draft


def _decided() -> Conflict:
    return Conflict(_("This draft was already accepted or dismissed."))


def _invalid(exc: DjangoValidationError) -> BadRequest:
    return BadRequest(_("Some fields are not valid."), errors=field_errors_from_django(exc))


@router.get(
    "/drafts", response={200: DraftPage, **problems(400, 401)}, summary="My drafts, newest first"
)
def list_drafts(request, filters: Query[DraftFilters]):
    queryset = own_drafts(request.auth.user)
    if filters.source:
        queryset = queryset.filter(source_id=filters.source)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return paginate(
        request,
        queryset,
        ordering=("-date", "-id"),
        cursor=filters.cursor,
        limit=filters.limit,
        serialize=serialize,
    )


@router.patch(
    "/drafts/{int:draft_id}",
    response={200: DraftOut, **problems(400, 401, 404, 409)},
    summary="Edit a pending draft (it is then marked edited)",
)
def patch_draft(request, draft_id: int, payload: DraftPatch):
    draft = get_own(request.auth.user, draft_id)
    sent = payload.model_dump(exclude_unset=True)
    errors = {name: [_("This field may not be null.")] for name, v in sent.items() if v is None}
    if sent.get("kind"):
        sent["kind"] = ContributionKind.objects.filter(slug=sent["kind"], is_active=True).first()
        if sent["kind"] is None:
            errors["kind"] = [_("Select an active contribution kind (see /api/v1/kinds).")]
    if sent.get("technology_area"):
        sent["technology_area"] = TechnologyArea.objects.filter(
            slug=sent["technology_area"], is_active=True
        ).first()
        if sent["technology_area"] is None:
            errors["technology_area"] = [
                _("Select an active technology area (see /api/v1/technology-areas).")
            ]
    if errors:
        raise BadRequest(_("Some fields are not valid."), errors=errors)
    try:
        draft = edit_draft(
            draft_id=draft.pk,
            contributor=contributor_of(request.auth.user),
            today=timezone.localdate(),
            **sent,
        )
    except DraftConflict as exc:
        raise _decided() from exc
    except DjangoValidationError as exc:
        raise _invalid(exc) from exc
    return serialize(get_own(request.auth.user, draft.pk))


@router.post(
    "/drafts/{int:draft_id}/accept",
    response={201: ContributionOut, **problems(400, 401, 404, 409)},
    summary="Accept a draft: it becomes a contribution (a second accept is a 409)",
)
def accept(request, draft_id: int, response: HttpResponse):
    draft = get_own(request.auth.user, draft_id)
    try:
        contribution = accept_draft(
            draft_id=draft.pk,
            contributor=contributor_of(request.auth.user),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except DraftConflict as exc:
        raise _decided() from exc
    except DjangoValidationError as exc:
        raise _invalid(exc) from exc
    response["Location"] = f"/api/v1/contributions/{contribution.pk}"
    return Status(201, serialize_contribution(contribution))


@router.post(
    "/drafts/{int:draft_id}/dismiss",
    response={200: DraftOut, **problems(401, 404, 409)},
    summary="Dismiss a draft: it is never suggested again",
)
def dismiss(request, draft_id: int):
    draft = get_own(request.auth.user, draft_id)
    try:
        dismiss_draft(
            draft_id=draft.pk, contributor=contributor_of(request.auth.user), now=timezone.now()
        )
    except DraftConflict as exc:
        raise _decided() from exc
    return serialize(get_own(request.auth.user, draft.pk))
