import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from contributions.models import Contribution
from imports.enums import DraftStatus
from imports.fetching import claim_due_sources
from imports.models import Draft, Source
from imports.services import (
    DraftConflict,
    accept_draft,
    accept_drafts,
    create_source,
    delete_source,
    dismiss_draft,
    update_source,
)
from tests.factories.contributions import area, kind
from tests.imports.conftest import AS_OF, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_source, contributor):
    source = make_source(url="https://blog.example.com/feed")
    return Draft.objects.create(
        contributor=contributor,
        source=source,
        url="https://blog.example.com/post",
        canonical_url="blog.example.com/post",
        kind=source.default_kind,
        technology_area=source.technology_area,
        title="A post",
        date=date(2026, 11, 1),
    )


def test_accepting_twice_creates_one_contribution(draft, contributor):
    first = accept_draft(draft_id=draft.pk, contributor=contributor, today=AS_OF, now=NOW)
    with pytest.raises(DraftConflict):
        accept_draft(draft_id=draft.pk, contributor=contributor, today=AS_OF, now=NOW)
    assert list(Contribution.objects.values_list("pk", flat=True)) == [first.pk]
    draft.refresh_from_db()
    assert (draft.status, draft.contribution_id, draft.decided_at) == (
        DraftStatus.ACCEPTED,
        first.pk,
        NOW,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_tabs_accepting_at_once_create_one_contribution(vocabularies, draft, contributor):
    outcomes = []
    barrier = threading.Barrier(2)

    def accept():
        barrier.wait()
        try:
            accept_draft(draft_id=draft.pk, contributor=contributor, today=AS_OF, now=NOW)
            outcomes.append("accepted")
        except DraftConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "conflict"]
    assert Contribution.objects.count() == 1


def test_accept_with_overrides_and_a_bad_date_changes_nothing(draft, contributor):
    with pytest.raises(ValidationError) as refused:
        accept_draft(
            draft_id=draft.pk,
            contributor=contributor,
            today=AS_OF,
            now=NOW,
            date=AS_OF + timedelta(days=1),
        )
    assert refused.value.message_dict == {"date": ["The date cannot be in the future."]}
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PENDING
    assert Contribution.objects.count() == 0


def test_accept_selected_skips_decided_and_reports_invalid(draft, contributor):
    other = Draft.objects.create(
        contributor=contributor,
        url="https://blog.example.com/other",
        canonical_url="blog.example.com/other",
        kind=draft.kind,
        technology_area=draft.technology_area,
        title="x",  # too short for the log
        date=date(2026, 10, 1),
    )
    dismissed = Draft.objects.create(
        contributor=contributor,
        url="https://blog.example.com/gone",
        canonical_url="blog.example.com/gone",
        kind=draft.kind,
        technology_area=draft.technology_area,
        title="Gone post",
        date=date(2026, 10, 1),
    )
    dismiss_draft(draft_id=dismissed.pk, contributor=contributor, now=NOW)

    accepted, failed = accept_drafts(
        draft_ids=[draft.pk, other.pk, dismissed.pk, draft.pk],
        contributor=contributor,
        today=AS_OF,
        now=NOW,
    )

    assert [c.title for c in accepted] == ["A post"]
    assert list(failed) == [other.pk]
    assert Contribution.objects.count() == 1


def test_someone_elses_draft_cannot_be_accepted(draft, make_user):
    from contributions.services import ensure_contributor

    stranger = ensure_contributor(user=make_user())
    with pytest.raises(Draft.DoesNotExist):
        accept_draft(draft_id=draft.pk, contributor=stranger, today=AS_OF, now=NOW)
    assert Contribution.objects.count() == 0


