import pytest
from django.core.cache import cache

from api.services import issue_token


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bearer(db):
    """Headers that authenticate as a user with a new token."""

    def make(user) -> dict[str, str]:
        _token, secret = issue_token(user=user, name="tests")
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def api(client, bearer):
    """A JSON client: ``api.get(path, user=…)``; ``user=None`` calls anonymously."""

    class Api:
        def _headers(self, user, headers):
            return {**(bearer(user) if user is not None else {}), **(headers or {})}

        def get(self, path, *, user=None, headers=None, **params):
            return client.get(path, params, headers=self._headers(user, headers))

        def send(self, method, path, body=None, *, user=None, headers=None, raw=None):
            import json

            data = raw if raw is not None else json.dumps(body if body is not None else {})
            return client.generic(
                method,
                path,
                data,
                content_type="application/json",
                headers=self._headers(user, headers),
            )

        def post(self, path, body=None, **kwargs):
            return self.send("POST", path, body, **kwargs)

        def patch(self, path, body=None, **kwargs):
            return self.send("PATCH", path, body, **kwargs)

        def delete(self, path, **kwargs):
            return self.send("DELETE", path, None, raw="", **kwargs)

    return Api()


def assert_problem(response, status: int, *, fields: set[str] | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    if fields is not None:
        assert set(body["errors"]) == fields, body["errors"]
    return body
