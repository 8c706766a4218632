"""Awards: public ones readable by anyone; program staff grant and revoke.

An award of a person whose profile is not public is visible only to that person and to
program staff who manage them (global staff, or the regional manager of their region)."""

from datetime import date
from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from accounts.rules import is_program_staff
from accounts.scope import RegionScope
from api.auth import optional_auth, token_or_session
from api.callers import can_manage
from api.errors import BadRequest, Conflict, Forbidden, NotFound
from api.pagination import paginate
from api.schemas import (
    MAX_ID,
    SLUG_PATTERN,
    ApiDate,
    InputSchema,
    ObjectId,
    PageParams,
    page_of,
    problems,
)
from awards.enums import AwardKind, AwardStatus
from awards.models import Award
from awards.services import AwardConflict, AwardError, grant_award, revoke_award
from contributions.models import Contributor, TechnologyArea
from credentials.issuing import MEDIA_TYPE, site_base
from credentials.services import issue_credential
from credentials.views import credential_response

router = Router(tags=["awards"])
ORDERING = ("-starts_on", "-id")


class AwardOut(Schema):
    id: int
    contributor: int = Field(..., description="Contributor id.")
    kind: AwardKind
    status: AwardStatus
    technology_area: str | None = Field(None, description="Award category slug (MVP only).")
    starts_on: date
    ends_on: date = Field(..., description="Last day of the term, computed at grant.")


AwardPage = page_of(AwardOut, "AwardPage")


class AwardFilters(PageParams):
    contributor: ObjectId | None = Field(None, description="Contributor id.")
    kind: AwardKind | None = None
    status: AwardStatus | None = None


class GrantIn(InputSchema):
    contributor: ObjectId = Field(..., description="Contributor id.")
    kind: AwardKind
    technology_area: str | None = Field(
        None,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="Award category slug: required for MVP, absent for MCC.",
    )
    starts_on: ApiDate
    reason: str = Field("", max_length=500)


class RevokeIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=500)


def serialize(award: Award) -> dict:
    return {
        "id": award.pk,
        "contributor": award.contributor_id,
        "kind": award.kind,
        "status": award.status,
        "technology_area": award.technology_area.slug if award.technology_area else None,
        "starts_on": award.starts_on,
        "ends_on": award.ends_on,
    }


def visible_awards(user):
    awards = Award.objects.select_related("technology_area")
    scope = RegionScope.for_user(user)
    if scope.all_regions:
        return awards
    visible = Q(contributor__is_public=True)
    if user.is_authenticated:
        visible |= Q(contributor__user_id=user.pk)
    overseen = scope.q("region")  # the holder's region, copied to the award by a trigger
    if overseen is not None:
        visible |= overseen
    return awards.filter(visible)


def _require_staff(user) -> None:
    if not is_program_staff(user):
        raise Forbidden(_("Only program staff can do this."))


@router.get(
    "/awards",
    auth=optional_auth,
    response={200: AwardPage, **problems(400, 401)},
    summary="Awards (public ones for anyone)",
)
def list_awards(request, filters: Query[AwardFilters]):
    queryset = visible_awards(request.auth.user)
    if filters.contributor:
        queryset = queryset.filter(contributor_id=filters.contributor)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return paginate(
        request,
        queryset,
        ordering=ORDERING,
        cursor=filters.cursor,
        limit=filters.limit,
        serialize=serialize,
    )


@router.post(
    "/awards",
    auth=token_or_session,
    response={201: AwardOut, **problems(400, 401, 403, 409)},
    summary="Grant an MVP term or an MCC status (program staff)",
)
def create_award(request, payload: GrantIn):
    user = request.auth.user
    _require_staff(user)
    contributor = Contributor.objects.filter(pk=payload.contributor).first()
    if contributor is None:
        message = _("No such contributor.")
        raise BadRequest(message, errors={"contributor": [message]})
    if not can_manage(user, contributor):
        raise Forbidden(_("This contributor is outside your region."))
    area = None
    if payload.technology_area:
        area = TechnologyArea.objects.filter(slug=payload.technology_area, is_active=True).first()
        if area is None:
            message = _("Select an active technology area (see /api/v1/technology-areas).")
            raise BadRequest(message, errors={"technology_area": [message]})
    try:
        award = grant_award(
            contributor=contributor,
            kind=payload.kind,
            technology_area=area,
            starts_on=payload.starts_on,
            actor=user,
            reason=payload.reason,
        )
    except AwardConflict as exc:
        raise Conflict(str(exc)) from exc
    except AwardError as exc:
        raise BadRequest(str(exc), errors={"technology_area": [str(exc)]}) from exc
    return Status(201, serialize(award))


@router.post(
    "/awards/{int:award_id}/revoke",
    auth=token_or_session,
    response={200: AwardOut, **problems(400, 401, 403, 404, 409)},
    summary="Revoke an active award, with a reason (program staff)",
)
def revoke(request, award_id: int, payload: RevokeIn):
    user = request.auth.user
    _require_staff(user)
    award = (
        visible_awards(user).select_related("contributor").filter(pk=award_id).first()
        if award_id <= MAX_ID
        else None
    )
    if award is None:
        raise NotFound(_("No such award."))
    if not can_manage(user, award.contributor):
        raise Forbidden(_("This contributor is outside your region."))
    if not payload.reason.strip():
        message = _("A revocation needs a reason.")
        raise BadRequest(message, errors={"reason": [message]})
    try:
        award = revoke_award(award_id=award.pk, actor=user, reason=payload.reason)
    except AwardConflict as exc:
        raise Conflict(str(exc)) from exc
    except AwardError as exc:
        raise BadRequest(str(exc), errors={"reason": [str(exc)]}) from exc
    return serialize(award)


class CredentialParams(Schema):
    format: Literal["jwt", "json"] = Field(
        "jwt", description="`jwt`: the signed VC-JWT; `json`: the decoded credential."
    )


@router.get(
    "/awards/{int:award_id}/credential",
    auth=optional_auth,
    response={200: dict, **problems(400, 401, 404)},
    summary="The award's Open Badges 3.0 credential (VC-JWT)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The credential, signed (RS256; keys at /.well-known/jwks.json).",
                "content": {
                    MEDIA_TYPE: {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            }
        }
    },
)
def award_credential(request, award_id: int, params: Query[CredentialParams]):
    award = (
        visible_awards(request.auth.user).filter(pk=award_id).first()
        if award_id <= MAX_ID
        else None
    )
    if award is None:
        raise NotFound(_("No such award."))
    issued = issue_credential(award=award, base=site_base(request))
    return credential_response(issued, as_json=params.format == "json")
