"""RFC 9457 problem documents (``application/problem+json``): the one error shape of the API,
and of any request check that answers an API path before the API's own handlers run."""

import json
from collections.abc import Mapping

from django.http import HttpResponse
from django.utils.translation import gettext_lazy

PROBLEM_CONTENT_TYPE = "application/problem+json"
DOCS_PATH = "/api/v1/docs"

# status -> (slug used in the type URI, title). The docs page explains each type.
PROBLEM_TYPES = {
    400: ("bad-request", gettext_lazy("Bad request")),
    401: ("unauthorized", gettext_lazy("Authentication required")),
    403: ("forbidden", gettext_lazy("Not allowed")),
    404: ("not-found", gettext_lazy("Not found")),
    405: ("method-not-allowed", gettext_lazy("Method not allowed")),
    409: ("conflict", gettext_lazy("Conflict")),
    413: ("too-large", gettext_lazy("Request too large")),
    429: ("rate-limited", gettext_lazy("Too many requests")),
    500: ("server-error", gettext_lazy("Server error")),
}


def problem_type(status: int) -> str:
    slug = PROBLEM_TYPES.get(status, PROBLEM_TYPES[500])[0]
    return f"{DOCS_PATH}#problem-{slug}"


def problem_response(
    status: int,
    detail: str = "",
    *,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    _slug, title = PROBLEM_TYPES.get(status, PROBLEM_TYPES[500])
    body = {
        "type": problem_type(status),
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
        "errors": dict(errors or {}),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="mvptracker"'
    return response
