from datetime import date

import pytest

from contributions.models import Contribution
from contributions.services import ensure_contributor
from imports.models import Draft, Source
from tests.api.conftest import assert_problem
from tests.factories.contributions import area, kind
from tests.imports.conftest import fixture
from tests.local_http import LocalHTTPServer

pytestmark = pytest.mark.django_db


def item(**overrides):
    return {
        "kind": "blog-post",
        "technology_area": "dotnet",
        "title": "Minimal APIs",
        "date": "2026-01-10",
        "url": "https://example.com/minimal",
        **overrides,
    }


def test_batch_writes_every_valid_item_and_reports_every_invalid_one(api, user):
    response = api.post(
        "/api/v1/contributions/batch",
        {
            "items": [
                item(),
                item(date="2999-01-01"),
                item(kind="no-such-kind", role="speaker"),
                item(url="javascript:alert(1)"),
                item(title="Second post", url="https://example.com/second"),
            ]
        },
        user=user,
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 400, 400, 400, 201]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert results[1]["errors"] == {"date": ["The date cannot be in the future."]}
    assert set(results[2]["errors"]) == {"kind"}
    assert set(results[3]["errors"]) == {"url"}
    assert "errors" not in results[0]
    assert sorted(Contribution.objects.values_list("pk", flat=True)) == sorted(
        [results[0]["id"], results[4]["id"]]
    )


@pytest.mark.parametrize("body", [{}, {"items": []}, {"items": [item()] * 101}])
def test_batch_refuses_no_items_or_more_than_100(api, user, body):
    assert_problem(api.post("/api/v1/contributions/batch", body, user=user), 400)
    assert Contribution.objects.count() == 0


def test_batch_of_100_is_accepted(api, user):
    items = [item(url=f"https://example.com/{i}") for i in range(100)]
    response = api.post("/api/v1/contributions/batch", {"items": items}, user=user)
    assert {r["status"] for r in response.json()["results"]} == {201}
    assert Contribution.objects.count() == 100


def test_sources_connect_fetch_and_accept_through_the_api(
    api, user, django_capture_on_commit_callbacks
):
    with LocalHTTPServer() as server:
        server.route("/feed", body=fixture("atom.xml"))
        created = api.post(
            "/api/v1/sources",
            {
                "type": "feed",
                "url": server.url("/feed"),
                "default_kind": "blog-post",
                "technology_area": "azure",
            },
            user=user,
        )
        assert created.status_code == 201, created.content
        source = created.json()
        assert source["last_status"] == "never"
        assert (source["default_kind"], source["technology_area"]) == ("blog-post", "azure")
        with django_capture_on_commit_callbacks(execute=True):
            queued = api.post(f"/api/v1/sources/{source['id']}/fetch", user=user)
        assert queued.status_code == 202
    listed = api.get("/api/v1/drafts", user=user, status="pending").json()["results"]
    assert [d["title"] for d in listed] == ["Azure Functions cold starts", "Bicep modules"]
    assert api.get(f"/api/v1/sources/{source['id']}", user=user).json()["last_status"] == "ok"

    first = listed[0]
    accepted = api.post(f"/api/v1/drafts/{first['id']}/accept", user=user)
    assert accepted.status_code == 201
    assert accepted.json()["title"] == "Azure Functions cold starts"
    assert_problem(api.post(f"/api/v1/drafts/{first['id']}/accept", user=user), 409)
    assert Contribution.objects.count() == 1
    draft = api.get("/api/v1/drafts", user=user, status="accepted").json()["results"][0]
    assert draft["contribution"] == accepted.json()["id"]

    second = listed[1]
    patched = api.patch(f"/api/v1/drafts/{second['id']}", {"title": "Bicep, my way"}, user=user)
    assert (patched.json()["title"], patched.json()["edited"]) == ("Bicep, my way", True)
    dismissed = api.post(f"/api/v1/drafts/{second['id']}/dismiss", user=user)
    assert dismissed.json()["status"] == "dismissed"
    assert_problem(api.post(f"/api/v1/drafts/{second['id']}/dismiss", user=user), 409)


def test_source_on_a_private_address_is_a_400_on_url(api, user, settings):
    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = False
    body = assert_problem(
        api.post(
            "/api/v1/sources",
            {
                "type": "feed",
                "url": "http://10.0.0.8/feed",
                "default_kind": "blog-post",
                "technology_area": "azure",
            },
            user=user,
        ),
        400,
        fields={"url"},
    )
    assert "does not fetch from" in body["errors"]["url"][0]
    assert Source.objects.count() == 0


def test_another_persons_sources_and_drafts_are_404(api, user, make_user):
    owner = ensure_contributor(user=make_user())
    source = Source.objects.create(
        contributor=owner,
        type="github",
        handle="ada",
        default_kind=kind("code-project"),
        technology_area=area("dotnet"),
    )
    draft = Draft.objects.create(
        contributor=owner,
        source=source,
        url="https://github.com/ada/x",
        canonical_url="github.com/ada/x",
        kind=source.default_kind,
        technology_area=source.technology_area,
        title="ada/x",
        date=date(2026, 1, 1),
    )
    assert_problem(api.get(f"/api/v1/sources/{source.pk}", user=user), 404)
    assert_problem(api.delete(f"/api/v1/sources/{source.pk}", user=user), 404)
    assert_problem(api.post(f"/api/v1/sources/{source.pk}/fetch", user=user), 404)
    assert_problem(api.post(f"/api/v1/drafts/{draft.pk}/accept", user=user), 404)
    assert_problem(api.patch(f"/api/v1/drafts/{draft.pk}", {"title": "Mine"}, user=user), 404)
    assert api.get("/api/v1/drafts", user=user).json()["results"] == []
    assert api.get("/api/v1/sources", user=user).json()["results"] == []
    draft.refresh_from_db()
    assert (draft.status, draft.title) == ("pending", "ada/x")


def test_patch_source_and_delete(api, user):
    created = api.post(
        "/api/v1/sources",
        {
            "type": "stackexchange",
            "site": "stackoverflow",
            "user_id": "4242",
            "default_kind": "forum-answers-third-party",
            "technology_area": "dotnet",
        },
        user=user,
    ).json()
    patched = api.patch(
        f"/api/v1/sources/{created['id']}", {"interval_hours": 6, "enabled": False}, user=user
    )
    assert (patched.json()["interval_hours"], patched.json()["enabled"]) == (6, False)
    assert_problem(
        api.patch(f"/api/v1/sources/{created['id']}", {"interval_hours": 0}, user=user), 400
    )
    assert api.delete(f"/api/v1/sources/{created['id']}", user=user).status_code == 204
    assert Source.objects.count() == 0
