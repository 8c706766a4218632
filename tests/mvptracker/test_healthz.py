from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

import mvptracker

pytestmark = pytest.mark.django_db


def test_healthz_ok_names_each_part(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    expected_broker = "embedded" if settings.CELERY_BROKER_URL.startswith("filesystem") else "ok"
    assert body["broker"] == expected_broker
    assert body["version"] == mvptracker.__version__


def test_healthz_database_down_is_503_naming_the_database(client):
    with mock.patch("mvptracker.ops.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_healthz_broker_down_is_503_naming_the_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("error: ")
    assert body["database"] == "ok"


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405
