from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

import mvptracker
from ops.health import DATABASE_PROBE_TIMEOUT

pytestmark = pytest.mark.django_db


def test_healthz_ok_names_each_part(client, settings):
    response = client.get(reverse("ops:healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    expected_broker = "embedded" if settings.CELERY_BROKER_URL.startswith("filesystem") else "ok"
    assert body["broker"] == expected_broker
    assert body["version"] == mvptracker.__version__


def test_healthz_database_down_is_503_naming_the_database(client):
    with mock.patch("ops.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get(reverse("ops:healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_healthz_broker_down_is_503_naming_the_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("ops:healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("error: ")
    assert body["database"] == "ok"


def test_healthz_refuses_post(client):
    assert client.post(reverse("ops:healthz")).status_code == 405


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's")
def test_healthz_with_the_pool_probes_on_its_own_connection_with_a_short_timeout(
    client, monkeypatch
):
    # Behind the pool a page waits up to 10 s for a connection and the pool reconnects on its
    # own schedule after an outage; the probe must answer within DATABASE_PROBE_TIMEOUT.
    import psycopg

    attempts = []

    def refuse(**kwargs):
        attempts.append(kwargs["connect_timeout"])
        raise psycopg.OperationalError("connection refused")

    wrapper = type(connection._connections["default"])
    monkeypatch.setattr(wrapper, "pool", object())
    monkeypatch.setattr("ops.health.psycopg.connect", refuse)
    response = client.get(reverse("ops:healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
    assert attempts == [DATABASE_PROBE_TIMEOUT]
