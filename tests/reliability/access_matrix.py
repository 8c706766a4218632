"""The access suite's machinery: every URL pattern, the people who call them, the objects the
URLs point at, and one request answered as an outcome class.

The expected answers themselves are the table in ``access_expected.py``; this module only
walks, builds and asks.
"""

import copy
import datetime
import re
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.enums import Region, Role
from api.api import api
from api.services import issue_token
from awards.models import RenewalReview
from calendars.services import create_feed
from contributions.models import Contributor
from nominations.workflow.panel import assign_reviewer
from nominations.workflow.submission import create_nomination
from tests.factories.awards import make_award
from tests.factories.contributions import ContributionFactory, ContributorFactory, area, kind
from tests.factories.nominations import AS_OF, make_mvp, make_nomination, make_privileged
from tests.factories.users import UserFactory
from webhooks.models import Delivery
from webhooks.services import create_endpoint, emit

# Who calls, in the column order of the expected table.
ROLES = ("anon", "a", "b", "mvp", "mvp2", "reviewer", "staff", "rm", "su")
API_PREFIX = "api/v1/"


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``key`` is its namespaced name, or its route when it has none."""

    key: str
    route: str
    name: str | None
    params: tuple[str, ...]
    api_methods: tuple[str, ...] = ()

    @property
    def is_api(self) -> bool:
        return self.route.startswith(API_PREFIX)


def _api_methods() -> dict[str, tuple[str, ...]]:
    """django-ninja names each operation's URL after its view function."""
    methods: dict[str, tuple[str, ...]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                methods[f"api:{operation.view_func.__name__}"] = tuple(operation.methods)
    return methods


def _params(pattern) -> tuple[str, ...]:
    regex = pattern.pattern.regex
    return tuple(regex.groupindex) or tuple(f"_{i}" for i in range(regex.groups))


def walk_routes() -> list[Route]:
    """Every URL pattern the project serves, depth first, as the resolver tries them."""
    api_methods = _api_methods()
    routes: list[Route] = []

    def walk(resolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, inner)
                continue
            assert isinstance(pattern, URLPattern)
            name = None
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            routes.append(
                Route(
                    key=name or route,
                    route=route,
                    name=name,
                    params=_params(pattern),
                    api_methods=api_methods.get(name or "", ()),
                )
            )

    walk(get_resolver(), "", "")
    return routes


# ------------------------------------------------------------------------------- the world


@dataclass
class World:
    people: dict
    contributor_a: Contributor
    contribution: object
    award: object
    mvp_award: object
    renewal: object
    nomination: object
    invitation_token: str
    token: object
    endpoint: object = None
    delivery: object = None
    source: object = None
    draft: object = None


def build_world() -> World:
    """Contributor A (APAC, private profile) owns a contribution, an MCC status and an API
    token; the MVP nominated A (the reviewer is assigned); the MVP's own term is up for
    renewal; another MVP invited someone by email. The regional manager runs EMEA, so none
    of these is theirs."""
    contributor_a = ContributorFactory(region=Region.APAC, is_public=False)
    contributor_b = ContributorFactory(region=Region.APAC, is_public=False)
    mvp = make_mvp(region=Region.APAC)
    people = {
        "anon": None,
        "a": contributor_a.user,
        "b": contributor_b.user,
        "mvp": mvp,
        "mvp2": make_mvp(region=Region.APAC),
        "reviewer": make_privileged(role=Role.REVIEWER),
        "staff": make_privileged(role=Role.STAFF),
        "rm": make_privileged(role=Role.REGIONAL_MANAGER, region=Region.EMEA),
    }
    superuser = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(superuser, generate_totp_secret())
    people["su"] = superuser
    for person in people.values():
        if person is not None:
            ContributorFactory(user=person)  # every account has a profile (as after sign-up)
    contribution = ContributionFactory(contributor=contributor_a)
    award = make_award(contributor=contributor_a, kind="mcc", starts_on=datetime.date.today())
    mvp_award = mvp.contributor.awards.order_by("-starts_on").first()
    renewal = RenewalReview.objects.create(
        award=mvp_award, opened_on=datetime.date.today(), update_by=mvp_award.ends_on
    )
    nomination = make_nomination(nominated_by=mvp, candidate=contributor_a)
    assign_reviewer(
        nomination_id=nomination.pk,
        reviewer=people["reviewer"],
        actor=people["staff"],
        as_of=AS_OF,
    )
    invited = create_nomination(
        nominated_by=people["mvp2"],
        source="mvp",
        technology_area=area("data-platform"),
        reason="Runs the local user group.",
        evidence_urls=["https://example.com/ug"],
        candidate=None,
        candidate_email="invitee@example.com",
        candidate_name="Ivy Invitee",
        as_of=datetime.date.today(),
    )
    token, _secret = issue_token(user=contributor_a.user, name="access suite")
    endpoint, _secret = create_endpoint(
        url="http://127.0.0.1:9/access-suite", events=["award.granted"], actor=people["staff"]
    )
    emit("award.granted", {"award_id": award.pk})
    create_feed(user=contributor_a.user)
    source, draft = import_rows(contributor_a)
    _admin_rows(invited.nomination, people["reviewer"])
    return World(
        people=people,
        contributor_a=contributor_a,
        contribution=contribution,
        award=award,
        mvp_award=mvp_award,
        renewal=renewal,
        nomination=nomination,
        invitation_token=invited.invitation_token,
        token=token,
        endpoint=endpoint,
        delivery=Delivery.objects.get(endpoint=endpoint),
        source=source,
        draft=draft,
    )


def import_rows(contributor):
    """A's import source and a pending draft it suggested."""
    from imports.models import Draft, Source

    source = Source.objects.create(
        contributor=contributor,
        type="github",
        handle="access-suite",
        default_kind=kind("code-project"),
        technology_area=area("dotnet"),
    )
    draft = Draft.objects.create(
        contributor=contributor,
        source=source,
        url="https://github.com/access-suite/repo",
        canonical_url="github.com/access-suite/repo",
        kind=source.default_kind,
        technology_area=source.technology_area,
        title="access-suite/repo",
        date=datetime.date.today(),
    )
    return source, draft


def _admin_rows(nomination, reviewer) -> None:
    """One row in every admin model, so its change, history and delete pages exist."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    from nominations.models import Review
    from ops.models import JobRun

    Group.objects.create(name="access suite")
    AccessAttempt.objects.create(
        user_agent="t",
        ip_address="127.0.0.1",
        username="x",
        http_accept="*/*",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessFailureLog.objects.create(
        user_agent="t", ip_address="127.0.0.1", username="x", http_accept="*/*", path_info="/"
    )
    # axes writes no access log any more (AXES_DISABLE_ACCESS_LOG); rows from before still show.
    AccessLog.objects.create(
        user_agent="t", ip_address="127.0.0.1", username="x", http_accept="*/*", path_info="/"
    )
    JobRun.objects.create(as_of=datetime.date.today(), trigger="tests")
    Review.objects.create(
        nomination=nomination,
        reviewer=reviewer,
        expertise=3,
        quality=3,
        quantity=3,
        impact=3,
        recommendation="award",
    )


def clients_for(world: World, **client_kwargs) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False, **client_kwargs)
        if world.people[role] is not None:
            client.force_login(world.people[role])
        clients[role] = client
    return clients


# ------------------------------------------------------------------------------ URL values

ADMIN_OBJECT = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(history|delete|change)$")
ADMIN_REDIRECT = re.compile(r"^admin/(?P<app>[a-z]+)/(?P<model>[a-z]+)/<path:object_id>/$")


def _admin_object_pk(app_label: str, model_name: str) -> str:
    model = apps.get_model(app_label, model_name)
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first else "1"


def param_values(world: World) -> dict[str, str]:
    """What each URL parameter is, when it points at A's things."""
    return {
        "handle": world.contributor_a.handle,
        "pk": "",  # set per route below
        "contributor_id": str(world.contributor_a.pk),
        "contribution_id": str(world.contribution.pk),
        "award_id": str(world.award.pk),
        "review_id": str(world.renewal.pk),
        "nomination_id": str(world.nomination.pk),
        "token_id": str(world.token.pk),
        "endpoint_id": str(world.endpoint.pk),
        "delivery_id": str(world.delivery.pk),
        "source_id": str(world.source.pk),
        "draft_id": str(world.draft.pk),
        "token": world.invitation_token,
        "code": world.award.certificate_code,
        "key": "not-a-real-key",
        "uidb36": "1",
        "app_label": "contributions",
        "content_type_id": str(ContentType.objects.get_for_model(Contributor).pk),
        "object_id": str(world.contributor_a.pk),
        "id": str(world.people["a"].pk),
        "url": "no-such-page/",
    }


def pk_for(route: Route, world: World) -> str:
    if route.key.startswith("contributions:"):
        return str(world.contribution.pk)
    if route.key.startswith("imports:source"):
        return str(world.source.pk)
    if route.key.startswith("imports:"):
        return str(world.draft.pk)
    return str(world.nomination.pk)


def url_for(
    route: Route, world: World, overrides: dict[str, str] | None = None, *, raw: bool = False
) -> str:
    """The path of ``route`` with its parameters pointing at A's objects (or ``overrides``);
    ``raw`` puts the values into the path as they are (no percent-encoding by ``reverse``)."""
    values = param_values(world)
    values["pk"] = pk_for(route, world)
    match = ADMIN_OBJECT.match(route.key) or ADMIN_REDIRECT.match(route.route)
    if match:
        values["object_id"] = _admin_object_pk(match["app"], match["model"])
    values.update(overrides or {})
    kwargs = {name: values[name] for name in route.params}
    if route.name and route.key != "api:api-root" and not raw:
        try:
            return reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:  # e.g. a value its pattern refuses: build the path by hand
            pass
    path = route.route
    for name, value in kwargs.items():
        path = re.sub(r"<(?:\w+:)?" + name + ">", lambda _m, v=value: v, path)
        path = re.sub(r"\(\?P<" + name + r">[^)]*\)", lambda _m, v=value: v, path)
    path = path.replace("^", "").replace("$", "")
    if route.route == r"api/v1/^[\s\S]*$":
        path = "api/v1/no-such-endpoint"
    return "/" + path


def snapshot(world: World) -> tuple:
    """What a state change would move: row counts and the fields of A's things."""
    from django.contrib.sessions.models import Session

    from accounts.models import RoleGrant
    from api.models import ApiToken
    from awards.models import Award, AwardEvent
    from contributions.models import Contribution
    from nominations.models import Nomination, NominationEvent, Review, ReviewAssignment
    from notifications.models import Notification, OutboxEmail

    counts = tuple(
        model._default_manager.count()
        for model in (
            Contribution,
            Nomination,
            NominationEvent,
            Review,
            ReviewAssignment,
            Award,
            AwardEvent,
            ApiToken,
            RoleGrant,
            OutboxEmail,
            Session,
            RenewalReview,
        )
    )
    a = Contributor.objects.get(pk=world.contributor_a.pk)
    return (
        counts,
        Notification.objects.filter(read_at__isnull=True).count(),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
        Contribution.objects.filter(verified_at__isnull=False).count(),
        tuple(Nomination.objects.order_by("pk").values_list("status", "candidate_id")),
        tuple(Award.objects.order_by("pk").values_list("status", "ends_on")),
        tuple(RenewalReview.objects.values_list("status", flat=True)),
        (a.display_name, a.handle, a.is_public, a.region),
        tuple(type(a.user)._default_manager.order_by("pk").values_list("password", "is_active")),
    )


# ---------------------------------------------------------------------------- the outcome


def outcome(response) -> str:
    """One answer as its class: ``ok`` (2xx), ``L`` (redirect to sign in), ``A`` (to the
    admin's sign-in), ``R`` (a redirect anywhere else), or the status code."""
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if location.startswith(reverse("account_login")):
            return "L"
        if location.startswith(reverse("admin:login")):
            return "A"
        return "R"
    return str(status)


def call(client: Client, method: str, path: str, *, data=None, headers=None, inspect=None):
    """One request whose writes are rolled back, so every cell starts from the same world;
    the client's cookies are restored too (a logout would otherwise end the session).
    ``inspect()`` runs after the request, before the rollback: its result is
    ``response.inspected``."""
    saved = copy.deepcopy(client.cookies)
    cache.clear()
    try:
        with transaction.atomic():
            if path.startswith("/" + API_PREFIX) and method != "GET":
                response = client.generic(
                    method,
                    path,
                    "{}" if data is None else data,
                    content_type="application/json",
                    headers=headers,
                )
            elif method in ("GET", "POST"):
                response = getattr(client, method.lower())(path, data or {}, headers=headers)
            else:
                response = client.generic(method, path, "", headers=headers)
            response.inspected = inspect() if inspect else None
            transaction.set_rollback(True)
    finally:
        client.cookies = saved
    return response