def test_deleting_a_source_keeps_decided_drafts(draft, contributor):
    dismiss_draft(draft_id=draft.pk, contributor=contributor, now=NOW)
    pending = Draft.objects.create(
        contributor=contributor,
        source=draft.source,
        url="https://blog.example.com/p2",
        canonical_url="blog.example.com/p2",
        kind=draft.kind,
        technology_area=draft.technology_area,
        title="Pending one",
        date=date(2026, 10, 1),
    )
    delete_source(source=draft.source)
    assert list(Draft.objects.values_list("pk", "source")) == [(draft.pk, None)]
    assert not Draft.objects.filter(pk=pending.pk).exists()


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"type": "feed", "url": ""}, {"url": ["Enter the feed's address."]}),
        (
            {"type": "feed", "url": "ftp://example.com/feed"},
            {"url": ["Only http and https addresses can be fetched."]},
        ),
        ({"type": "github", "handle": ""}, {"handle": ["Enter the GitHub login."]}),
        (
            {"type": "stackexchange", "site": "stackoverflow", "user_id": "me"},
            {"user_id": ["Enter the numeric user id from your profile's address."]},
        ),
    ],
)
def test_create_source_refuses_bad_input(contributor, fields, errors):
    with pytest.raises(ValidationError) as refused:
        create_source(
            contributor=contributor,
            now=NOW,
            default_kind=kind("blog-post"),
            technology_area=area("dotnet"),
            **fields,
        )
    assert refused.value.message_dict == errors
    assert Source.objects.count() == 0


def test_the_same_source_twice_is_refused(contributor):
    values = {
        "type": "github",
        "handle": "ada",
        "default_kind": kind("code-project"),
        "technology_area": area("dotnet"),
    }
    create_source(contributor=contributor, now=NOW, **values)
    with pytest.raises(ValidationError) as refused:
        create_source(contributor=contributor, now=NOW, **values)
    assert refused.value.message_dict == {"__all__": ["You have already connected this source."]}


def test_enabling_a_paused_source_resets_its_failures(make_source):
    source = make_source(url="https://blog.example.com/feed", enabled=False)
    Source.objects.filter(pk=source.pk).update(consecutive_failures=10)
    source.refresh_from_db()
    update_source(source=source, enabled=True)
    source.refresh_from_db()
    assert (source.enabled, source.consecutive_failures) == (True, 0)


def test_due_sources_are_claimed_once_and_moved_one_interval_on(make_source):
    due = make_source(url="https://a.example.com/feed", next_fetch_at=NOW - timedelta(hours=1))
    hourly = make_source(url="https://b.example.com/feed", next_fetch_at=NOW, interval_hours=1)
    make_source(url="https://c.example.com/feed", next_fetch_at=NOW + timedelta(minutes=1))
    make_source(url="https://d.example.com/feed", next_fetch_at=NOW, enabled=False)

    assert sorted(claim_due_sources(now=NOW)) == sorted([due.pk, hourly.pk])
    assert claim_due_sources(now=NOW) == []
    due.refresh_from_db()
    hourly.refresh_from_db()
    assert due.next_fetch_at == NOW + timedelta(hours=24)
    assert hourly.next_fetch_at == NOW + timedelta(hours=1)


def test_interval_below_one_hour_is_refused_by_the_database(make_source):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_source(url="https://a.example.com/feed", interval_hours=0)


def test_deploy_check_warns_when_private_networks_are_allowed(settings, capsys):
    from imports.checks import private_networks_allowed

    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = True
    assert [w.id for w in private_networks_allowed(None)] == ["imports.W001"]
    settings.IMPORT_ALLOW_PRIVATE_NETWORKS = False
    assert private_networks_allowed(None) == []


def test_beat_schedule_queues_due_sources_hourly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["fetch-due-sources"]
    assert entry["task"] == "imports.tasks.fetch_due_sources_task"
    assert entry["schedule"].minute == {40}
    assert len(entry["schedule"].hour) == 24


def test_production_settings_keep_private_networks_off():
    from pathlib import Path

    text = Path("mvptracker/settings/production.py").read_text()
    assert "IMPORT_ALLOW_PRIVATE_NETWORKS = False" in text
