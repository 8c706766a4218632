"""The import hub's fetch throughput: ``fetch_sources`` over N local feed sources (one per
contributor, each answering the same 20-item RSS document from a server on 127.0.0.1) against
feedparser parsing the same bytes N times alone. One run; prints JSON.

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=mvptracker.settings.test \\
        python -m bench.imports_fetch --sources 1000

Needs a loaded benchmark database (contributors 1..N) and the test settings (which allow
private addresses, as the sources live on 127.0.0.1). The rows it adds are removed at the end.
"""

import argparse
import json
import time
from datetime import date, timedelta

import django


def feed_document(today: date, items: int = 20) -> bytes:
    entries = "".join(
        f"<item><title>Post {n}</title><link>https://blog.example.com/bench/{n}</link>"
        f"<pubDate>{(today - timedelta(days=n)).strftime('%a, %d %b %Y')} 09:00:00 GMT"
        f"</pubDate></item>"
        for n in range(items)
    )
    channel = f"<channel><title>B</title>{entries}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=1000)
    options = parser.parse_args()
    django.setup()
    import feedparser
    from django.utils import timezone

    from contributions.models import ContributionKind, Contributor, TechnologyArea
    from imports.fetching import fetch_source
    from imports.models import Draft, Source
    from tests.local_http import LocalHTTPServer

    today = timezone.localdate()
    body = feed_document(today)
    contributors = list(Contributor.objects.order_by("id").values_list("id", flat=True))
    contributors = contributors[: options.sources]
    kind = ContributionKind.objects.get(slug="blog-post")
    area = TechnologyArea.objects.filter(is_active=True).order_by("id").first()
    with LocalHTTPServer() as server:
        server.route("/feed", body=body, headers={"Content-Type": "application/rss+xml"})
        sources = Source.objects.bulk_create(
            Source(
                contributor_id=pk,
                type="feed",
                url=server.url(f"/feed?bench={pk}"),
                default_kind=kind,
                technology_area=area,
            )
            for pk in contributors
        )
        try:
            started = time.perf_counter()
            new = 0
            for source in sources:
                new += fetch_source(source_id=source.pk, as_of=today, now=timezone.now()).new
            fetch_seconds = time.perf_counter() - started
        finally:
            Draft.objects.filter(source__in=sources).delete()
            Source.objects.filter(pk__in=[s.pk for s in sources]).delete()
    started = time.perf_counter()
    parsed = sum(len(feedparser.parse(body).entries) for _ in sources)
    parse_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "sources": len(sources),
                "items": new,
                "fetch_sources_seconds": round(fetch_seconds, 2),
                "fetch_sources_items_per_second": round(new / fetch_seconds, 1),
                "feedparser_items_per_second": round(parsed / parse_seconds, 1),
                "ratio_feedparser_to_fetch": round(
                    (parsed / parse_seconds) / (new / fetch_seconds), 2
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
