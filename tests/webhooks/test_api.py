import pytest
from django.db import transaction
from django.utils import timezone

from accounts.enums import Region, Role
from tests.api.conftest import api, bearer  # noqa: F401  (fixtures)
from tests.factories.nominations import make_privileged
from webhooks.models import Endpoint
from webhooks.services import emit

pytestmark = pytest.mark.django_db


def test_crud_through_the_api(api, webhook_staff, receiver):  # noqa: F811
    created = api.post(
        "/api/v1/webhooks",
        {"url": receiver.url("/hook"), "events": ["award.granted"], "description": "CRM"},
        user=webhook_staff,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert set(body) == {"id", "url", "events", "enabled", "description", "secret"}
    path = f"/api/v1/webhooks/{body['id']}"
    read = api.get(path, user=webhook_staff).json()
    assert "secret" not in read
    assert read["events"] == ["award.granted"]
    listed = api.get("/api/v1/webhooks", user=webhook_staff).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    patched = api.patch(path, {"enabled": False, "events": ["award.revoked"]}, user=webhook_staff)
    assert patched.status_code == 200
    assert (patched.json()["enabled"], patched.json()["events"]) == (False, ["award.revoked"])
    assert api.delete(path, user=webhook_staff).status_code == 204
    assert api.get(path, user=webhook_staff).status_code == 404


def test_deliveries_through_the_api(api, webhook_staff, make_endpoint):  # noqa: F811
    endpoint, _secret = make_endpoint()
    with transaction.atomic():
        emit("award.granted", {"award_id": 9}, occurred_at=timezone.now())
    answer = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries", user=webhook_staff)
    assert answer.status_code == 200
    [row] = answer.json()["results"]
    assert row["event"] == "award.granted"
    assert row["webhook_id"].startswith("msg_")
    assert (row["attempt"], row["status_code"], row["error"], row["delivered_at"]) == (
        0,
        None,
        "",
        None,
    )
    assert row["next_attempt_at"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/", "events": ["award.granted"]}, "url"),
        ({"url": "http://127.0.0.1:9/", "events": ["award.granted"]}, "url"),
        ({"url": "http://127.0.0.1:9/", "events": ["award.sold"]}, "events"),
        ({"url": "https://no-such-host.invalid/", "events": []}, "events"),
        ({"url": "https://no-such-host.invalid/", "events": ["award.granted"]}, "url"),
        ({"url": "http://[::1/", "events": ["award.granted"]}, "url"),
        ({"url": "", "events": ["award.granted"]}, "url"),
        ({"url": "https://example.com/", "events": ["award.granted"], "secret": "x"}, "secret"),
    ],
)
def test_bad_endpoints_are_refused(api, webhook_staff, settings, body, field):  # noqa: F811
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    answer = api.post("/api/v1/webhooks", body, user=webhook_staff)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["errors"]
    assert Endpoint.objects.count() == 0


@pytest.mark.parametrize("role", [None, Role.REVIEWER, Role.REGIONAL_MANAGER])
def test_only_global_staff_use_the_webhooks_api(api, role, make_endpoint):  # noqa: F811
    endpoint, _secret = make_endpoint()
    person = (
        make_privileged(role=role, region=Region.APAC if role == Role.REGIONAL_MANAGER else "")
        if role
        else None
    )
    if person is None:
        from tests.factories.users import UserFactory

        person = UserFactory()
    for method, path in [
        ("get", "/api/v1/webhooks"),
        ("get", f"/api/v1/webhooks/{endpoint.pk}"),
        ("get", f"/api/v1/webhooks/{endpoint.pk}/deliveries"),
        ("delete", f"/api/v1/webhooks/{endpoint.pk}"),
    ]:
        assert getattr(api, method)(path, user=person).status_code == 403, path
    answer = api.post(
        "/api/v1/webhooks",
        {"url": "https://example.com/", "events": ["award.granted"]},
        user=person,
    )
    assert answer.status_code == 403
    assert Endpoint.objects.count() == 1
