"""Bad input, part 4: open redirects.

Every view that follows a redirect parameter (allauth's log-in, log-out, sign-up, password
change, re-authentication and the TOTP step; Django's language switch, also through its
Referer fallback; the admin log-in) gets hostile targets in ``next`` and its cousins
(``redirect``, ``return_to``, ...). A redirect whose Location, read as a browser reads it
(backslashes as slashes, tabs and newlines dropped), leaves this site is a failure.
"""

import re
import time
from urllib.parse import quote, urljoin, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accounts.enums import Role
from accounts.services import grant_role
from tests.factories.users import PASSWORD, UserFactory
from tests.reliability.conftest import scale

TARGETS = [
    "//evil.example",
    "//evil.example/%2F..",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/login",
    "HTTPS://EVIL.EXAMPLE",
    "https:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\/\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "\t//evil.example",
    "\n//evil.example",
    "//evil.example\\@testserver",
    "https://testserver@evil.example",
    "https://testserver.evil.example",
    "https://evil.example#@testserver",
    "https://evil.example?@testserver/",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "%2F%2Fevil.example",
    "%2f%2fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https%3A%2F%2Fevil.example",
    "//evil%2Eexample",
    "//%65vil.example",
    "/\u3002evil.example",
    "//evil\u3002example",
    "//ｅｖｉｌ.example",
]
PARAMETERS = ["next", "redirect", "redirect_to", "return_to", "continue", "url"]
SITE = "testserver"
CONTROL = re.compile(r"[\x00-\x20]")


def leaves_site(location: str) -> bool:
    """Whether a browser following ``location`` (from a page on this site) goes elsewhere."""
    seen = CONTROL.sub("", location).replace("\\", "/")
    target = urlsplit(urljoin(f"http://{SITE}/accounts/login/", seen))
    return target.scheme not in ("http", "https") or target.hostname != SITE


def test_input_redirect_detector_sees_offsite_targets():
    assert leaves_site("//evil.example")
    assert leaves_site("/\\evil.example")
    assert leaves_site(" javascript:alert(1)")
    assert leaves_site("https://evil.example/")
    assert not leaves_site("/me/window/")
    assert not leaves_site("http://testserver/")
    assert not leaves_site("/accounts/login/?next=//evil.example")


def _params(target: str) -> dict[str, str]:
    return dict.fromkeys(PARAMETERS, target)


def _query(target: str) -> str:
    return "&".join(f"{name}={quote(target, safe='%')}" for name in PARAMETERS)


def _totp_code(user) -> str:
    secret = TOTP(user.authenticator_set.get(type="totp")).instance.data["secret"]
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _flows(client, people: dict):
    """Each flow sends one target through one view and returns the responses it got."""

    def log_in(target):
        client.logout()
        return [
            client.post(
                f"/accounts/login/?{_query(target)}",
                {"login": people["plain"].email, "password": PASSWORD, **_params(target)},
            )
        ]

    def already_logged_in(target):
        client.force_login(people["plain"])
        return [client.get(f"/accounts/login/?{_query(target)}")]

    def log_out(target):
        client.force_login(people["plain"])
        return [client.post(f"/accounts/logout/?{_query(target)}", _params(target))]

    def sign_up(target):
        client.logout()
        return [
            client.post(
                f"/accounts/signup/?{_query(target)}",
                {
                    "email": f"new{abs(hash(target))}@example.com",
                    "password1": "a-very-long-password-9",
                    "password2": "a-very-long-password-9",
                    **_params(target),
                },
            )
        ]

    def password_change(target):
        client.force_login(people["plain"])
        return [
            client.post(
                f"/accounts/password/change/?{_query(target)}",
                {
                    "oldpassword": PASSWORD,
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    **_params(target),
                },
            )
        ]

    def reauthenticate(target):
        client.force_login(people["plain"])
        return [
            client.post(
                f"/accounts/reauthenticate/?{_query(target)}",
                {"password": PASSWORD, **_params(target)},
            )
        ]

    def second_factor(target):
        client.logout()
        first = client.post(
            f"/accounts/login/?{_query(target)}",
            {"login": people["staff"].email, "password": PASSWORD, **_params(target)},
        )
        second = client.post("/accounts/2fa/authenticate/", {"code": _totp_code(people["staff"])})
        return [first, second]

    def language(target):
        client.logout()
        return [client.post("/i18n/setlang/", {"language": "ko", **_params(target)})]

    def language_referer(target):
        client.logout()
        return [
            client.post(
                "/i18n/setlang/", {"language": "en"}, headers={"Referer": CONTROL.sub("", target)}
            )
        ]

    def admin_login(target):
        client.logout()
        return [client.get(f"/admin/login/?{_query(target)}")]

    return [
        log_in,
        already_logged_in,
        log_out,
        sign_up,
        password_change,
        reauthenticate,
        second_factor,
        language,
        language_referer,
        admin_login,
    ]


@pytest.fixture
def people(db):
    staff = UserFactory(email="staff.redirect@example.com")
    grant_role(user=staff, role=Role.STAFF)
    TOTP.activate(staff, generate_totp_secret())
    return {"plain": UserFactory(email="plain.redirect@example.com"), "staff": staff}


def test_input_open_redirects_never_leave_the_site(client, people, figure):
    assert len(TARGETS) >= 10
    targets = TARGETS[:: scale(3, 1)]  # a spread of 12 in `make test`, all of them in full
    flows = _flows(client, people)
    tried = 0
    redirects = 0
    offsite: list[str] = []
    for flow in flows:
        for target in targets:
            tried += 1
            for response in flow(target):
                location = response.get("Location")
                if location is None:
                    continue
                redirects += 1
                if leaves_site(location):
                    offsite.append(f"{flow.__name__} {target!r} -> {location!r}")
    figure(
        "Bad input",
        "Open redirects: redirects leaving the site",
        len(offsite),
        target="0",
        ok=not offsite,
        detail=(
            f"{len(targets)} targets x {len(flows)} views ({len(PARAMETERS)} parameter names "
            f"each): {tried} attempts, {redirects} redirects followed"
        ),
    )
    assert not offsite, offsite[:10]
    assert redirects >= tried  # every flow did redirect somewhere, so Location was checked
