"""Tokens carry a scope (read or write) and an expiry; owners hear 7 days before it."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from api.enums import TokenScope
from api.jobs import warn_expiring_tokens
from api.models import ApiToken
from api.services import expiry_for_day, hash_token, issue_token, revoke_token
from notifications.models import Notification, OutboxEmail
from tests.api.conftest import assert_problem
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

ENTRY = {"kind": "blog-post", "technology_area": "dotnet", "title": "Hello", "date": "2026-01-02"}


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_token_defaults_to_write_for_one_year(user):
    before = timezone.now()
    token, _secret = issue_token(user=user, name="x")
    assert token.scope == TokenScope.WRITE
    assert before + datetime.timedelta(days=365) <= token.expires_at
    assert token.expires_at <= timezone.now() + datetime.timedelta(days=365)


def test_read_token_reads(client, user):
    _token, secret = issue_token(user=user, name="ro", scope=TokenScope.READ)
    response = client.get("/api/v1/me", headers=auth(secret))
    assert response.status_code == 200
    assert response.json()["token"]["scope"] == "read"
    assert response.json()["token"]["name"] == "ro"


def test_read_token_on_unsafe_method_is_403_and_writes_nothing(client, user):
    _token, secret = issue_token(user=user, name="ro", scope=TokenScope.READ)
    response = client.post(
        "/api/v1/contributions", ENTRY, content_type="application/json", headers=auth(secret)
    )
    body = assert_problem(response, 403)
    assert "read-only" in body["detail"]
    assert not user.contributor.contributions.exists()


def test_write_token_on_unsafe_method_is_allowed(client, user):
    _token, secret = issue_token(user=user, name="rw", scope=TokenScope.WRITE)
    response = client.post(
        "/api/v1/contributions", ENTRY, content_type="application/json", headers=auth(secret)
    )
    assert response.status_code == 201, response.content


def test_expired_token_is_401_saying_it_expired(client, user):
    now = timezone.now()
    token, secret = issue_token(
        user=user,
        name="old",
        now=now - datetime.timedelta(days=30),
        expires_at=now - datetime.timedelta(seconds=1),
    )
    body = assert_problem(client.get("/api/v1/me", headers=auth(secret)), 401)
    assert "expired" in body["detail"]
    token.refresh_from_db()
    assert token.last_used_at is None


def test_issue_rejects_an_expiry_in_the_past(user):
    with pytest.raises(ValueError, match="future"):
        issue_token(user=user, name="x", expires_at=timezone.now())
    assert not ApiToken.objects.exists()


def test_me_with_a_session_has_no_token(user):
    browser = Client()
    browser.force_login(user)
    assert browser.get("/api/v1/me").json()["token"] is None


def test_openapi_shows_scope_and_expiry():
    schema = Client().get("/api/v1/openapi.json").json()
    token = schema["components"]["schemas"]["TokenOut"]
    assert set(token["properties"]) == {"name", "scope", "expires_at"}
    assert token["properties"]["scope"]["enum"] == ["read", "write"]
    assert "read" in schema["components"]["securitySchemes"]["ApiAuth"]["description"]


def test_token_page_creates_a_read_token_with_the_chosen_expiry(user):
    browser = Client()
    browser.force_login(user)
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = browser.post(
        "/settings/tokens/", {"name": "reader", "scope": "read", "expires_on": day.isoformat()}
    )
    assert response.status_code == 201
    token = ApiToken.objects.get(user=user)
    secret = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    assert token.token_hash == hash_token(secret)
    assert token.scope == TokenScope.READ
    assert token.expires_at == expiry_for_day(day)
    assert "Read only" in response.content.decode()


def test_token_page_offers_one_year_by_default(user):
    browser = Client()
    browser.force_login(user)
    html = browser.get("/settings/tokens/").content.decode()
    year = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    assert f'value="{year}"' in html
    assert 'value="write"' in html
    assert 'value="read"' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [("expires_on", "2000-01-01"), ("expires_on", "2999-01-01"), ("scope", "admin")],
)
def test_token_page_rejects_bad_choices_and_creates_nothing(user, field, value):
    browser = Client()
    browser.force_login(user)
    response = browser.post("/settings/tokens/", {"name": "x", field: value})
    assert response.status_code == 200
    assert 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_page_shows_scope_and_expiry_of_each_token(user):
    issue_token(user=user, name="reader", scope=TokenScope.READ)
    browser = Client()
    browser.force_login(user)
    html = browser.get("/settings/tokens/").content.decode()
    assert "Read only" in html
    assert "Expires" in html


def test_issue_api_token_command_takes_scope_and_expiry(user):
    out, err = StringIO(), StringIO()
    call_command(
        "issue_api_token",
        user.email,
        "--scope",
        "read",
        "--expires",
        "2099-12-31",
        stdout=out,
        stderr=err,
    )
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hash_token(out.getvalue().strip())
    assert token.scope == TokenScope.READ
    assert token.expires_at == expiry_for_day(datetime.date(2099, 12, 31))
    assert "scope read" in err.getvalue()


@pytest.mark.parametrize("expires", ["2001-01-01", "31.12.2099"])
def test_issue_api_token_command_rejects_bad_expiry(user, expires):
    with pytest.raises(CommandError, match="--expires"):
        call_command("issue_api_token", user.email, "--expires", expires, stdout=StringIO())
    assert not ApiToken.objects.exists()


# --- the warning 7 days before ------------------------------------------------------------


def token_expiring(user, *, as_of: datetime.date, days: int, **kwargs) -> ApiToken:
    start = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(12)))
    token, _secret = issue_token(
        user=user,
        name=f"in {days} days",
        now=start - datetime.timedelta(days=300),
        expires_at=start + datetime.timedelta(days=days),
        **kwargs,
    )
    return token


def test_owner_is_told_once_seven_days_before_expiry(user, django_capture_on_commit_callbacks):
    as_of = timezone.localdate() + datetime.timedelta(days=10)
    soon = token_expiring(user, as_of=as_of, days=7)
    token_expiring(user, as_of=as_of, days=8)  # next run's business
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_expiring_tokens(as_of=as_of) == {"token_expiry_notices": 1}
    email = OutboxEmail.objects.get()
    assert email.to == user.email
    assert email.dedupe_key == f"apitoken:{soon.pk}:expiring"
    assert email.sent_at is not None
    assert soon.name in email.subject
    assert "/settings/tokens/" in email.body
    note = Notification.objects.get()
    assert note.recipient == user
    assert soon.name in note.message
    # the next day: the same token is not mentioned again, the other one is
    assert warn_expiring_tokens(as_of=as_of) == {"token_expiry_notices": 0}
    assert warn_expiring_tokens(as_of=as_of + datetime.timedelta(days=1)) == {
        "token_expiry_notices": 1
    }
    assert OutboxEmail.objects.count() == 2
    assert Notification.objects.count() == 2


def test_revoked_expired_and_inactive_owners_tokens_get_no_warning(user):
    as_of = timezone.localdate() + datetime.timedelta(days=10)
    revoke_token(token=token_expiring(user, as_of=as_of, days=3))
    gone = UserFactory(is_active=False)
    token_expiring(gone, as_of=as_of, days=3)
    token_expiring(user, as_of=as_of, days=-1)
    assert warn_expiring_tokens(as_of=as_of) == {"token_expiry_notices": 0}
    assert not OutboxEmail.objects.exists()
    assert not Notification.objects.exists()


def test_the_daily_jobs_include_the_token_warning():
    from ops.jobs import daily_jobs

    assert "warn_expiring_tokens" in [name for name, _fn in daily_jobs()]
