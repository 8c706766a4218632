import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import issue_token, revoke_token
from common.tokens import hash_token
from tests.api.conftest import assert_problem
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_with_prefix(user):
    token, secret = issue_token(user=user, name="script")
    assert secret.startswith("mvpt_")
    assert len(secret) > 40
    assert token.token_hash == hash_token(secret)
    assert secret not in {token.token_hash, token.prefix}
    assert secret.startswith(token.prefix)
    assert not ApiToken.objects.filter(token_hash=secret).exists()


def test_me_without_credentials_is_401(client):
    response = client.get("/api/v1/me")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert body["type"] == "/api/v1/docs#problem-unauthorized"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer mvpt_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer " + "x" * 5000,
        "bearer",
    ],
)
def test_me_with_invalid_token_is_401(client, user, header):
    assert_problem(client.get("/api/v1/me", headers={"Authorization": header}), 401)


def test_invalid_token_is_401_even_on_public_endpoints(client):
    response = client.get("/api/v1/awards", headers={"Authorization": "Bearer mvpt_wrong"})
    assert_problem(response, 401)


def test_revoked_token_is_401(client, user):
    token, secret = issue_token(user=user, name="old")
    revoke_token(token=token)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert_problem(response, 401)


def test_token_of_deactivated_user_is_401(client, user):
    _token, secret = issue_token(user=user, name="x")
    user.is_active = False
    user.save()
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}), 401)


def test_valid_token_authenticates_and_stamps_last_use_once_a_minute(client, user):
    token, secret = issue_token(user=user, name="script")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # no write within the minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=1)


def test_token_request_writes_nothing_within_the_minute(client, user, django_assert_num_queries):
    _token, secret = issue_token(user=user, name="script")
    headers = {"Authorization": f"Bearer {secret}"}
    client.get("/api/v1/kinds", headers=headers)
    with django_assert_num_queries(2):  # the token (with its user), the page of kinds
        client.get("/api/v1/kinds", headers=headers)


def test_session_authenticates_safe_methods(user):
    browser = Client()
    browser.force_login(user)
    response = browser.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_session_unsafe_method_without_csrf_is_403_and_writes_nothing(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post(
        "/api/v1/contributions",
        {"kind": "blog-post", "technology_area": "dotnet", "title": "Hello", "date": "2026-01-02"},
        content_type="application/json",
    )
    assert_problem(response, 403)
    assert not user.contributor.contributions.exists()


def test_session_unsafe_method_with_csrf_token_is_allowed(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/settings/tokens/")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/contributions",
        {"kind": "blog-post", "technology_area": "dotnet", "title": "Hello", "date": "2026-01-02"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201, response.content


def test_token_needs_no_csrf(user, bearer):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/api/v1/contributions",
        {"kind": "blog-post", "technology_area": "dotnet", "title": "Hello", "date": "2026-01-02"},
        content_type="application/json",
        headers=bearer(user),
    )
    assert response.status_code == 201, response.content


def test_issue_api_token_command_prints_the_token_once(user, capsys):
    call_command("issue_api_token", user.email.upper(), "--name", "CI")
    out = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=user)
    assert token.name == "CI"
    assert token.token_hash == hash_token(out)
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {out}"})
    assert response.status_code == 200


def test_issue_api_token_command_unknown_email_fails(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("issue_api_token", "nobody@example.com")
    assert not ApiToken.objects.exists()


def test_revoke_keeps_the_first_revocation_time(user):
    token, _secret = issue_token(user=user, name="x")
    first = timezone.now() - datetime.timedelta(days=1)
    assert revoke_token(token=token, now=first)
    assert not revoke_token(token=token)
    token.refresh_from_db()
    assert token.revoked_at == first


def test_other_users_token_cannot_be_used_for_me(client):
    alice, bob = UserFactory(), UserFactory()
    _t, secret = issue_token(user=alice, name="a")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.json()["email"] == alice.email != bob.email
