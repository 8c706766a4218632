import json
import re

import pytest
from django.test import Client

from api.models import ApiToken
from api.services import issue_token
from common.tokens import hash_token
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/me", "get"),
    ("/api/v1/me/summary", "get"),
    ("/api/v1/contributions", "get"),
    ("/api/v1/contributions", "post"),
    ("/api/v1/contributions/{contribution_id}", "get"),
    ("/api/v1/contributions/{contribution_id}", "patch"),
    ("/api/v1/contributions/{contribution_id}", "delete"),
    ("/api/v1/kinds", "get"),
    ("/api/v1/technology-areas", "get"),
    ("/api/v1/awards", "get"),
    ("/api/v1/awards", "post"),
    ("/api/v1/awards/{award_id}/revoke", "post"),
    ("/api/v1/awards/{award_id}/credential", "get"),
    ("/api/v1/contributors/{contributor_id}/eligibility", "get"),
    ("/api/v1/nominations", "get"),
    ("/api/v1/nominations", "post"),
    ("/api/v1/nominations/{nomination_id}", "get"),
    ("/api/v1/nominations/{nomination_id}/reviews", "post"),
    ("/api/v1/nominations/{nomination_id}/decision", "post"),
    ("/api/v1/nominations/{nomination_id}/withdraw", "post"),
    ("/api/v1/webhooks", "get"),
    ("/api/v1/webhooks", "post"),
    ("/api/v1/webhooks/{endpoint_id}", "get"),
    ("/api/v1/webhooks/{endpoint_id}", "patch"),
    ("/api/v1/webhooks/{endpoint_id}", "delete"),
    ("/api/v1/webhooks/{endpoint_id}/deliveries", "get"),
    ("/api/v1/contributions/batch", "post"),
    ("/api/v1/sources", "get"),
    ("/api/v1/sources", "post"),
    ("/api/v1/sources/{source_id}", "get"),
    ("/api/v1/sources/{source_id}", "patch"),
    ("/api/v1/sources/{source_id}", "delete"),
    ("/api/v1/sources/{source_id}/fetch", "post"),
    ("/api/v1/drafts", "get"),
    ("/api/v1/drafts/{draft_id}", "patch"),
    ("/api/v1/drafts/{draft_id}/accept", "post"),
    ("/api/v1/drafts/{draft_id}/dismiss", "post"),
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_openapi_lists_every_operation(openapi):
    assert openapi["openapi"].startswith("3.")
    listed = {(path, method) for path, ops in openapi["paths"].items() for method in ops}
    assert listed == OPERATIONS


def test_openapi_documents_errors_as_problem_json(openapi):
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            responses = op["responses"]
            assert "429" in responses, (path, method)
            for status, response in responses.items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]
                    assert response["content"]["application/problem+json"]["schema"] == {
                        "$ref": "#/components/schemas/Problem"
                    }


