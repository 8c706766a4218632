"""URL values that cannot be a handle or a certificate code never reach a query."""

import pytest
from django.urls import reverse

from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import make_privileged

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "status"),
    [
        # A NUL byte (a 500 from PostgreSQL once) is refused by RejectNullCharactersMiddleware
        # before any view runs; the slug-only routes refuse it too, behind it.
        ("/u/a%00b/", 400),
        ("/contributors/a%00b/", 400),
        ("/contributors/a%00b/window/", 400),
        ("/verify/a%00b/", 400),
        ("/u/%ED%95%9C/", 404),
        ("/verify/a.b/", 404),
    ],
)
def test_a_nul_or_foreign_character_in_a_handle_or_code_never_reaches_a_query(client, path, status):
    client.force_login(make_privileged())  # staff: the pages that look handles up answer them
    assert client.get(path).status_code == status


def test_real_handles_still_resolve(client):
    contributor = ContributorFactory(is_public=True)
    assert (
        client.get(reverse("contributions:public_profile", args=[contributor.handle])).status_code
        == 200
    )


def test_read_only_pages_refuse_post(client):
    assert client.post("/").status_code == 405
    assert client.post("/api/v1/openapi.json").status_code == 405
    response = client.post("/api/v1/")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/openapi.json").status_code == 200
