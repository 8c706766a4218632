"""Shared schema pieces: the problem document, pages, list parameters and API dates."""

import re
from datetime import date
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, create_model, field_validator
from pydantic_core import PydanticCustomError

from api.pagination import DEFAULT_LIMIT, MAX_LIMIT

# Dates the API accepts at all; narrower domain rules (e.g. a contribution's date) come after.
# The bounds keep date arithmetic (terms, windows) far from datetime's limits.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)
MAX_ID = 2**63 - 1
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_api_date(value: Any) -> date:
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_value", _("Enter a valid date (YYYY-MM-DD).")) from None
    else:
        raise PydanticCustomError("date_value", _("Enter a valid date (YYYY-MM-DD)."))
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise PydanticCustomError(
            "date_range",
            _("Enter a date between %(start)s and %(end)s.")
            % {"start": EARLIEST_DATE.isoformat(), "end": LATEST_DATE.isoformat()},
        )
    return day


ApiDate = Annotated[
    date, BeforeValidator(parse_api_date), Field(json_schema_extra={"format": "date"})
]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
CHOICE_PATTERN = r"^[a-z_]*$"


class CleanSchema(Schema):
    """Text the database cannot store (NUL characters, lone surrogates) is a 400 here, not a
    500 from PostgreSQL later."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value):
        if isinstance(value, str):
            if "\x00" in value:
                raise PydanticCustomError("null_character", _("Null characters are not allowed."))
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise PydanticCustomError("unicode", _("Enter valid text.")) from None
        return value


class InputSchema(CleanSchema):
    """Request bodies: unknown and read-only fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Problem(Schema):
    """An RFC 9457 problem document; ``errors`` maps field names to messages."""

    type: str = Field(..., examples=["/api/v1/docs#problem-bad-request"])
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class PageParams(CleanSchema):
    cursor: str | None = Field(
        None, max_length=1000, description="The `next` link's cursor; omit for the first page."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")


def page_of(item: type[Schema], name: str) -> type[Schema]:
    return create_model(
        name,
        __base__=Schema,
        results=(list[item], ...),  # type: ignore[valid-type]  # a model built at run time
        next=(str | None, Field(None, description="Absolute URL of the next page, or null.")),
    )


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """Error responses an operation documents (always with 429, raised by the auth step)."""
    return dict.fromkeys(sorted({*statuses, 429}), Problem)
