"""``POST /contributions/batch``: up to 100 contributions in one request. Each item goes
through the same checks as ``POST /contributions`` (the schema, then ``clean_fields``, which
shares ``contributions.validation`` with the web form and the CSV import); every valid item is
written in its own savepoint, every invalid one is reported with its field errors."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ValidationError as PydanticValidationError

from api.auth import token_or_session
from api.callers import contributor_of
from api.errors import BadRequest, field_errors_from_django, field_errors_from_pydantic
from api.routers.contributions import ContributionIn, clean_fields
from api.schemas import problems
from contributions.services import record_contribution

router = Router(tags=["contributions"], auth=token_or_session)

MAX_ITEMS = 100


class BatchIn(Schema):
    items: list[dict[str, Any]] = Field(
        ...,
        description=f"1–{MAX_ITEMS} contributions, each as for `POST /contributions`.",
    )


class BatchResult(Schema):
    index: int
    status: int = Field(..., description="201 written, 400 refused (see `errors`).")
    id: int | None = None
    errors: dict[str, list[str]] | None = None


class BatchOut(Schema):
    results: list[BatchResult]


def _write_one(contributor, item: dict) -> tuple[int | None, dict[str, list[str]] | None]:
    try:
        payload = ContributionIn.model_validate(item)
    except PydanticValidationError as exc:
        return None, field_errors_from_pydantic(exc.errors())
    try:
        values = clean_fields(payload.model_dump())
    except BadRequest as exc:
        return None, exc.errors
    try:
        with transaction.atomic():
            contribution = record_contribution(contributor=contributor, **values)
    except DjangoValidationError as exc:
        return None, field_errors_from_django(exc)
    return contribution.pk, None


@router.post(
    "/contributions/batch",
    response={200: BatchOut, **problems(400, 401, 403)},
    summary="Log up to 100 contributions at once",
    exclude_none=True,
)
def create_batch(request, payload: BatchIn):
    if not 1 <= len(payload.items) <= MAX_ITEMS:
        message = _("Send between 1 and %(max)s items.") % {"max": MAX_ITEMS}
        raise BadRequest(message, errors={"items": [message]})
    contributor = contributor_of(request.auth.user)
    results: list[dict[str, object]] = []
    for index, item in enumerate(payload.items):
        pk, errors = _write_one(contributor, item)
        if errors is None:
            results.append({"index": index, "status": 201, "id": pk})
        else:
            results.append({"index": index, "status": 400, "errors": errors})
    return {"results": results}
