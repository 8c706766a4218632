"""HEAD answers like GET (load balancers probe /healthz with HEAD)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "api",
    "awards",
    "common",
    "contributions",
    "nominations",
    "notifications",
    "ops",
)


@pytest.mark.django_db
def test_healthz_head_is_200_without_a_body(client):
    response = client.head(reverse("ops:healthz"))
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "api_tokens", "contributions:list"])
def test_signed_in_pages_answer_head_as_get(client, user, name):
    client.force_login(user)
    url = reverse(name)
    got, head = client.get(url), client.head(url)
    assert got.status_code == 200
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.django_db
def test_head_still_refuses_post_only_methods(client):
    assert client.post(reverse("ops:healthz")).status_code == 405
    assert client.put(reverse("ops:healthz")).status_code == 405


def test_no_view_allows_get_without_head():
    """require_GET answers HEAD with 405; views use require_safe, and method lists that name
    GET name HEAD too."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if "require_GET" in text:
                offenders.append(f"{path.relative_to(ROOT)}: require_GET")
            for methods in re.findall(r"require_http_methods\(\[([^\]]*)\]\)", text):
                if '"GET"' in methods and '"HEAD"' not in methods:
                    offenders.append(f"{path.relative_to(ROOT)}: [{methods}]")
    assert offenders == []
