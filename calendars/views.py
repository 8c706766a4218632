"""The feed (public, by secret token) and the settings page that creates and revokes it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from calendars import ical, services
from calendars.models import CalendarFeed
from calendars.queries import entries_for


def _base_url(request) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def feed_url(request, raw: str) -> str:
    return _base_url(request) + reverse("calendars:feed", args=[raw])


@never_cache
@require_GET
def feed(request, token: str):
    """The person's entries as text/calendar. An unknown or revoked token is a plain 404
    (no page that says whether such a feed ever existed)."""
    found = services.feed_for_token(token)
    if found is None:
        raise Http404
    base = _base_url(request)
    body = ical.render(
        entries_for(found.user),
        name=_("%(site)s deadlines") % {"site": settings.SITE_NAME},
        domain=urlsplit(base).hostname or "mvptracker",
        base_url=base,
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mvptracker.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """The address is shown once, in the answer to the POST that creates it (only its hash
    is stored): the page is not cached nor redirected."""
    # Not "url": that name is the templates' url() function.
    address = None
    if request.method == "POST":
        _feed, raw = services.create_feed(user=request.user)
        address = feed_url(request, raw)
    live = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return render(
        request,
        "calendars/settings.html",
        {"feed": live, "address": address},
        status=201 if address else 200,
    )


@login_required
@require_POST
def revoke(request):
    if services.revoke_feed(user=request.user):
        messages.success(request, _("Your calendar address was revoked; it no longer works."))
    return redirect("calendars:settings")
