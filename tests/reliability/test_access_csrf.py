"""State changes: never by GET, never by a POST without the CSRF token (a session-authenticated
API call included; a bearer token needs none)."""

import json
import random

import pytest

from api.services import issue_token
from tests.reliability.access_expected import api_bodies, expected_for
from tests.reliability.access_matrix import (
    ROLES,
    build_world,
    call,
    clients_for,
    outcome,
    snapshot,
    url_for,
    walk_routes,
)
from tests.reliability.conftest import FULL, scale

pytestmark = pytest.mark.django_db

SECTION = "Access"
PROCESSED = {"ok", "R", "400"}  # the view handled the POST (form errors are handled too)
# Not a form at all: every method answers the API's 404 (a problem, never a CSRF page).
NOT_FORMS = {r"api/v1/^[\s\S]*$"}


def _writers(routes):
    """Every route × method the table lets someone use to send a body, with that someone
    (the superuser only where nobody else may: the admin)."""
    found = []
    for route in routes:
        if route.key in NOT_FORMS:
            continue
        expected = expected_for(route.key, route.route)
        for method, row in expected.items():
            if method == "GET":
                continue
            allowed = [
                role for index, role in enumerate(ROLES) if set(row[index].split("|")) & PROCESSED
            ]
            if allowed:
                preferred = [role for role in allowed if role != "su"] or allowed
                found.append((route, method, preferred[0]))
    return found


def _sample(items, fast: int):
    return (
        items if FULL else random.Random(0).sample(items, min(len(items), scale(fast, len(items))))
    )


def test_state_changing_views_require_the_csrf_token(figure):
    world = build_world()
    clients = clients_for(world, enforce_csrf_checks=True)
    routes = walk_routes()
    bodies = api_bodies(world)
    writers = _writers(routes)
    web = [w for w in writers if not w[0].is_api and not w[0].route.startswith("admin/")]
    admin = [w for w in writers if w[0].route.startswith("admin/")]
    api = [w for w in writers if w[0].is_api]
    checked = web + _sample(admin, 12) + api
    before = snapshot(world)
    accepted = []
    for route, method, role in checked:
        path = url_for(route, world)
        data = json.dumps(bodies.get(route.key, {})) if route.is_api else None
        response = call(clients[role], method, path, data=data, inspect=lambda: snapshot(world))
        if response.status_code != 403 or response.inspected != before:
            accepted.append(
                f"{method} {path} ({route.key}) as {role} without a token: "
                f"{outcome(response)}{', state changed' if response.inspected != before else ''}"
            )
    # A bearer token is not a cookie a browser sends by itself: no CSRF token needed.
    tokens = {}
    bearer_refused = []
    for route, method, role in api:
        if role not in tokens:
            tokens[role] = issue_token(user=world.people[role], name="csrf suite")[1]
        path = url_for(route, world)
        client = clients["anon"]
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        response = call(
            client, method, path, data=json.dumps(bodies.get(route.key, {})), headers=headers
        )
        if response.status_code == 403:
            bearer_refused.append(f"{method} {path} ({route.key}) as {role} with a token: 403")
    figure(
        SECTION,
        "POSTs accepted without CSRF",
        len(accepted),
        target="0",
        ok=not accepted,
        detail=f"{len(checked)} state-changing route/method pairs ({len(api)} API)",
    )
    assert not accepted, "Accepted without the CSRF token:\n" + "\n".join(accepted)
    assert not bearer_refused, "Refused with a bearer token:\n" + "\n".join(bearer_refused)


def test_state_changing_views_refuse_get(figure):
    world = build_world()
    clients = clients_for(world)
    routes = walk_routes()
    writers = _sample([w for w in _writers(routes) if not w[0].route.startswith("admin/")], 40)
    writers += _sample([w for w in _writers(routes) if w[0].route.startswith("admin/")], 8)
    before = snapshot(world)
    changed = []
    for route, _method, role in writers:
        path = url_for(route, world)
        response = call(clients[role], "GET", path, inspect=lambda: snapshot(world))
        if response.inspected != before:
            changed.append(
                f"GET {path} ({route.key}) as {role}: {outcome(response)}, state changed"
            )
    figure(
        SECTION,
        "state-changing views accepting GET",
        len(changed),
        target="0",
        ok=not changed,
        detail=f"{len(writers)} views asked with GET by a caller who may POST",
    )
    assert not changed, "GET changed state:\n" + "\n".join(changed)
