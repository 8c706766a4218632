"""Webhook endpoints and their deliveries: global staff only (``webhooks.rules``); anyone
else signed in gets 403. The secret is in the answer to POST only. Writes go through
``webhooks.services``; its refusals (URL rules, unknown events) become 400."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from api.auth import token_or_session
from api.errors import BadRequest, Forbidden
from api.pagination import paginate
from api.schemas import InputSchema, PageParams, page_of, problems
from webhooks import queries, services
from webhooks.enums import EventType
from webhooks.models import Delivery, Endpoint
from webhooks.rules import can_manage_webhooks

router = Router(tags=["webhooks"], auth=token_or_session)
EVENTS_HELP = "Any of: " + ", ".join(EventType.values)


class EndpointOut(Schema):
    id: int
    url: str
    events: list[str]
    enabled: bool
    description: str


class EndpointCreated(EndpointOut):
    secret: str = Field(..., description="The signing secret (whsec_…); shown only here.")


class EndpointIn(InputSchema):
    url: str = Field(..., max_length=2000)
    events: list[str] = Field(..., min_length=1, description=EVENTS_HELP)
    description: str = Field("", max_length=200)
    enabled: bool = True


class EndpointPatch(InputSchema):
    url: str | None = Field(None, max_length=2000)
    events: list[str] | None = Field(None, min_length=1, description=EVENTS_HELP)
    description: str | None = Field(None, max_length=200)
    enabled: bool | None = None


class DeliveryOut(Schema):
    id: int
    event: str
    webhook_id: str
    status: str
    attempt: int
    status_code: int | None
    error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


def _serialize(endpoint: Endpoint) -> dict:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "events": endpoint.events,
        "enabled": endpoint.enabled,
        "description": endpoint.description,
    }


def _serialize_delivery(delivery: Delivery) -> dict:
    return {
        "id": delivery.pk,
        "event": delivery.event,
        "webhook_id": delivery.webhook_id,
        "status": delivery.status,
        "attempt": delivery.attempts,
        "status_code": delivery.status_code,
        "error": delivery.error,
        "created_at": delivery.created_at,
        "delivered_at": delivery.delivered_at,
        "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
    }


def _staff(request):
    if not can_manage_webhooks(request.auth.user):
        raise Forbidden(_("Only program staff manage webhooks."))
    return request.auth.user


def _bad(exc: DjangoValidationError) -> BadRequest:
    return BadRequest(_("Some fields are not valid."), errors=exc.message_dict)


@router.get(
    "/webhooks",
    response={200: page_of(EndpointOut, "EndpointPage"), **problems(400, 401, 403)},
    summary="List webhook endpoints",
)
def list_endpoints(request, page: Query[PageParams]):
    _staff(request)
    return paginate(
        request,
        Endpoint.objects.all(),
        ordering=("id",),
        cursor=page.cursor,
        limit=page.limit,
        serialize=_serialize,
    )


@router.post(
    "/webhooks",
    response={201: EndpointCreated, **problems(400, 401, 403)},
    summary="Add a webhook endpoint (the answer holds its secret, this once)",
)
def create_endpoint(request, payload: EndpointIn):
    actor = _staff(request)
    try:
        endpoint, secret = services.create_endpoint(actor=actor, **payload.model_dump())
    except DjangoValidationError as exc:
        raise _bad(exc) from exc
    return Status(201, {**_serialize(endpoint), "secret": secret})


@router.get(
    "/webhooks/{int:endpoint_id}",
    response={200: EndpointOut, **problems(401, 403, 404)},
    summary="One webhook endpoint",
)
def get_endpoint(request, endpoint_id: int):
    _staff(request)
    return _serialize(get_object_or_404(Endpoint, pk=endpoint_id))


@router.patch(
    "/webhooks/{int:endpoint_id}",
    response={200: EndpointOut, **problems(400, 401, 403, 404)},
    summary="Change a webhook endpoint",
)
def patch_endpoint(request, endpoint_id: int, payload: EndpointPatch):
    actor = _staff(request)
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    sent = payload.model_dump(exclude_unset=True)
    nulls = [name for name, value in sent.items() if value is None]
    if nulls:
        raise BadRequest(
            _("Some fields are not valid."),
            errors={name: [_("This field may not be null.")] for name in nulls},
        )
    try:
        endpoint = services.update_endpoint(endpoint_id=endpoint.pk, actor=actor, **sent)
    except DjangoValidationError as exc:
        raise _bad(exc) from exc
    return _serialize(endpoint)


@router.delete(
    "/webhooks/{int:endpoint_id}",
    response={204: None, **problems(401, 403, 404)},
    summary="Delete a webhook endpoint and its deliveries",
)
def delete_endpoint(request, endpoint_id: int):
    actor = _staff(request)
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    services.delete_endpoint(endpoint_id=endpoint.pk, actor=actor)
    return HttpResponse(status=204)


@router.get(
    "/webhooks/{int:endpoint_id}/deliveries",
    response={200: page_of(DeliveryOut, "DeliveryPage"), **problems(400, 401, 403, 404)},
    summary="Deliveries to one webhook endpoint, newest first",
)
def list_deliveries(request, endpoint_id: int, page: Query[PageParams]):
    _staff(request)
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    return paginate(
        request,
        queries.deliveries_for_endpoint(endpoint),
        ordering=("-created_at", "-id"),
        cursor=page.cursor,
        limit=page.limit,
        serialize=_serialize_delivery,
    )
