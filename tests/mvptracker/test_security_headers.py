from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

PAGES = ["home", "account_login", "account_signup", "account_reset_password"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_send_strict_security_headers(client, name):
    response = client.get(reverse(name))
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_not_found_page_also_sends_csp(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_hsts_sent_over_https_with_production_values(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("account_login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_session_cookie_is_httponly(client, user):
    from tests.factories.users import PASSWORD

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"] is True


def test_csrf_cookie_is_httponly_and_htmx_gets_the_token_from_the_page(client, user):
    """No script reads the cookie: htmx sends the token from hx-headers on <body>."""
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.cookies["csrftoken"]["httponly"] is True
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()
    for script in (ROOT / "static" / "js").glob("*.js"):
        assert "cookie" not in script.read_text().lower(), script.name


def test_language_switch_refuses_offsite_next(client):
    response = client.post(
        reverse("set_language"), {"language": "ko", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")
