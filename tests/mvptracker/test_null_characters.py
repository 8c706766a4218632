"""A NUL in a URL is a 400 before any view reads it (PostgreSQL refuses it in a lookup)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.enums import Role

pytestmark = pytest.mark.django_db


def test_nul_in_a_search_is_a_bad_request(client, make_user):
    staff = make_user(role=Role.STAFF)
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    response = client.get("/contributors/?q=a%00b")
    assert response.status_code == 400
    assert client.get("/contributors/?q=ab").status_code == 200


@pytest.mark.parametrize("path", ["/verify/a%00b/", "/u/a%00b/", "/me/window/?as_of%00=1"])
def test_nul_in_a_path_or_parameter_name_is_a_bad_request(client, path):
    assert client.get(path).status_code == 400


def test_nul_in_an_api_query_is_a_problem_document(client):
    response = client.get("/api/v1/awards?kind=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == "Null characters are not allowed."
