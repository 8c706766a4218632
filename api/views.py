"""Pages of the API app: the personal access token settings and the API reference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from api import docs, ratelimit
from api.api import api
from api.forms import TokenForm
from api.models import ApiToken
from api.queries import tokens_for_user
from api.services import expiry_for_day, issue_token, revoke_token
from common import problems


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    """List, and create on POST. The new secret is shown in this one response only (never
    stored, not put in the session): the page is not cached and not redirected."""
    secret = new_token = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            new_token, secret = issue_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=expiry_for_day(form.cleaned_data["expires_on"]),
            )
            form = TokenForm()
    else:
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens_for_user(request.user),
            "secret": secret,
            "new_token": new_token,
            "now": timezone.now(),
        },
        status=201 if secret else 200,
    )


@login_required
@require_POST
def revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if revoke_token(token=token):
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")


@require_safe
def reference(request):
    openapi = api.get_openapi_schema(path_prefix="/api/v1")
    context = docs.reference(openapi)
    context["rate_limit"] = ratelimit.rate_limit()[0]
    context["problem_types"] = [
        (f"problem-{slug}", status, title)
        for status, (slug, title) in sorted(problems.PROBLEM_TYPES.items())
    ]
    return render(request, "api/docs.html", context)


@csrf_exempt  # answers 404 whatever the method; never a CSRF page under /api/v1
def not_found(request, *args, **kwargs):
    """Anything else under /api/v1/ answers like the API, not with an HTML page."""
    return problems.problem_response(404, _("There is no such API endpoint."))


def root(request):
    return redirect("api:docs")
