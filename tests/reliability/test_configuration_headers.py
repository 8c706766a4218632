"""Configuration: the security headers on every page, API answer and error page.

Walks every URL pattern of the project (allauth, the admin, each app, the API), fills its
parameters with real objects, and requests it over HTTPS under production's security settings
as each role in turn until one gets the page itself (200). Every response on the way —
redirects to the login page and refusals included — must carry the headers.
"""

import re
import time
from dataclasses import dataclass, field

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path

from accounts.enums import Role
from api.services import issue_token
from awards.models import Award, RenewalReview
from awards.services import open_renewal_reviews
from calendars.services import create_feed
from nominations.workflow.panel import assign_reviewer, submit_review
from nominations.workflow.submission import create_nomination
from notifications.services import notify
from ops.jobs import run_daily_jobs
from tests.factories.awards import make_award
from tests.factories.contributions import ContributionFactory, ContributorFactory, area
from tests.factories.mfa import make_security_key
from tests.factories.nominations import make_mvp, make_nomination, make_privileged
from tests.factories.users import PASSWORD, UserFactory
from tests.reliability.access_matrix import import_rows
from tests.reliability.production import apply_production_security
from webhooks.models import Delivery
from webhooks.services import create_endpoint, emit

SECTION = "Configuration"
ROLES = ("anonymous", "contributor", "mvp", "reviewer", "staff", "admin")
UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'")


def _boom(request):
    raise RuntimeError("a bug in a view (reliability suite)")


# This module doubles as the URLconf of the 500-page check: the project's URLs plus a view
# that fails, with the project's error handlers.
urlpatterns = [path("reliability-boom/", _boom), path("", include("mvptracker.urls"))]
handler500 = "mvptracker.views.error_500"


def header_problems(response, *, hsts_seconds: int) -> list[str]:
    """What a response lacks of the required security headers (empty when complete)."""
    problems = []
    csp = response.headers.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        directives = {}
        for part in csp.split(";"):
            name, *sources = part.split()
            directives[name.lower()] = sources
        if directives.get("object-src") != ["'none'"]:
            problems.append("object-src is not 'none'")
        for name in ("base-uri", "frame-ancestors"):
            if name not in directives:
                problems.append(f"no {name}")
        scripts = directives.get("script-src", directives.get("default-src", ["*"]))
        if any(source in scripts for source in UNSAFE_SOURCES) or "*" in scripts:
            problems.append(f"script-src allows {scripts}")
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    if not max_age or int(max_age[1]) < hsts_seconds:
        problems.append(f"Strict-Transport-Security {hsts!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if response.headers.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN") and (
        not csp or "frame-ancestors" not in csp
    ):
        problems.append("neither X-Frame-Options nor frame-ancestors")
    return problems


@dataclass
class World:
    """Real objects for every URL parameter, and a signed-in client per role."""

    clients: dict[str, Client]
    params: dict[str, object]
    by_prefix: dict[str, object] = field(default_factory=dict)


def _signed_in(user, *, recently_authenticated: bool = True) -> Client:
    client = Client()
    client.force_login(user)
    if recently_authenticated:
        # What allauth records when someone re-enters their password, so the pages guarded
        # by reauthentication (TOTP and recovery-code management) open.
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