def test_openapi_documents_parameters_bodies_and_bearer_auth(openapi):
    params = {p["name"] for p in openapi["paths"]["/api/v1/contributions"]["get"]["parameters"]}
    assert {
        "kind",
        "technology_area",
        "pillar",
        "date_from",
        "date_to",
        "cursor",
        "limit",
    } <= params
    body = openapi["paths"]["/api/v1/contributions"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/ContributionIn")
    schemes = openapi["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http"}
    assert {s["scheme"] for s in schemes.values()} == {"bearer"}
    contribution = openapi["components"]["schemas"]["ContributionOut"]["properties"]
    assert {"pillar", "visibility", "created_at", "updated_at"} <= set(contribution)


def test_docs_page_renders_every_operation_without_inline_script_or_style(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for path, method in OPERATIONS:
        assert f"{method.upper()}</span> <code>{path}</code>" in html
    assert "problem-rate-limited" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert " style=" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_api_root_opens_the_docs(client):
    response = client.get("/api/v1/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/docs"


def test_token_page_requires_login(client):
    response = client.get("/settings/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_token_page_creates_shows_secret_once_and_lists(user):
    browser = Client()
    browser.force_login(user)
    response = browser.post("/settings/tokens/", {"name": "blog sync"})
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    secret = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    assert token.token_hash == hash_token(secret)
    assert token.name == "blog sync"
    again = browser.get("/settings/tokens/").content.decode()
    assert secret not in again
    assert token.prefix in again
    assert "blog sync" in again
    assert "Never" in again


def test_token_page_shows_last_use(user):
    browser = Client()
    browser.force_login(user)
    _token, secret = issue_token(user=user, name="ci")
    Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    html = browser.get("/settings/tokens/").content.decode()
    assert "Never" not in html


def test_token_page_rejects_blank_name(user):
    browser = Client()
    browser.force_login(user)
    response = browser.post("/settings/tokens/", {"name": "   "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_token_create_and_revoke_need_csrf(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    token, _secret = issue_token(user=user, name="x")
    assert browser.post("/settings/tokens/", {"name": "y"}).status_code == 403
    assert browser.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_own_token_via_page(user):
    browser = Client()
    browser.force_login(user)
    token, secret = issue_token(user=user, name="x")
    assert browser.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
    response = browser.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_cannot_revoke_someone_elses_token(user):
    other_token, _secret = issue_token(user=UserFactory(), name="theirs")
    browser = Client()
    browser.force_login(user)
    assert browser.post(f"/settings/tokens/{other_token.pk}/revoke/").status_code == 404
    other_token.refresh_from_db()
    assert other_token.revoked_at is None


def test_nav_links_to_tokens(user):
    browser = Client()
    browser.force_login(user)
    assert 'href="/settings/tokens/"' in browser.get("/").content.decode()


def test_openapi_says_which_operations_admit_anonymous_callers(openapi):
    anonymous = {
        (path, method)
        for path, ops in openapi["paths"].items()
        for method, op in ops.items()
        if {} in op["security"]
    }
    assert anonymous == {
        ("/api/v1/kinds", "get"),
        ("/api/v1/technology-areas", "get"),
        ("/api/v1/awards", "get"),
        ("/api/v1/awards/{award_id}/credential", "get"),  # a public award's credential
    }
    assert set(openapi["components"]["securitySchemes"]) == {"ApiAuth"}


def test_openapi_documents_nomination_and_eligibility_schemas(openapi):
    paths = openapi["paths"]
    bodies = {
        ("/api/v1/nominations", "post"): "NominationIn",
        ("/api/v1/nominations/{nomination_id}/reviews", "post"): "ReviewIn",
        ("/api/v1/nominations/{nomination_id}/decision", "post"): "DecisionIn",
        ("/api/v1/nominations/{nomination_id}/withdraw", "post"): "WithdrawIn",
    }
    for (path, method), name in bodies.items():
        schema = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith(f"/{name}")
    assert set(paths["/api/v1/nominations"]["post"]["responses"]) == {
        "200",
        "201",
        "400",
        "401",
        "403",
        "429",
    }
    for action in ("reviews", "decision", "withdraw"):
        assert (
            "409" in paths[f"/api/v1/nominations/{{nomination_id}}/{action}"]["post"]["responses"]
        )
    eligibility = paths["/api/v1/contributors/{contributor_id}/eligibility"]["get"]
    assert {p["name"] for p in eligibility["parameters"]} == {
        "contributor_id",
        "award",
        "area",
        "as_of",
    }
    schemas = openapi["components"]["schemas"]
    assert {"eligible", "policy", "checks"} <= set(schemas["EligibilityOut"]["properties"])
    assert {"code", "passed", "detail"} <= set(schemas["CheckOut"]["properties"])
    assert {"status", "decision_due", "endorsements", "candidate_email"} <= set(
        schemas["NominationOut"]["properties"]
    )
