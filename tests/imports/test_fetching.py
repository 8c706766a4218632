from datetime import date

import pytest

from contributions.services import record_contribution
from imports.enums import DraftStatus, SourceStatus
from imports.fetching import fetch_source
from imports.models import Draft, Source
from imports.services import accept_draft, dismiss_draft, edit_draft
from notifications.models import Notification, OutboxEmail
from tests.factories.contributions import area, kind
from tests.imports.conftest import AS_OF, NOW, fixture

pytestmark = pytest.mark.django_db

RSS = {"Content-Type": "application/rss+xml"}


def fetch(source):
    return fetch_source(source_id=source.pk, as_of=AS_OF, now=NOW)


def titles(contributor, status=DraftStatus.PENDING):
    return sorted(
        Draft.objects.filter(contributor=contributor, status=status).values_list("title", flat=True)
    )


def test_rss_feed_fetched_twice_gives_n_drafts_not_2n(server, make_source, contributor):
    server.route("/feed", body=fixture("rss.xml"), headers=RSS)
    source = make_source(url=server.url("/feed"))

    first = fetch(source)
    second = fetch(source)

    assert first.as_dict() == {"sources": 1, "new": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert second.as_dict() == {"sources": 1, "new": 0, "updated": 0, "unchanged": 3, "errors": 0}
    assert titles(contributor) == [
        "Minimal APIs in practice",
        "Source generators, explained",
        "Tracing with OpenTelemetry",
    ]
    draft = Draft.objects.get(title="Minimal APIs in practice")
    assert draft.canonical_url == "blog.example.com/minimal-apis"
    assert draft.date == date(2026, 11, 10)
    assert draft.kind.slug == "blog-post"
    assert draft.technology_area.slug == "dotnet"
    source.refresh_from_db()
    assert source.last_status == SourceStatus.OK
    assert source.consecutive_failures == 0
    assert source.last_fetched_at == NOW


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("atom.xml", "application/atom+xml", ["Azure Functions cold starts", "Bicep modules"]),
        (
            "feed.json",
            "application/feed+json",
            ["Deno for .NET developers", "What's new in TypeScript"],
        ),
        ("youtube.xml", "application/atom+xml", ["DAX time intelligence"]),
    ],
)
def test_feed_formats_become_drafts(server, make_source, contributor, name, content_type, expected):
    server.route("/feed", body=fixture(name), headers={"Content-Type": content_type})
    counts = fetch(make_source(url=server.url("/feed")))
    assert counts.new == len(expected)
    assert titles(contributor) == expected


def test_youtube_views_are_the_reach(server, make_source):
    server.route("/feed", body=fixture("youtube.xml"))
    fetch(make_source(url=server.url("/feed"), default_kind=kind("video-webinar-podcast")))
    draft = Draft.objects.get()
    assert (draft.reach, draft.url, draft.date) == (
        1234,
        "https://www.youtube.com/watch?v=vid001",
        date(2026, 11, 2),
    )


