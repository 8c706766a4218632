"""Mounted at the site root by mvptracker/urls.py: the API under /api/v1/ and its pages."""

from functools import wraps

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from api import views
from api.api import api
from common.problems import problem_response


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _as_problem(view):
    """Around every ninja view: refuse an oversized body up front (413; ninja would call it
    unparsable), turn ninja's plain-text 405 into a problem document, and add the rate-limit
    headers the auth step computed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return problem_response(
                413,
                _("The request body is larger than %(limit)s bytes.")
                % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            )
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return problem_response(
                405,
                _("This endpoint does not support %(method)s.") % {"method": request.method},
                headers={"Allow": response["Allow"]},
            )
        for name, value in getattr(request, "rate_limit_headers", {}).items():
            response.setdefault(name, value)
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # read by CsrfViewMiddleware
    return wrapper


def _api_patterns():
    patterns, _app, _namespace = api.urls
    result = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern)  # ninja's urls are flat, no includes
        if pattern.name == "api-root":  # ninja's own answers 404; ours opens the docs
            pattern.callback = views.root
        if pattern.name in ("api-root", "openapi-json"):  # ninja serves them to any method
            pattern.callback = require_safe(pattern.callback)
        pattern.callback = _as_problem(pattern.callback)
        result.append(pattern)
    return [
        *result,
        path("docs", views.reference, name="docs"),
        # [\s\S], not ".": a path with an encoded newline must get the problem 404 too.
        re_path(r"^[\s\S]*$", views.not_found),
    ]


urlpatterns = [
    path("api/v1/", include((_api_patterns(), "api"), namespace="api")),
    path("settings/tokens/", views.tokens, name="api_tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke, name="api_token_revoke"),
]