def build_world(today) -> World:
    owner = ContributorFactory(handle="ada-lovelace", display_name="Ada", is_public=True)
    contribution = ContributionFactory(contributor=owner, date=today)
    award = make_award(contributor=owner, kind="mcc", starts_on=today)
    mvp = make_mvp()
    reviewer = make_privileged(role=Role.REVIEWER)
    staff = make_privileged(role=Role.STAFF)
    superuser = make_privileged(role=Role.STAFF, is_superuser=True)
    term = make_award(
        contributor=ContributorFactory(), starts_on=today.replace(year=today.year - 1)
    )
    open_renewal_reviews(awards=Award.objects.filter(pk=term.pk), as_of=today)
    review = RenewalReview.objects.get(award=term)
    nomination = make_nomination(nominated_by=mvp, candidate=owner, as_of=today)
    assign_reviewer(nomination_id=nomination.pk, reviewer=reviewer, actor=staff, as_of=today)
    invited = create_nomination(
        nominated_by=mvp,
        source="mvp",
        technology_area=area("azure"),
        reason="Runs the local user group.",
        evidence_urls=["https://example.com/group"],
        candidate_email="grace@example.com",
        candidate_name="Grace",
        as_of=today,
    )
    submit_review(
        nomination_id=nomination.pk,
        reviewer=reviewer,
        **{"expertise": 4, "quality": 4, "quantity": 3, "impact": 4},
        recommendation="award",
        as_of=today,
    )
    RecoveryCodes.activate(staff)
    key = make_security_key(staff)  # so the security-key edit and remove pages render
    run_daily_jobs(as_of=today, trigger="reliability")
    api_token, _secret = issue_token(user=owner.user, name="laptop")
    notify(recipient=owner.user, message="Welcome", url="/")
    Group.objects.create(name="reliability")
    # Failed logins fill the axes tables, whose admin pages are walked too.
    Client().post("/accounts/login/", {"login": owner.user.email, "password": "wrong"}, secure=True)
    AccessFailureLog.objects.create(
        username=owner.user.email, ip_address="203.0.113.9", user_agent="", path_info="/"
    )
    # axes writes no access log any more (AXES_DISABLE_ACCESS_LOG); older rows still show.
    AccessLog.objects.create(
        username=owner.user.email, ip_address="203.0.113.9", user_agent="", path_info="/"
    )
    unverified = UserFactory(verified=False)
    pending = EmailAddress.objects.create(user=unverified, email=unverified.email, primary=True)
    contributor = _signed_in(owner.user)
    template = contributor.get("/me/import/template.csv", secure=True)
    upload = SimpleUploadedFile("log.csv", template.content, content_type="text/csv")
    contributor.post("/me/import/", {"file": upload}, secure=True)  # a pending import to preview
    clients = {
        "anonymous": Client(),
        "contributor": contributor,
        "mvp": _signed_in(mvp),
        "reviewer": _signed_in(reviewer),
        "staff": _signed_in(staff),
        "admin": _signed_in(superuser),
    }
    params = {
        "handle": owner.handle,
        "award_id": award.pk,
        "review_id": review.pk,
        "contributor_id": owner.pk,
        "code": award.certificate_code,
        "token": invited.invitation_token,
        "token_id": api_token.pk,
        "contribution_id": contribution.pk,
        "nomination_id": nomination.pk,
        "id": owner.user.pk,
        "content_type_id": ContentType.objects.get_for_model(owner).pk,
        "key": EmailConfirmationHMAC(pending).key,
        "uidb36": user_pk_to_url_str(owner.user),
        "reset_key": default_token_generator.make_token(owner.user),
    }
    by_prefix = {"me/contributions/": contribution.pk, "contributions/": contribution.pk}
    by_prefix["nominations/"] = nomination.pk
    by_prefix["accounts/2fa/webauthn/"] = key.pk
    source, draft = import_rows(owner)
    endpoint, _secret = create_endpoint(
        url="http://127.0.0.1:9/header-walk", events=["award.granted"], actor=staff
    )
    emit("award.granted", {"award_id": award.pk})
    params["endpoint_id"] = endpoint.pk
    _feed, params["calendar_token"] = create_feed(user=owner.user)
    params["source_id"] = source.pk
    params["draft_id"] = draft.pk
    params["delivery_id"] = Delivery.objects.get(endpoint=endpoint).pk
    by_prefix["me/sources/"] = source.pk
    by_prefix["me/inbox/"] = draft.pk
    return World(clients=clients, params=params, by_prefix=by_prefix)


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


ADMIN_APP_LIST = re.compile(r"^admin/\^\(\?P<app_label>(?P<labels>[\w|]+)\)/\$$")


