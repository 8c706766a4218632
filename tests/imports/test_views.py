from datetime import date, timedelta

import pytest
from django.urls import reverse

from contributions.models import Contribution
from imports.enums import DraftStatus
from imports.models import Draft, Source
from tests.factories.contributions import area, kind
from tests.imports.conftest import fixture

pytestmark = pytest.mark.django_db


def make_drafts(contributor, source, n, start=date(2026, 6, 1)):
    Draft.objects.bulk_create(
        Draft(
            contributor=contributor,
            source=source,
            url=f"https://blog.example.com/{source.pk}/{i}",
            canonical_url=f"blog.example.com/{source.pk}/{i}",
            kind=source.default_kind,
            technology_area=source.technology_area,
            title=f"Post number {i}",
            date=start + timedelta(days=i % 90),
        )
        for i in range(n)
    )


def test_connect_a_feed_fetch_it_and_accept_a_post(
    client, user, server, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(date(2026, 12, 1))
    client.force_login(user)
    server.route("/feed", body=fixture("rss.xml"))
    response = client.post(
        reverse("imports:sources"),
        {
            "type": "feed",
            "url": server.url("/feed"),
            "default_kind": kind("blog-post").pk,
            "technology_area": area("dotnet").pk,
            "interval_hours": 24,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get()

    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly
        client.post(reverse("imports:source_fetch", args=[source.pk]))
    inbox = client.get(reverse("imports:inbox"))
    assert [d.title for d in inbox.context["page"].items] == [
        "Minimal APIs in practice",
        "Source generators, explained",
        "Tracing with OpenTelemetry",
    ]
    draft = Draft.objects.get(title="Minimal APIs in practice")
    client.post(reverse("imports:accept", args=[draft.pk]))
    client.post(reverse("imports:accept", args=[draft.pk]))  # a double click

    contribution = Contribution.objects.get()
    assert contribution.title == "Minimal APIs in practice"
    assert contribution.import_draft.source == source


def test_fetch_now_with_htmx_returns_the_status_partial(
    client, user, server, make_source, django_capture_on_commit_callbacks
):
    client.force_login(user)
    server.route("/feed", body=fixture("rss.xml"))
    source = make_source(url=server.url("/feed"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("imports:source_fetch", args=[source.pk]), headers={"HX-Request": "true"}
        )
    body = response.content.decode()
    assert f'id="source-status-{source.pk}"' in body
    assert 'hx-trigger="every 2s"' in body  # queued: the partial polls
    for callback in queued:
        callback()  # the worker runs the fetch
    done = client.get(reverse("imports:source_status", args=[source.pk])).content.decode()
    assert "hx-trigger" not in done
    assert "OK" in done
    assert Draft.objects.count() == 3


def test_status_partial_polls_while_a_fetch_is_queued(client, user, make_source):
    from django.utils import timezone

    client.force_login(user)
    source = make_source(url="https://blog.example.com/feed")
    Source.objects.filter(pk=source.pk).update(fetch_queued_at=timezone.now())
    body = client.get(reverse("imports:source_status", args=[source.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "Fetching…" in body


def test_sources_page_refuses_a_private_address_with_the_reason(client, user, settings):
    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = False
    client.force_login(user)
    response = client.post(
        reverse("imports:sources"),
        {
            "type": "feed",
            "url": "http://127.0.0.1:8000/feed",
            "default_kind": kind("blog-post").pk,
            "technology_area": area("dotnet").pk,
            "interval_hours": 24,
        },
    )
    assert response.status_code == 200
    assert "does not fetch from" in response.content.decode()
    assert Source.objects.count() == 0


def test_edit_through_the_prefilled_form_accepts_with_changes(client, user, make_source):
    client.force_login(user)
    source = make_source(url="https://blog.example.com/feed")
    make_drafts(user.contributor, source, 1)
    draft = Draft.objects.get()
    page = client.get(reverse("imports:edit", args=[draft.pk]))
    assert page.context["form"].initial["title"] == "Post number 0"

    client.post(
        reverse("imports:edit", args=[draft.pk]),
        {
            "kind": kind("blog-post").pk,
            "technology_area": area("dotnet").pk,
            "title": "A better title",
            "date": "2026-06-01",
            "url": draft.url,
            "quantity": "1",
            "reach": "50",
            "visibility": "public",
            "accept": "1",
        },
    )
    contribution = Contribution.objects.get()
    assert (contribution.title, contribution.reach) == ("A better title", 50)
    draft.refresh_from_db()
    assert (draft.status, draft.contribution) == (DraftStatus.ACCEPTED, contribution)


def test_save_draft_marks_it_edited(client, user, make_source):
    client.force_login(user)
    source = make_source(url="https://blog.example.com/feed")
    make_drafts(user.contributor, source, 1)
    draft = Draft.objects.get()
    client.post(
        reverse("imports:edit", args=[draft.pk]),
        {
            "kind": kind("blog-post").pk,
            "technology_area": area("dotnet").pk,
            "title": "Kept title",
            "date": "2026-06-01",
            "url": draft.url,
            "quantity": "1",
            "reach": "0",
            "visibility": "public",
            "save": "1",
        },
    )
    draft.refresh_from_db()
    assert (draft.title, draft.edited, draft.status) == ("Kept title", True, DraftStatus.PENDING)
    assert Contribution.objects.count() == 0


def test_accept_selected_and_dismiss(client, user, make_source):
    client.force_login(user)
    source = make_source(url="https://blog.example.com/feed")
    make_drafts(user.contributor, source, 3)
    first, second, third = Draft.objects.order_by("id")
    client.post(reverse("imports:accept_selected"), {"draft": [first.pk, second.pk]})
    client.post(reverse("imports:dismiss", args=[third.pk]))
    assert Contribution.objects.count() == 2
    assert sorted(Draft.objects.values_list("status", flat=True)) == [
        "accepted",
        "accepted",
        "dismissed",
    ]


def test_another_persons_drafts_and_sources_are_404(client, make_user, make_source, user):
    source = make_source(url="https://blog.example.com/feed")
    make_drafts(user.contributor, source, 1)
    draft = Draft.objects.get()
    client.force_login(make_user())
    for name, pk in (
        ("imports:accept", draft.pk),
        ("imports:dismiss", draft.pk),
        ("imports:source_fetch", source.pk),
        ("imports:source_delete", source.pk),
    ):
        assert client.post(reverse(name, args=[pk])).status_code == 404
    assert client.get(reverse("imports:edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("imports:source_edit", args=[source.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PENDING
    assert Source.objects.count() == 1


def test_inbox_query_count_does_not_grow(client, user, make_source, django_assert_num_queries):
    client.force_login(user)
    source = make_source(url="https://blog.example.com/feed")
    make_drafts(user.contributor, source, 3)
    url = reverse("imports:inbox")
    client.get(url)
    with django_assert_num_queries(7) as first:
        client.get(url)
    make_drafts(user.contributor, make_source(url="https://other.example.com/feed"), 120)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].items) == 50


def test_inbox_keyset_pages_cover_every_pending_draft_once(client, user, make_source):
    client.force_login(user)
    source = make_source(url="https://blog.example.com/feed")
    make_drafts(user.contributor, source, 120)
    seen, url = [], reverse("imports:inbox")
    while True:
        page = client.get(url).context["page"]
        seen += [d.pk for d in page.items]
        if not page.next_cursor:
            break
        url = reverse("imports:inbox") + f"?after={page.next_cursor}"
    expected = list(Draft.objects.order_by("-date", "-id").values_list("pk", flat=True))
    assert seen == expected


def test_sources_page_query_count_does_not_grow(
    client, user, make_source, django_assert_num_queries
):
    client.force_login(user)
    make_source(url="https://a.example.com/feed")
    url = reverse("imports:sources")
    client.get(url)
    with django_assert_num_queries(8) as first:
        client.get(url)
    for i in range(10):
        make_source(url=f"https://b{i}.example.com/feed")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_inbox_and_sources_are_in_the_navigation(client, user):
    client.force_login(user)
    body = client.get(reverse("imports:inbox")).content.decode()
    assert f'href="{reverse("imports:sources")}"' in body
    assert f'href="{reverse("imports:inbox")}"' in body


def test_sources_and_inbox_pages_speak_korean(client, user, make_source):
    client.force_login(user)
    make_source(url="https://blog.example.com/feed")
    headers = {"Accept-Language": "ko"}
    sources = client.get(reverse("imports:sources"), headers=headers).content.decode()
    inbox = client.get(reverse("imports:inbox"), headers=headers).content.decode()
    assert "지금 가져오기" in sources
    assert "소스 연결" in sources
    assert "받은편지함" in inbox


def test_a_fetch_queued_long_ago_stops_polling(client, user, make_source):
    from django.utils import timezone

    client.force_login(user)
    source = make_source(url="https://blog.example.com/feed")
    stale = timezone.now() - timedelta(minutes=11)
    Source.objects.filter(pk=source.pk).update(fetch_queued_at=stale)
    body = client.get(reverse("imports:source_status", args=[source.pk])).content.decode()
    assert "hx-trigger" not in body
