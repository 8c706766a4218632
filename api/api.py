"""The API object: routers (one module per resource), error handlers, the OpenAPI document.

To add a resource: write ``routers/<resource>.py`` with a ``router`` and add it to
``ROUTERS``; the OpenAPI document and the server-rendered docs page pick it up.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from api import errors
from api.routers import (
    awards,
    batch,
    contributions,
    drafts,
    eligibility,
    me,
    nominations,
    sources,
    vocabularies,
    webhooks,
)
from common import problems

logger = logging.getLogger(__name__)

ROUTERS = (
    me.router,
    batch.router,
    contributions.router,
    vocabularies.router,
    awards.router,
    eligibility.router,
    nominations.router,
    webhooks.router,
    sources.router,
    drafts.router,
)

DESCRIPTION = """
Log community work from scripts, read your rolling 12-month window and your eligibility,
read awards, nominate, review and decide nominations, and connect sources (feeds, GitHub,
Stack Exchange) whose items arrive as drafts in an inbox you accept from.

**Authentication.** `Authorization: Bearer <token>` with a personal access token from
`/settings/tokens/` (or `manage.py issue_api_token`). A token has a scope, `read` (safe
methods only: anything else answers 403) or `write`, and an expiry (one year unless chosen at
creation; after it the token answers 401); `GET /me` shows both under `token`. A signed-in
browser session also works; unsafe methods then need the `X-CSRFToken` header.

**Errors** are `application/problem+json` (RFC 9457):
`{"type", "title", "status", "detail", "errors": {field: [messages]}}`.

**Lists** are paginated: `?limit=` (1–200, default 50) and `?cursor=` from the `next` link.

**Rate limit:** a fixed window per token (per user for sessions, per address when anonymous);
over the limit the answer is 429 with `Retry-After`.
"""


class MvpTrackerApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return finish_openapi(schema)


def finish_openapi(schema: dict) -> dict:
    """What ninja cannot say by itself: errors are problem+json, and operations with
    optional authentication accept a token, a session or nobody (``{}``)."""
    schemes = schema.get("components", {}).get("securitySchemes", {})
    schemes.pop("OptionalApiAuth", None)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if operation.get("security") == [{"OptionalApiAuth": []}]:
                operation["security"] = [{"ApiAuth": []}, {}]
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    response["content"] = {
                        problems.PROBLEM_CONTENT_TYPE: content.pop("application/json")
                    }
                    response["description"] = str(problems.PROBLEM_TYPES[int(status)][1])
    return schema


api = MvpTrackerApi(
    title="mvptracker API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,  # the docs page is server-rendered (strict CSP, works without JavaScript)
)
for router in ROUTERS:
    api.add_router("", router)


@api.exception_handler(errors.ApiError)
def on_api_error(request, exc):
    return errors.from_api_error(exc)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    return problems.problem_response(
        400,
        _("Some fields are not valid."),
        errors=errors.field_errors_from_pydantic(exc.errors),
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return problems.problem_response(401, _("Send a personal access token or sign in."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 400:  # ninja could not parse the body
        return problems.problem_response(
            400, _("The request body is not valid JSON."), errors={"__all__": [_("Send JSON.")]}
        )
    return problems.problem_response(exc.status_code, str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problems.problem_response(404)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return problems.problem_response(403)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    return problems.problem_response(
        400, _("Some fields are not valid."), errors=errors.field_errors_from_django(exc)
    )


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return problems.problem_response(500, _("Something went wrong on our side."))