def concrete_urls(world: World) -> list[tuple[str, str]]:
    """(route as declared, a URL to request) for every pattern of the project."""
    admin_models = {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/": model
        for model in admin.site._registry
    }
    result = []
    for route in dict.fromkeys(_routes(get_resolver().url_patterns)):
        app_list = ADMIN_APP_LIST.match(route)
        if app_list:
            result += [(route, f"/admin/{label}/") for label in app_list["labels"].split("|")]
            continue
        url = route
        if "(?P" in route or "^" in route:  # allauth's regex routes; the catch-alls
            url = (
                url.replace("(?P<key>[-:\\w]+)", world.params["key"])
                .replace("(?P<uidb36>[0-9A-Za-z]+)", world.params["uidb36"])
                .replace("(?P<key>.+)", world.params["reset_key"])
                .replace("(?P<url>.*)", "no-such-admin-page")
                .replace(".*", "no-such-endpoint")
                .replace("^", "")
                .replace("$", "")
            )
        for name in re.findall(r"(?<!\?P)<(?:\w+:)?(\w+)>", route):
            if name == "object_id" and route.startswith("admin/r/"):
                value = world.params["contributor_id"]
            elif name == "object_id":
                model = next(m for p, m in admin_models.items() if route.startswith(p))
                obj = model._default_manager.order_by("pk").first()
                value = obj.pk if obj is not None else "0"
            elif name == "token" and route.startswith("calendar/"):
                value = world.params["calendar_token"]
            elif name == "pk":
                value = next(v for p, v in world.by_prefix.items() if route.startswith(p))
            else:
                value = world.params[name]
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
        result.append((route, "/" + url))
    return result


# Routes that are no page on GET, and why. The walk still checks the headers of what they
# answer; a route that never renders 200 and is neither here nor POST-only (405 on GET) fails
# the test, so a broken page cannot hide in the walk.
# allauth's password-reset link stores the key in the session and redirects to a keyless URL.
FOLLOW_ONCE = {"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$"}
NOT_A_PAGE = {
    "accounts/login/code/confirm/": "inside a login-by-code flow only (redirects)",
    "accounts/2fa/authenticate/": "inside a login with a second factor only (redirects)",
    "accounts/password/set/": "for accounts without a password (redirects)",
    "i18n/setlang/": "a form target; GET redirects back",
    "admin/login/": "allauth's login page replaces it (redirects)",
    "admin/autocomplete/": "JSON for admin widgets (403 without a widget's parameters)",
    "admin/r/<path:content_type_id>/<path:object_id>/": "view-on-site; no model has a site page",
    "admin/(?P<url>.*)$": "the admin's catch-all (404)",
    "api/v1/": "redirects to the API reference",
    r"api/v1/^[\s\S]*$": "the API's catch-all (problem+json 404)",
}


def not_a_page_reason(route: str, statuses: list[int]) -> str | None:
    if route in NOT_A_PAGE:
        return NOT_A_PAGE[route]
    if 405 in statuses:
        return "POST only (405 on GET)"
    if route.startswith("admin/") and route.endswith("/<path:object_id>/") and statuses == [302]:
        return "the admin's old object URL (redirects to change)"
    if route.startswith("admin/") and route.endswith("/add/") and statuses == [403]:
        return "read-only in the admin (no add permission)"
    return None


@pytest.mark.django_db
def test_configuration_security_headers_on_every_page(settings, figure):
    from django.utils import timezone

    prod = apply_production_security(settings)
    world = build_world(timezone.localdate())
    hsts = prod["SECURE_HSTS_SECONDS"]
    responses = 0
    missing: dict[str, list[str]] = {}
    rendered, not_rendered = [], {}
    for route, url in concrete_urls(world):
        roles = ("admin",) if route.startswith("admin/") else ROLES
        statuses = []
        for role in roles:
            response = world.clients[role].get(url, secure=True)
            hops = [response]
            if route in FOLLOW_ONCE and response.status_code == 302:
                hops.append(world.clients[role].get(response["Location"], secure=True))
            for hop in hops:
                responses += 1
                problems = header_problems(hop, hsts_seconds=hsts)
                if problems:
                    missing[f"{hop.wsgi_request.path} as {role} ({hop.status_code})"] = problems
            statuses.append(hops[-1].status_code)
            where = hops[-1].headers.get("Location", "")
            if hops[-1].status_code == 200:
                rendered.append(route)
                break
        else:
            reason = not_a_page_reason(route, statuses)
            not_rendered[route] = reason or f"UNEXPLAINED {statuses} {where}"
    unexplained = {r: why for r, why in not_rendered.items() if why.startswith("UNEXPLAINED")}
    figure(
        SECTION,
        "pages (URL patterns) rendered 200 and checked for security headers",
        len(rendered),
        target="every GET pattern",
        ok=not unexplained,
        detail=f"{responses} responses checked as 6 roles; {len(not_rendered)} routes are no "
        "page on GET: "
        + "; ".join(
            f"{why}: {sum(1 for w in not_rendered.values() if w == why)}"
            for why in sorted(set(not_rendered.values()))
        ),
    )
    figure(
        SECTION,
        "responses missing a security header (pages)",
        len(missing),
        target="0",
        ok=not missing,
        detail="; ".join(f"{k}: {', '.join(v)}" for k, v in list(missing.items())[:8]),
    )
    assert not missing
    assert not unexplained, unexplained


