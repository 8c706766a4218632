"""Bad input, part 6: the import hub's outbound fetches.

Three figures: requests that reached a private address with the guard on (directly, by DNS
name, by the odd spellings of an address, and through a redirect from a "public" server);
crashes on a corpus of malformed, truncated and hostile documents (anything but a clean error
on the source counts); and hangs (a fetch that outlives its deadline).
"""

import random
import time

import httpx
import pytest

from common import safe_http
from imports.adapters import feed
from imports.adapters.base import SourceError
from imports.fetching import fetch_source
from imports.models import Draft, Source
from tests.imports.conftest import AS_OF, FIXTURES, NOW
from tests.local_http import LocalHTTPServer
from tests.reliability.conftest import scale

pytestmark = pytest.mark.django_db

PRIVATE_TARGETS = [
    "http://127.0.0.1:{port}/feed",
    "http://localhost:{port}/feed",
    "http://127.1:{port}/feed",
    "http://2130706433:{port}/feed",
    "http://0x7f000001:{port}/feed",
    "http://0177.0.0.1:{port}/feed",
    "http://[::1]:{port}/feed",
    "http://[::ffff:127.0.0.1]:{port}/feed",
    "http://0.0.0.0:{port}/feed",
    "http://10.0.0.1/feed",
    "http://172.16.0.1/feed",
    "http://192.168.1.1/feed",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/feed",
    "http://[fe80::1]/feed",
    "http://[fc00::1]/feed",
    "http://224.0.0.1/feed",
    "http://240.0.0.1/feed",
    "http://255.255.255.255/feed",
    "file:///etc/passwd",
    "gopher://127.0.0.1:{port}/",
    "ftp://127.0.0.1:{port}/",
]


@pytest.fixture
def contributor(user):
    from contributions.services import ensure_contributor

    return ensure_contributor(user=user)


def source_for(contributor, url: str) -> Source:
    from tests.factories.contributions import area, kind

    return Source.objects.create(
        contributor=contributor,
        type="feed",
        url=url,
        default_kind=kind("blog-post"),
        technology_area=area("dotnet"),
    )


def test_no_fetch_reaches_a_private_address(contributor, settings, monkeypatch, figure):
    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = False
    # 127.0.0.2 plays a public server that redirects; everything else keeps its real class.
    monkeypatch.setattr(
        safe_http,
        "is_public_address",
        lambda address: str(address) == "127.0.0.2",
    )
    connections = []
    real = httpx.HTTPTransport.handle_request

    def counted(self, request):
        connections.append(str(request.url))
        return real(self, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", counted)
    with LocalHTTPServer("127.0.0.1") as inside, LocalHTTPServer("127.0.0.2") as outside:
        inside.route("/feed", body=(FIXTURES / "rss.xml").read_bytes())
        targets = [t.format(port=inside.port) for t in PRIVATE_TARGETS]
        for number, target in enumerate(targets):
            outside.route(f"/r{number}", status=302, headers={"Location": target})
        cases = targets + [outside.url(f"/r{n}") for n in range(len(targets))]
        for url in cases:
            fetch_source(source_id=source_for(contributor, url).pk, as_of=AS_OF, now=NOW)
        reached = len(inside.requests) + len(
            [c for c in connections if not c.startswith("http://127.0.0.2:")]
        )
    refused = Source.objects.filter(last_status="error").count()
    figure(
        "Bad input",
        "Import fetches that reached a private address (guard on)",
        reached,
        target="0",
        ok=reached == 0,
        detail=f"{len(cases)} sources: {len(targets)} private targets, directly and by redirect",
    )
    assert reached == 0
    assert refused == len(cases)
    assert Draft.objects.count() == 0


def corpus(rng: random.Random) -> list[tuple[str, bytes]]:
    documents = []
    for path in sorted(FIXTURES.glob("*")):
        if path.suffix not in {".xml", ".json"} or path.name.startswith(("github", "stack")):
            continue
        body = path.read_bytes()
        documents.append((path.name, body))
        for cut in sorted(rng.sample(range(1, len(body)), min(len(body) - 1, scale(8, 40)))):
            documents.append((f"{path.name}[:{cut}]", body[:cut]))
        for flips in range(scale(4, 30)):
            mutated = bytearray(body)
            for _ in range(rng.randint(1, 20)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            documents.append((f"{path.name}~{flips}", bytes(mutated)))
    documents += [
        ("empty", b""),
        ("nul", b"\x00" * 1000),
        ("deep", b"<rss>" + b"<a>" * 50_000 + b"</rss>"),
        ("json-array", b"[1, 2, 3]"),
        ("json-deep", b"{" + b'"a":{' * 5000 + b"}" * 5001),
        ("json-items-not-list", b'{"version": "x", "items": {"a": 1}}'),
        ("utf16", "<rss><channel><item><title>x</title></item></channel></rss>".encode("utf-16")),
        ("param-entity", b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1/">%p;]><rss/>'),
        ("random", bytes(rng.randrange(256) for _ in range(5000))),
    ]
    return documents


def test_malformed_feed_corpus_never_crashes_or_hangs(figure):
    rng = random.Random(14)
    documents = corpus(rng)
    crashes, hangs = [], []
    for name, body in documents:
        started = time.monotonic()
        try:
            feed.parse(body, as_of=AS_OF)
        except SourceError:
            pass
        except Exception as exc:  # anything else is a crash
            crashes.append(f"{name}: {exc!r:.120}")
        if time.monotonic() - started > 5:
            hangs.append(name)
    figure(
        "Bad input",
        "Crashes on the malformed feed corpus",
        len(crashes),
        target="0",
        ok=not crashes,
        detail=f"{len(documents)} documents: fixtures, truncations, byte flips, hostile cases",
    )
    figure(
        "Bad input",
        "Feed documents parsed in more than 5 s (hangs)",
        len(hangs),
        target="0",
        ok=not hangs,
        detail=f"{len(documents)} documents",
    )
    assert not crashes, crashes[:5]
    assert not hangs, hangs


def test_hostile_servers_never_hold_a_fetch_past_its_deadline(contributor, settings, figure):
    settings.IMPORT_FETCH_TIMEOUT = 0.5
    deadline = 3 * settings.IMPORT_FETCH_TIMEOUT
    with LocalHTTPServer() as server:
        server.route("/slow", body=b"<rss/>", delay=3)
        server.route("/drip", body=b"<rss>" + b" " * 64 + b"</rss>", delay=0.3, chunks=20)
        server.route("/big", body=b"<rss>" + b" " * (5 * 1024 * 1024))
        server.route("/bomb", body=(FIXTURES / "billion_laughs.xml").read_bytes())
        server.route("/a", status=302, headers={"Location": "/b"})
        server.route("/b", status=302, headers={"Location": "/a"})
        hangs = []
        for path in ("/slow", "/drip", "/big", "/bomb", "/a"):
            source = source_for(contributor, server.url(path))
            started = time.monotonic()
            counts = fetch_source(source_id=source.pk, as_of=AS_OF, now=NOW)
            took = time.monotonic() - started
            if took > deadline + 2 or counts.errors != 1:
                hangs.append(f"{path}: {took:.1f}s, {counts.as_dict()}")
    figure(
        "Bad input",
        "Import fetches held past their deadline by a hostile server (hangs)",
        len(hangs),
        target="0",
        ok=not hangs,
        detail="slow answer, byte drip, 5 MB body, billion laughs, redirect loop",
    )
    assert not hangs, hangs
