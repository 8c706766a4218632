import ipaddress
import time

import pytest

from common import safe_http
from common.safe_http import FetchError, UnsafeURL, is_public_address
from tests.local_http import LocalHTTPServer


@pytest.fixture
def server():
    with LocalHTTPServer("127.0.0.1") as running:
        yield running


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address under test, not a bind)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2001:db8::1",
    ],
)
def test_is_public_address_refuses_internal_and_reserved(address):
    assert is_public_address(ipaddress.ip_address(address)) is False


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"])
def test_is_public_address_accepts_global_unicast(address):
    assert is_public_address(ipaddress.ip_address(address)) is True


@pytest.mark.parametrize(
    "url", ["ftp://example.org/feed", "file:///etc/passwd", "gopher://x/", "http:///nohost"]
)
def test_request_refuses_other_schemes_and_missing_hosts(url):
    with pytest.raises(UnsafeURL):
        safe_http.get(url, allow_private=False)


def test_request_refuses_credentials_in_the_url():
    with pytest.raises(UnsafeURL, match="user name"):
        safe_http.get("http://user:pw@example.org/", allow_private=True)


def test_request_to_loopback_is_refused_before_any_connection(server):
    server.route("/feed", body=b"secret")
    with pytest.raises(UnsafeURL, match=r"127\.0\.0\.1"):
        safe_http.get(server.url("/feed"), allow_private=False)
    assert server.requests == []


def test_a_name_with_one_internal_address_among_public_ones_is_refused(server):
    def resolver(host, port):
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("127.0.0.1")]

    with pytest.raises(UnsafeURL):
        safe_http.get(
            f"http://mixed.example.test:{server.port}/", allow_private=False, resolver=resolver
        )
    assert server.requests == []


def test_connection_goes_to_the_checked_address_with_the_name_as_host(server):
    server.route("/feed", body=b"<rss/>")

    def resolver(host, port):
        assert host == "feed.example.test"
        return [ipaddress.ip_address("127.0.0.1")]

    result = safe_http.get(
        f"http://feed.example.test:{server.port}/feed", allow_private=True, resolver=resolver
    )
    assert result.status == 200
    assert result.content == b"<rss/>"
    assert server.requests[0].headers["Host"] == f"feed.example.test:{server.port}"
    assert server.requests[0].headers["User-Agent"].startswith("mvptracker/")


def test_redirect_to_an_internal_address_is_refused_and_never_requested():
    allowed_outside = ipaddress.ip_address("127.0.0.2")  # stands in for a public host

    def allowed(address):
        return address == allowed_outside

    with LocalHTTPServer("127.0.0.2") as outside, LocalHTTPServer("127.0.0.1") as inside:
        inside.route("/admin", body=b"internal")
        outside.route("/feed", status=302, headers={"Location": inside.url("/admin")})
        with pytest.raises(UnsafeURL, match=r"127\.0\.0\.1"):
            safe_http.get(outside.url("/feed"), allow_private=False, allowed=allowed)
        assert outside.paths() == ["/feed"]
        assert inside.requests == []


def test_redirects_are_followed_up_to_the_limit(server):
    server.route("/a", status=301, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/c"})
    server.route("/c", body=b"done")
    result = safe_http.get(server.url("/a"), allow_private=True)
    assert result.content == b"done"
    assert result.url == server.url("/c")
    assert len(result.redirects) == 2


def test_redirect_loop_stops_after_five_hops(server):
    server.route("/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="More than 5 redirects"):
        safe_http.get(server.url("/loop"), allow_private=True)
    assert len(server.requests) == 6


def test_answer_larger_than_the_limit_stops_reading(server):
    server.route("/big", body=b"x" * (3 * 1024 * 1024))
    with pytest.raises(FetchError, match="larger than 2 MB"):
        safe_http.get(server.url("/big"), allow_private=True)


def test_server_slower_than_the_timeout_is_an_error_not_a_hang(server):
    server.route("/slow", body=b"late", delay=3)
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not answer"):
        safe_http.get(server.url("/slow"), allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_server_dripping_bytes_is_cut_at_the_deadline(server):
    server.route("/drip", body=b"y" * 40, chunks=20, delay=0.2)
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than"):
        safe_http.get(server.url("/drip"), allow_private=True, timeout=1, deadline=1)
    assert time.monotonic() - started < 3


def test_not_modified_answer_is_returned_with_its_status(server):
    server.route("/feed", status=304, headers={"ETag": '"v1"'})
    result = safe_http.get(
        server.url("/feed"), allow_private=True, headers={"If-None-Match": '"v1"'}
    )
    assert result.not_modified
    assert result.content == b""
    assert server.requests[0].headers["If-None-Match"] == '"v1"'


def test_post_does_not_follow_redirects(server):
    server.route("/hook", status=307, headers={"Location": "/elsewhere"})
    result = safe_http.post(server.url("/hook"), allow_private=True, content=b"{}")
    assert result.status == 307
    assert server.paths() == ["/hook"]
