"""Bad answers and forgery attempts: each is an error on the source, quickly, and nothing is
fetched from a refused address."""

import time

import pytest
from django.core.exceptions import ValidationError

from common import safe_http
from imports.enums import SourceStatus
from imports.fetching import fetch_source
from imports.models import Draft, Source
from imports.services import create_source
from tests.factories.contributions import area, kind
from tests.imports.conftest import AS_OF, NOW, fixture
from tests.local_http import LocalHTTPServer

pytestmark = pytest.mark.django_db


def fetched(source) -> Source:
    counts = fetch_source(source_id=source.pk, as_of=AS_OF, now=NOW)
    assert counts.errors == 1
    source.refresh_from_db()
    assert source.last_status == SourceStatus.ERROR
    assert Draft.objects.count() == 0
    return source


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_entity_declarations_are_an_error_quickly(server, make_source, name):
    server.route("/feed", body=fixture(name))
    started = time.monotonic()
    source = fetched(make_source(url=server.url("/feed")))
    assert time.monotonic() - started < 5
    assert source.last_error == (
        "The feed declares XML entities or a document type, which are not accepted."
    )


@pytest.mark.parametrize(
    "body", [fixture("malformed.xml"), b"<html><body>not a feed at all", b"\x00\xff" * 50]
)
def test_malformed_documents_are_an_error_not_a_crash(server, make_source, body):
    server.route("/feed", body=body)
    source = fetched(make_source(url=server.url("/feed")))
    assert source.last_error == "The address did not return a readable feed."


def test_a_5_mb_body_is_refused(server, make_source):
    server.route("/feed", body=b"<rss>" + b" " * (5 * 1024 * 1024))
    source = fetched(make_source(url=server.url("/feed")))
    assert source.last_error == "The answer is larger than 2 MB; only smaller ones are read."


def test_a_server_slower_than_the_timeout_is_an_error(server, make_source, settings):
    settings.IMPORT_FETCH_TIMEOUT = 0.5
    server.route("/feed", body=fixture("rss.xml"), delay=2)
    started = time.monotonic()
    source = fetched(make_source(url=server.url("/feed")))
    assert time.monotonic() - started < 2
    assert source.last_error.startswith("The server did not answer within")


def test_a_redirect_loop_is_an_error(server, make_source):
    server.route("/a", status=302, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/a"})
    source = fetched(make_source(url=server.url("/a")))
    assert source.last_error == "More than 5 redirects."
    assert len(server.requests) == 6


def test_a_private_address_is_refused_when_connecting_and_nothing_is_saved(
    server, contributor, settings
):
    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = False
    server.route("/feed", body=fixture("rss.xml"))
    with pytest.raises(ValidationError) as refused:
        create_source(
            contributor=contributor,
            now=NOW,
            type="feed",
            url=server.url("/feed"),
            default_kind=kind("blog-post"),
            technology_area=area("dotnet"),
        )
    assert refused.value.message_dict["url"] == [
        "127.0.0.1 resolves to 127.0.0.1, a private, loopback, link-local or reserved "
        "address, which this server does not fetch from."
    ]
    assert Source.objects.count() == 0
    assert server.requests == []


def test_a_stored_source_on_a_private_address_fetches_nothing(server, make_source, settings):
    source = make_source(url=server.url("/feed"))
    server.route("/feed", body=fixture("rss.xml"))
    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = False
    source = fetched(source)
    assert "does not fetch from" in source.last_error
    assert server.requests == []


def test_a_redirect_to_127_0_0_1_is_refused_with_the_guard_on(make_source, settings, monkeypatch):
    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = False
    # 127.0.0.2 plays a public host; 127.0.0.1 stays what it is: loopback.
    monkeypatch.setattr(safe_http, "is_public_address", lambda address: str(address) != "127.0.0.1")
    with LocalHTTPServer("127.0.0.2") as outside, LocalHTTPServer("127.0.0.1") as inside:
        inside.route("/feed", body=fixture("rss.xml"))
        outside.route("/feed", status=302, headers={"Location": inside.url("/feed")})
        source = fetched(make_source(url=outside.url("/feed")))
    assert outside.paths() == ["/feed"]
    assert inside.requests == []
    assert "127.0.0.1" in source.last_error


def test_a_deeply_nested_document_is_an_error_quickly(server, make_source):
    server.route("/feed", body=b"<rss>" + b"<a>" * 100_000 + b"</rss>")
    started = time.monotonic()
    source = fetched(make_source(url=server.url("/feed")))
    assert time.monotonic() - started < 5
    assert source.last_error == "The feed is nested too deeply to be read."
