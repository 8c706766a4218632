"""Every error under /api/v1 is an RFC 9457 problem document (``application/problem+json``).

Views raise :class:`ApiError` (or Django's ``Http404``/``PermissionDenied``/``ValidationError``);
the handlers registered in ``api.api`` turn those, ninja's own errors and pydantic
validation errors into one shape: ``{"type", "title", "status", "detail", "errors"}``.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.utils.translation import gettext as _

from common.problems import problem_response

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered as a problem document."""

    status = 400

    def __init__(
        self,
        detail: str = "",
        *,
        errors: Mapping[str, Iterable[str]] | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        if status is not None:
            self.status = status
        self.detail = str(detail)
        self.errors = {
            field: [str(m) for m in messages] for field, messages in (errors or {}).items()
        }
        self.headers = dict(headers or {})
        super().__init__(self.detail)


class BadRequest(ApiError):
    status = 400


class NotAuthenticated(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class RateLimited(ApiError):
    status = 429


def from_api_error(exc: ApiError) -> HttpResponse:
    return problem_response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


def field_errors_from_django(exc) -> dict[str, list[str]]:
    """A Django ValidationError (e.g. from ``full_clean``) as ``{field: [messages]}``."""
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


# --- pydantic errors -----------------------------------------------------------------------


def _message(error: Mapping) -> str:
    """A short, translated message for the pydantic error types clients actually hit."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("missing", "missing_argument"):
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is at least %(limit)s.") % {
            "limit": ctx.get("ge", ctx.get("gt", ""))
        }
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is at most %(limit)s.") % {
            "limit": ctx.get("le", ctx.get("lt", ""))
        }
    if kind == "string_too_short":
        return _("Ensure this value has at least %(limit)s characters.") % {
            "limit": ctx.get("min_length", "")
        }
    if kind == "string_too_long":
        return _("Ensure this value has at most %(limit)s characters.") % {
            "limit": ctx.get("max_length", "")
        }
    if kind in ("string_type", "string_unicode"):
        return _("Enter text.")
    if kind in ("enum", "literal_error"):
        return _("Select one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return _("Send a JSON object.")
    if kind == "list_type":
        return _("Send a list.")
    if kind == "string_pattern_mismatch":
        return _("Enter a valid value.")
    if kind == "extra_forbidden":
        return _("Unknown or read-only field.")
    if kind == "none_forbidden":
        return _("This field may not be null.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind == "int_too_big" or kind == "too_long":
        return _("This value is too large.")
    # Our own validators raise PydanticCustomError with an already translated message.
    return str(error.get("msg", _("Invalid value.")))


def _field(loc: tuple) -> str:
    """ninja prefixes the location with the source and, for a body, the parameter name."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
    return ".".join(parts) or "__all__"


def field_errors_from_pydantic(errors: Sequence[Mapping]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        messages = result.setdefault(_field(tuple(error.get("loc", ()))), [])
        message = _message(error)
        if message not in messages:
            messages.append(message)
    return result
