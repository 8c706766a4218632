import json

import pytest
from django.test import override_settings

from api import ratelimit
from contributions.models import Contribution
from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope",
        "/api/v1/me/",
        "/api/v1/contributions/1/extra",
        "/api/v1/../admin",
        "/api/v1/%ff",
        "/api/v1/contributions/W%F2%9C%82%93%0A",  # an encoded newline: found by schemathesis
    ],
)
def test_unknown_api_path_is_problem_404(api, user, path):
    body = assert_problem(api.get(path, user=user), 404)
    assert body["type"] == "/api/v1/docs#problem-not-found"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/contributions/1", {"GET", "PATCH", "DELETE"}),
        ("DELETE", "/api/v1/me", {"GET"}),
        ("GET", "/api/v1/awards/1/revoke", {"POST"}),
        ("POST", "/api/v1/kinds", {"GET"}),
    ],
)
def test_unsupported_method_is_problem_405_with_allow(api, user, method, path, allowed):
    response = api.send(method, path, {}, user=user)
    assert_problem(response, 405)
    assert {m.strip() for m in response["Allow"].split(",")} == allowed


def test_unexpected_error_is_problem_500(api, user, monkeypatch):
    from api.routers import me

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(me, "roles_of", boom)
    body = assert_problem(api.get("/api/v1/me", user=user), 500)
    assert "boom" not in json.dumps(body)


def test_errors_are_translated(api, user):
    response = api.post("/api/v1/contributions", {}, user=user, headers={"Accept-Language": "ko"})
    body = assert_problem(response, 400)
    assert body["title"] == "잘못된 요청"


@override_settings(API_RATE_LIMIT=3)
def test_rate_limit_per_token_answers_429_with_retry_after(api, user, bearer, client):
    headers = bearer(user)
    for _ in range(3):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 200
    assert response["RateLimit-Remaining"] == "0"
    response = client.get("/api/v1/me", headers=headers)
    body = assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["type"] == "/api/v1/docs#problem-rate-limited"
    # another token of the same person has its own budget
    assert client.get("/api/v1/me", headers=bearer(user)).status_code == 200


@override_settings(API_RATE_LIMIT=2)
def test_rate_limit_blocks_writes_too_and_writes_nothing(api, user, bearer, client):
    headers = bearer(user)
    body = {
        "kind": "blog-post",
        "technology_area": "dotnet",
        "title": "Hello",
        "date": "2026-01-02",
    }
    for _ in range(2):
        client.get("/api/v1/me", headers=headers)
    response = client.post(
        "/api/v1/contributions", body, content_type="application/json", headers=headers
    )
    assert_problem(response, 429)
    assert not Contribution.objects.exists()


@override_settings(API_RATE_LIMIT=1)
def test_rate_limit_for_sessions_and_anonymous(client, user):
    assert client.get("/api/v1/kinds").status_code == 200
    assert_problem(client.get("/api/v1/kinds"), 429)
    client.force_login(user)
    assert client.get("/api/v1/kinds").status_code == 200
    assert_problem(client.get("/api/v1/me"), 429)


def test_rate_limit_window_resets(settings):
    settings.API_RATE_LIMIT = 2
    start = 1_000_000 * 60.0
    assert ratelimit.hit("k", now=start)[0]
    assert ratelimit.hit("k", now=start + 1)[0]
    allowed, remaining, reset = ratelimit.hit("k", now=start + 59.5)
    assert (allowed, remaining, reset) == (False, 0, 1)
    assert ratelimit.hit("k", now=start + 60)[0]


GARBAGE_BODIES = [
    b"",
    b"\x00\x01\x02",
    b"\xff\xfe\xfd",
    b"{" * 10_000,
    b"[" * 100_000,
    b'{"title": "\\ud800"}',
    json.dumps({"title": "x" * 100_000}).encode(),
    json.dumps({"quantity": 1e308}).encode(),
    json.dumps({"date": None, "kind": [], "technology_area": {}}).encode(),
    b"NaN",
    b'{"a": Infinity}',
]


@pytest.mark.parametrize("raw", GARBAGE_BODIES)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/contributions"),
        ("PATCH", "/api/v1/contributions/{own}"),
        ("POST", "/api/v1/awards"),
        ("POST", "/api/v1/awards/1/revoke"),
    ],
)
def test_garbage_bodies_never_500(client, staff, bearer, raw, method, path):
    from tests.factories.contributions import ContributionFactory

    own = ContributionFactory(contributor=staff.contributor)
    response = client.generic(
        method,
        path.format(own=own.pk),
        raw,
        content_type="application/json",
        headers=bearer(staff),
    )
    assert response.status_code in {400, 404}, response.content
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "query",
    [
        "limit=-1",
        "limit=1e3",
        "cursor=%00",
        "date_from=%ff",
        "kind=" + "k" * 5000,
        "technology_area[]=x",
        "pillar=advocacy&pillar=support",
        "date_to=2026-02-29",
    ],
)
def test_garbage_queries_never_500(api, user, query):
    response = api.get(f"/api/v1/contributions?{query}", user=user)
    print("PROBE", query, response.status_code, response.content[:200])
    assert response.status_code in {200, 400}, response.content
    if response.status_code == 400:
        assert_problem(response, 400)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_body_is_413_and_writes_nothing(api, user):
    body = {
        "kind": "blog-post",
        "technology_area": "dotnet",
        "title": "Hello",
        "date": "2026-01-02",
    }
    response = api.post("/api/v1/contributions", {**body, "description": "x" * 2000}, user=user)
    assert_problem(response, 413)
    assert not Contribution.objects.exists()


VALID_CONTRIBUTION = {
    "kind": "blog-post",
    "technology_area": "dotnet",
    "title": "Hello there",
    "date": "2026-01-02",
}


@pytest.mark.parametrize("bad", ["a\u0000b", "\ud800abc"])
@pytest.mark.parametrize(
    "field", ["kind", "technology_area", "title", "url", "description", "role", "target_audience"]
)
def test_unstorable_text_in_a_body_is_400(client, user, bearer, field, bad):
    raw = json.dumps({**VALID_CONTRIBUTION, field: bad})  # json escapes both as \\uXXXX
    response = client.post(
        "/api/v1/contributions", raw, content_type="application/json", headers=bearer(user)
    )
    assert_problem(response, 400, fields={field})
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("query", "detail", "fields"),
    [
        # A NUL anywhere in the query string is refused before any parameter is parsed.
        ("kind=a%00b", "Null characters are not allowed.", set()),
        ("technology_area=%00", "Null characters are not allowed.", set()),
        ("cursor=%00", "Null characters are not allowed.", set()),
        # A lone surrogate decodes, then fails the filter's validation, named by field.
        ("kind=%ED%A0%80", "Some fields are not valid.", {"kind"}),
    ],
)
def test_unstorable_text_in_a_query_is_400(api, user, query, detail, fields):
    """Like the body: a problem 400 on PostgreSQL and SQLite alike, never a 200 or a 500."""
    response = api.get(f"/api/v1/contributions?{query}", user=user)
    body = assert_problem(response, 400, fields=fields)
    assert body["detail"] == detail


@pytest.mark.parametrize("method", ["POST", "DELETE", "PATCH", "PUT"])
def test_unknown_path_with_unsafe_method_is_problem_404_not_a_csrf_page(method):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).generic(method, "/api/v1/contributions/null,null")
    assert_problem(response, 404)


def test_rate_limit_fails_open_when_the_cache_is_down(api, user, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", down)
    assert api.get("/api/v1/me", user=user).status_code == 200