@pytest.mark.django_db
def test_configuration_security_headers_on_api_and_error_responses(settings, figure, user):
    prod = apply_production_security(settings)
    hsts = prod["SECURE_HSTS_SECONDS"]
    anonymous = Client()
    signed_in = _signed_in(user)
    cases = {
        "404 page": (anonymous.get("/no-such-page/", secure=True), 404),
        "403 page": (signed_in.get("/nominations/queue/", secure=True), 403),
        "400 page (bad Host)": (anonymous.get("/", secure=True, HTTP_HOST="evil.example"), 400),
        "CSRF failure": (
            Client(enforce_csrf_checks=True).post(
                "/accounts/login/",
                {"login": user.email, "password": PASSWORD},
                secure=True,
                HTTP_REFERER="https://testserver/accounts/login/",
            ),
            403,
        ),
        "API 401": (anonymous.get("/api/v1/me", secure=True), 401),
        "API 404": (signed_in.get("/api/v1/no-such-endpoint", secure=True), 404),
        "API 405": (signed_in.delete("/api/v1/kinds", secure=True), 405),
        "API 400": (signed_in.get("/api/v1/me/summary?as_of=not-a-date", secure=True), 400),
        "API 200": (signed_in.get("/api/v1/kinds", secure=True), 200),
    }
    settings.ROOT_URLCONF = __name__
    crashing = Client(raise_request_exception=False)
    cases["500 page"] = (crashing.get("/reliability-boom/", secure=True), 500)
    wrong_status = {
        name: response.status_code
        for name, (response, status) in cases.items()
        if response.status_code != status
    }
    not_problem = [
        name
        for name, (response, status) in cases.items()
        if name.startswith("API 4")
        and not response["Content-Type"].startswith("application/problem+json")
    ]
    missing = {
        name: problems
        for name, (response, _status) in cases.items()
        if (problems := header_problems(response, hsts_seconds=hsts))
    }
    plain_http = anonymous.get("/accounts/login/")
    if plain_http.status_code != 301 or not plain_http["Location"].startswith("https://"):
        missing["plain HTTP not redirected to HTTPS"] = [str(plain_http.status_code)]
    figure(
        SECTION,
        "API, error and HTTP responses missing a security header",
        len(missing),
        target="0",
        ok=not missing and not wrong_status and not not_problem,
        detail=f"{len(cases)} responses: "
        + ", ".join(cases)
        + "; plain HTTP redirects to HTTPS"
        + (f"; MISSING {missing}" if missing else "")
        + (f"; WRONG STATUS {wrong_status}" if wrong_status else "")
        + (f"; NOT problem+json {not_problem}" if not_problem else ""),
    )
    assert not wrong_status
    assert not not_problem
    assert not missing


COMPLETE = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({"Content-Security-Policy": None}, "no Content-Security-Policy"),
        (
            {"Content-Security-Policy": "script-src 'self' 'unsafe-inline'; object-src 'none'"},
            "no base-uri",
        ),
        (
            {
                "Content-Security-Policy": "script-src 'self' 'unsafe-eval'; object-src 'none'; "
                "base-uri 'none'; frame-ancestors 'none'"
            },
            "script-src allows",
        ),
        ({"Strict-Transport-Security": "max-age=60"}, "Strict-Transport-Security"),
        ({"X-Content-Type-Options": None}, "no X-Content-Type-Options: nosniff"),
        ({"Referrer-Policy": None}, "no Referrer-Policy"),
    ],
)
def test_configuration_header_check_finds_each_missing_header(change, problem):
    from django.http import HttpResponse

    response = HttpResponse()
    for name, value in {**COMPLETE, **change}.items():
        if value is not None:
            response[name] = value
    problems = header_problems(response, hsts_seconds=31536000)
    if problem is None:
        assert problems == []
    else:
        assert any(p.startswith(problem) for p in problems), problems
