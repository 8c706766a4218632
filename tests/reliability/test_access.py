"""Access: every URL pattern is classified, and answers every caller as the table says.

The table is ``access_expected.EXPECTED`` (with the admin's prefix rules); the URLs, people
and objects come from ``access_matrix``. Each request's writes are rolled back, so every cell
starts from the same world.
"""

import json
import os
import random

import pytest
from django.test import override_settings

from tests.reliability.access_expected import EXPECTED, api_bodies, expected_for
from tests.reliability.access_matrix import (
    ROLES,
    build_world,
    call,
    clients_for,
    outcome,
    url_for,
    walk_routes,
)
from tests.reliability.conftest import FULL, scale

pytestmark = pytest.mark.django_db

SECTION = "Access"
SEED = int(os.environ.get("ACCESS_SEED", "0") or 0)
FAST_CELLS = 320  # in `make test`: one cell of every route, the rest at random


def _path_methods(routes) -> dict[str, set[str]]:
    """The methods the table must cover per route: GET and POST, and every API operation's."""
    by_route: dict[str, set[str]] = {}
    for route in routes:
        by_route.setdefault(route.route, {"GET", "POST"}).update(route.api_methods)
    return by_route


def classification_problems(routes) -> dict[str, str]:
    """Route key -> what the table does not say about it."""
    problems: dict[str, str] = {}
    covered: dict[str, set[str]] = {}
    for route in routes:
        expected = expected_for(route.key, route.route)
        if expected is None:
            problems[route.key] = f"{route.key} ({route.route}): not in the table"
            continue
        covered.setdefault(route.route, set()).update(expected)
        missing_ops = set(route.api_methods) - set(expected)
        if missing_ops:
            problems[route.key] = f"{route.key}: no expectation for {sorted(missing_ops)}"
    wanted = _path_methods(routes)
    for route in routes:
        missing = wanted[route.route] - covered.get(route.route, set())
        if missing and route.key not in problems:
            problems[route.key] = f"{route.route}: no expectation for {sorted(missing)}"
    return problems


def test_every_url_pattern_is_classified(figure):
    """A new URL pattern (or API operation, or a method of one) fails here until the table
    says who may call it."""
    routes = walk_routes()
    problems = classification_problems(routes)
    stale = sorted(set(EXPECTED) - {route.key for route in routes})
    classified = len(routes) - len(problems)
    figure(
        SECTION,
        "URL patterns classified",
        classified,
        target=f"all {len(routes)}",
        ok=classified == len(routes),
    )
    figure(SECTION, "unclassified URL patterns", len(problems), target="0", ok=not problems)
    assert not problems, "Decide the access of these URL patterns:\n" + "\n".join(problems.values())
    assert not stale, f"The table names patterns that no longer exist: {stale}"


@override_settings(ROOT_URLCONF="tests.reliability.access_new_url")
def test_a_new_url_pattern_is_reported_until_classified():
    problems = classification_problems(walk_routes())
    assert set(problems) == {"brand_new_page", "brand_new_admin_page"}


def _cells(routes):
    for route in routes:
        expected = expected_for(route.key, route.route)
        if expected is None:
            continue
        for method, row in expected.items():
            for index, role in enumerate(ROLES):
                yield route, method, role, row[index]


def sample_cells(cells, size: int) -> list:
    """One cell of every route, the rest at random (``ACCESS_SEED``); the full run asks all."""
    rng = random.Random(SEED)
    by_route: dict[str, list] = {}
    for cell in cells:
        by_route.setdefault(cell[0].key, []).append(cell)
    chosen = [rng.choice(group) for group in by_route.values()]
    rest = [cell for cell in cells if cell not in chosen]
    return chosen + rng.sample(rest, max(0, min(len(rest), size - len(chosen))))


def test_permission_matrix_matches_the_table(figure):
    world = build_world()
    clients = clients_for(world)
    routes = walk_routes()
    bodies = api_bodies(world)
    cells = list(_cells(routes))
    total = len(cells)
    if not FULL:
        cells = sample_cells(cells, FAST_CELLS)
    differ = []
    for route, method, role, want in cells:
        path = url_for(route, world)
        data = None
        if route.is_api and method != "GET":
            data = json.dumps(bodies.get(route.key, {}))
        got = outcome(call(clients[role], method, path, data=data))
        if got not in want.split("|"):
            differ.append(f"{method} {path} ({route.key}) as {role}: {got}, table says {want}")
    least = scale(FAST_CELLS, total)
    figure(
        SECTION,
        "matrix cells checked",
        len(cells),
        target=f">= {least} of {total}",
        ok=len(cells) >= least,
    )
    figure(
        SECTION,
        "cells that differ from the matrix",
        len(differ),
        target="0",
        ok=not differ,
        detail=f"seed {SEED}",
    )
    assert not differ, f"{len(differ)} cells differ (ACCESS_SEED={SEED}):\n" + "\n".join(differ)
