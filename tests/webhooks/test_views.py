import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Region, Role
from tests.factories.nominations import make_privileged
from tests.factories.users import UserFactory
from webhooks.models import Delivery, Endpoint
from webhooks.services import emit

pytestmark = pytest.mark.django_db

LIST = reverse("webhooks:endpoints")
# Session, user, roles, MFA, navigation (notifications), then the page's own reads.
LIST_QUERIES = 6
DELIVERIES_QUERIES = 7


@pytest.fixture
def staff_client(client, webhook_staff):
    client.force_login(webhook_staff)
    return client


@pytest.mark.parametrize("who", ["anonymous", "member", "reviewer", "regional_manager"])
def test_webhook_pages_are_for_global_staff_only(client, who, make_endpoint):
    endpoint, _secret = make_endpoint()
    if who == "member":
        client.force_login(UserFactory())
    elif who == "reviewer":
        client.force_login(make_privileged(role=Role.REVIEWER))
    elif who == "regional_manager":
        client.force_login(make_privileged(role=Role.REGIONAL_MANAGER, region=Region.APAC))
    pages = [
        ("get", LIST),
        ("post", LIST),
        ("get", reverse("webhooks:edit", args=[endpoint.pk])),
        ("post", reverse("webhooks:delete", args=[endpoint.pk])),
        ("get", reverse("webhooks:deliveries", args=[endpoint.pk])),
    ]
    for method, url in pages:
        response = getattr(client, method)(
            url, {"url": "http://x.test/", "events": ["award.granted"]}
        )
        assert response.status_code == (302 if who == "anonymous" else 403), url
    assert Endpoint.objects.count() == 1


def test_create_shows_the_secret_once(staff_client, receiver):
    response = staff_client.post(
        LIST,
        {
            "url": receiver.url("/hook"),
            "events": ["award.granted", "award.revoked"],
            "description": "CRM",
        },
    )
    assert response.status_code == 201
    endpoint = Endpoint.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("whsec_")
    assert secret in response.content.decode()
    assert endpoint.events == ["award.granted", "award.revoked"]
    assert response["Cache-Control"].startswith("max-age=0")
    again = staff_client.get(LIST)
    assert secret not in again.content.decode()
    assert receiver.url("/hook") in again.content.decode()


def test_create_refuses_a_private_address_with_the_guard_on(staff_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    response = staff_client.post(
        LIST, {"url": "http://127.0.0.1:9/hook", "events": ["award.granted"]}
    )
    assert response.status_code == 400
    assert "private" in response.content.decode()
    assert Endpoint.objects.count() == 0


def test_an_empty_post_is_a_400_and_changes_nothing(staff_client, make_endpoint):
    endpoint, _secret = make_endpoint()
    assert staff_client.post(LIST, {}).status_code == 400
    assert staff_client.post(reverse("webhooks:edit", args=[endpoint.pk]), {}).status_code == 400
    assert list(Endpoint.objects.values_list("pk", "enabled")) == [(endpoint.pk, True)]


def test_create_needs_an_event(staff_client, receiver):
    response = staff_client.post(LIST, {"url": receiver.url("/hook")})
    assert response.status_code == 400
    assert Endpoint.objects.count() == 0


def test_edit_and_disable_then_delete(staff_client, make_endpoint, receiver):
    endpoint, _secret = make_endpoint()
    url = reverse("webhooks:edit", args=[endpoint.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url, {"url": receiver.url("/other"), "events": ["award.expired"], "description": "x"}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events, endpoint.enabled) == (
        receiver.url("/other"),
        ["award.expired"],
        False,
    )
    assert staff_client.post(reverse("webhooks:delete", args=[endpoint.pk])).status_code == 302
    assert Endpoint.objects.count() == 0


def test_list_and_deliveries_pages_take_a_fixed_number_of_queries(
    staff_client, make_endpoint, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            endpoint, _secret = make_endpoint()
        with transaction.atomic():
            for _ in range(n):
                emit("award.granted", {"award_id": 1}, occurred_at=timezone.now())
        return endpoint

    endpoint = add(1)
    with django_assert_num_queries(LIST_QUERIES):
        assert staff_client.get(LIST).status_code == 200
    deliveries = reverse("webhooks:deliveries", args=[endpoint.pk])
    with django_assert_num_queries(DELIVERIES_QUERIES):
        assert staff_client.get(deliveries).status_code == 200
    endpoint = add(4)
    with django_assert_num_queries(LIST_QUERIES):
        assert staff_client.get(LIST).status_code == 200
    deliveries = reverse("webhooks:deliveries", args=[endpoint.pk])
    with django_assert_num_queries(DELIVERIES_QUERIES):
        response = staff_client.get(deliveries)
    assert response.content.decode().count("/redeliver/") == 4
    assert Delivery.objects.filter(endpoint=endpoint).count() == 4


def test_redeliver_button_makes_the_delivery_due_again(staff_client, make_endpoint, receiver):
    make_endpoint()
    with transaction.atomic():
        emit("award.granted", {"award_id": 1}, occurred_at=timezone.now())
    Delivery.objects.update(status="failed", attempts=7, next_attempt_at=None)
    delivery = Delivery.objects.get()
    response = staff_client.post(reverse("webhooks:redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_staff_navigation_links_the_webhooks_page(staff_client, client):
    assert LIST in staff_client.get(reverse("notifications:list")).content.decode()


def test_regional_manager_navigation_has_no_webhooks_link(client):
    client.force_login(make_privileged(role=Role.REGIONAL_MANAGER, region=Region.APAC))
    assert LIST not in client.get(reverse("notifications:list")).content.decode()