def test_etag_is_sent_back_and_304_costs_nothing(server, make_source, contributor):
    def answer(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return 304, {}, b""
        return (
            200,
            {"ETag": '"v1"', "Last-Modified": "Tue, 10 Nov 2026 09:00:00 GMT"},
            fixture("rss.xml"),
        )

    server.route("/feed", handler=answer)
    source = make_source(url=server.url("/feed"))
    fetch(source)
    counts = fetch(source)

    assert counts.as_dict() == {"sources": 1, "new": 0, "updated": 0, "unchanged": 0, "errors": 0}
    assert server.requests[1].headers["If-None-Match"] == '"v1"'
    assert server.requests[1].headers["If-Modified-Since"] == "Tue, 10 Nov 2026 09:00:00 GMT"
    source.refresh_from_db()
    assert source.last_status == SourceStatus.NOT_MODIFIED
    assert Draft.objects.count() == 3


def test_refetch_updates_unedited_pending_title_but_never_edited_or_decided(
    server, make_source, contributor
):
    server.route("/feed", body=fixture("rss.xml"))
    source = make_source(url=server.url("/feed"))
    fetch(source)
    edited = Draft.objects.get(title="Minimal APIs in practice")
    edit_draft(draft_id=edited.pk, contributor=contributor, today=AS_OF, title="My own title")
    dismissed = Draft.objects.get(title="Tracing with OpenTelemetry")
    dismiss_draft(draft_id=dismissed.pk, contributor=contributor, now=NOW)
    renamed = fixture("rss.xml").replace(b"<title>", b"<title>v2 ")
    server.route("/feed", body=renamed)

    counts = fetch(source)

    assert counts.as_dict() == {"sources": 1, "new": 0, "updated": 1, "unchanged": 2, "errors": 0}
    assert titles(contributor) == ["My own title", "v2 Source generators, explained"]
    assert titles(contributor, DraftStatus.DISMISSED) == ["Tracing with OpenTelemetry"]


def test_dismissed_item_never_returns(server, make_source, contributor):
    server.route("/feed", body=fixture("rss.xml"))
    source = make_source(url=server.url("/feed"))
    fetch(source)
    for draft in Draft.objects.all():
        dismiss_draft(draft_id=draft.pk, contributor=contributor, now=NOW)
    second_source = make_source(url=server.url("/feed") + "?again=1")

    fetch(source)
    fetch(second_source)

    assert titles(contributor) == []
    assert Draft.objects.filter(status=DraftStatus.DISMISSED).count() == 3


def test_what_is_already_in_the_log_is_never_suggested(server, make_source, contributor):
    record_contribution(
        contributor=contributor,
        kind=kind("blog-post"),
        technology_area=area("dotnet"),
        title="Minimal APIs",
        date=date(2026, 11, 10),
        url="https://www.blog.example.com/minimal-apis/",
    )
    server.route("/feed", body=fixture("rss.xml"))

    counts = fetch(make_source(url=server.url("/feed")))

    assert counts.new == 2
    assert "Minimal APIs in practice" not in titles(contributor)


def test_accepted_draft_is_not_suggested_again_and_links_its_contribution(
    server, make_source, contributor
):
    server.route("/feed", body=fixture("rss.xml"))
    source = make_source(url=server.url("/feed"))
    fetch(source)
    draft = Draft.objects.get(title="Tracing with OpenTelemetry")
    contribution = accept_draft(draft_id=draft.pk, contributor=contributor, today=AS_OF, now=NOW)

    counts = fetch(source)

    assert counts.new == 0
    assert contribution.import_draft.source == source
    assert contribution.url == "https://blog.example.com/tracing"
    assert titles(contributor, DraftStatus.ACCEPTED) == ["Tracing with OpenTelemetry"]


def test_new_drafts_notify_the_owner_at_most_once_a_day(server, make_source, contributor):
    server.route("/feed", body=fixture("rss.xml"))
    server.route("/other", body=fixture("atom.xml"))
    fetch(make_source(url=server.url("/feed")))
    fetch(make_source(url=server.url("/other")))

    assert OutboxEmail.objects.filter(category="imports").count() == 1
    assert Notification.objects.filter(recipient=contributor.user).count() == 1


def test_one_bad_source_never_stops_the_others(server, make_source, contributor):
    server.route("/feed", body=fixture("rss.xml"))
    bad = make_source(url=server.url("/missing"))
    good = make_source(url=server.url("/feed"))
    from imports.fetching import fetch_sources

    counts = fetch_sources(as_of=AS_OF, now=NOW)

    assert counts.as_dict() == {"sources": 2, "new": 3, "updated": 0, "unchanged": 0, "errors": 1}
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.last_status, bad.last_error, bad.consecutive_failures) == (
        SourceStatus.ERROR,
        "The server answered with status 404.",
        1,
    )
    assert good.last_status == SourceStatus.OK


def test_tenth_failure_in_a_row_pauses_the_source_and_tells_the_owner(server, make_source):
    source = make_source(url=server.url("/missing"))
    Source.objects.filter(pk=source.pk).update(consecutive_failures=8)

    fetch(source)
    source.refresh_from_db()
    assert source.enabled is True
    fetch(source)
    source.refresh_from_db()

    assert (source.enabled, source.consecutive_failures) == (False, 10)
    note = Notification.objects.get(recipient=source.contributor.user)
    assert "paused" in note.message
    assert OutboxEmail.objects.filter(subject="An import source was paused").count() == 1


def test_success_resets_the_failure_count(server, make_source):
    server.route("/feed", body=fixture("rss.xml"))
    source = make_source(url=server.url("/feed"))
    Source.objects.filter(pk=source.pk).update(consecutive_failures=4, last_error="x")
    fetch(source)
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_error) == (0, "")
