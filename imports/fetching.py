"""Fetching sources: the network outside any transaction, then one short locked transaction
that writes the drafts and the source's status. One bad source never stops the others."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from common.safe_http import FetchError
from contributions.models import Contribution
from contributions.queries import rolling_window
from contributions.services import canonical_url
from imports.adapters import ADAPTERS
from imports.adapters.base import Item, Outcome
from imports.enums import DraftStatus, SourceStatus
from imports.models import MAX_CONSECUTIVE_FAILURES, MIN_INTERVAL_HOURS, Draft, Source
from notifications.services import notify, queue_email

logger = logging.getLogger(__name__)


@dataclass
class Counts:
    sources: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0

    def add(self, other: "Counts") -> None:
        for name in ("sources", "new", "updated", "unchanged", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {
            "sources": self.sources,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


def fetch_source(*, source_id: int, as_of: date, now: datetime) -> Counts:
    """Fetch one source now (enabled or not) and record what came of it.

    Nothing raised by an adapter escapes: a refused address, a timeout, an unreadable document
    or a bug in an adapter becomes the source's ``last_error``. The tenth failure in a row
    pauses the source and tells its owner.
    """
    source = Source.objects.select_related("contributor__user").filter(pk=source_id).first()
    if source is None:
        return Counts()
    window_start = rolling_window(as_of).start
    try:
        outcome = ADAPTERS[source.type](source, as_of=as_of, window_start=window_start)
    except FetchError as exc:
        _record_failure(source_id=source.pk, message=str(exc), now=now)
        return Counts(sources=1, errors=1)
    except Exception:
        logger.exception("Import source %s failed", source.pk)
        _record_failure(source_id=source.pk, message=_("The source could not be read."), now=now)
        return Counts(sources=1, errors=1)
    counts = _record_success(source_id=source.pk, outcome=outcome, now=now, window=window_start)
    counts.sources = 1
    if counts.new:
        _tell_owner_of_new_drafts(source=source, as_of=as_of)
    return counts


@transaction.atomic
def _record_failure(*, source_id: int, message: str, now: datetime) -> None:
    source = (
        Source.objects.select_for_update().select_related("contributor__user").get(pk=source_id)
    )
    source.consecutive_failures += 1
    source.last_status = SourceStatus.ERROR
    source.last_error = message[:500]
    source.last_fetched_at = now
    source.next_fetch_at = now + source.interval
    source.fetch_queued_at = None
    paused = source.enabled and source.consecutive_failures >= MAX_CONSECUTIVE_FAILURES
    if paused:
        source.enabled = False
    source.save(
        update_fields=[
            "consecutive_failures",
            "last_status",
            "last_error",
            "last_fetched_at",
            "next_fetch_at",
            "fetch_queued_at",
            "enabled",
        ]
    )
    if paused:
        _tell_owner_of_pause(source=source)


def _tell_owner_of_pause(*, source: Source) -> None:
    user = source.contributor.user
    url = reverse("imports:sources")
    message = _(
        "Your source %(source)s failed %(count)s times in a row and was paused: %(error)s"
    ) % {"source": source.label, "count": source.consecutive_failures, "error": source.last_error}
    subject = _("An import source was paused")
    notify(recipient=user, message=message, url=url)
    queue_email(
        to=user.email,
        subject=subject,
        body=message,
        category="imports",
        dedupe_key=f"imports-paused:{source.pk}:{source.last_fetched_at:%Y-%m-%dT%H:%M}",
    )


def _tell_owner_of_new_drafts(*, source: Source, as_of: date) -> None:
    """At most once a day per person, whatever the number of sources and fetches: the
    outbox's dedupe key decides, so two workers cannot both send it."""
    user = source.contributor.user
    message = _("New contributions are waiting in your import inbox.")
    subject = _("New drafts in your import inbox")
    with transaction.atomic():
        queued = queue_email(
            to=user.email,
            subject=subject,
            body=message,
            category="imports",
            dedupe_key=f"imports-new-drafts:{user.pk}:{as_of.isoformat()}",
        )
        if queued is not None:
            notify(recipient=user, message=message, url=reverse("imports:inbox"))


@transaction.atomic
def _record_success(*, source_id: int, outcome: Outcome, now: datetime, window: date) -> Counts:
    source = Source.objects.select_for_update().get(pk=source_id)
    counts = Counts()
    if not outcome.not_modified:
        counts = upsert_drafts(source=source, items=[i for i in outcome.items if i.date > window])
        source.etag = outcome.etag
        source.last_modified = outcome.last_modified
    source.last_status = SourceStatus.NOT_MODIFIED if outcome.not_modified else SourceStatus.OK
    source.last_error = ""
    source.consecutive_failures = 0
    source.last_fetched_at = now
    source.next_fetch_at = now + source.interval
    source.fetch_queued_at = None
    source.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_status",
            "last_error",
            "consecutive_failures",
            "last_fetched_at",
            "next_fetch_at",
            "fetch_queued_at",
        ]
    )
    return counts


def upsert_drafts(*, source: Source, items: list[Item]) -> Counts:
    """New items become pending drafts; a pending, unedited draft takes the item's new title,
    date, quantity and reach; edited, accepted and dismissed drafts, and anything already in
    the log (same canonical URL and kind), are left alone. Three queries and one INSERT."""
    counts = Counts()
    kind_id = source.default_kind_id
    by_key: dict[str, Item] = {}
    for item in items:
        key = canonical_url(item.url)
        if key and key not in by_key:
            by_key[key] = item
    if not by_key:
        return counts
    keys = list(by_key)
    logged = set(
        Contribution.objects.filter(
            contributor_id=source.contributor_id, kind_id=kind_id, canonical_url__in=keys
        ).values_list("canonical_url", flat=True)
    )
    existing = {
        draft.canonical_url: draft
        for draft in Draft.objects.filter(
            contributor_id=source.contributor_id, kind_id=kind_id, canonical_url__in=keys
        )
    }
    changed, created = [], []
    for key, item in by_key.items():
        draft = existing.get(key)
        if key in logged and draft is None:
            counts.unchanged += 1
            continue
        if draft is None:
            created.append(
                Draft(
                    contributor_id=source.contributor_id,
                    source=source,
                    url=item.url,
                    canonical_url=key,
                    kind_id=kind_id,
                    technology_area_id=source.technology_area_id,
                    title=item.title,
                    date=item.date,
                    description=item.description,
                    quantity=item.quantity,
                    reach=item.reach,
                )
            )
            continue
        fresh = (item.title, item.date, item.quantity, item.reach)
        if (
            draft.status != DraftStatus.PENDING
            or draft.edited
            or fresh == (draft.title, draft.date, draft.quantity, draft.reach)
        ):
            counts.unchanged += 1
            continue
        draft.title, draft.date, draft.quantity, draft.reach = fresh
        changed.append(draft)
    if changed:
        Draft.objects.bulk_update(changed, ["title", "date", "quantity", "reach", "updated_at"])
        counts.updated = len(changed)
    if created:
        # Another fetch of the same item (a second source, a second worker) may have won the
        # race since the read above: the unique constraint keeps one, the other is skipped.
        before = Draft.objects.filter(contributor_id=source.contributor_id).count()
        Draft.objects.bulk_create(created, ignore_conflicts=True)
        counts.new = Draft.objects.filter(contributor_id=source.contributor_id).count() - before
        counts.unchanged += len(created) - counts.new
    return counts


def claim_due_sources(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of enabled sources whose next fetch is due, moved one interval on in the same
    UPDATE so a second beat run (or a slow worker) does not queue them twice."""
    with transaction.atomic():
        ids = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(enabled=True, next_fetch_at__lte=now)
            .order_by("next_fetch_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        hours = set(Source.objects.filter(pk__in=ids).values_list("interval_hours", flat=True))
        for interval in hours:
            Source.objects.filter(pk__in=ids, interval_hours=interval).update(
                next_fetch_at=now + timedelta(hours=max(interval, MIN_INTERVAL_HOURS))
            )
    return ids


def fetch_sources(*, as_of: date, now: datetime, source_id: int | None = None) -> Counts:
    """The foreground fetch (``manage.py fetch_sources``): one source, or every enabled one."""
    ids = (
        [source_id]
        if source_id is not None
        else list(Source.objects.filter(enabled=True).order_by("id").values_list("id", flat=True))
    )
    total = Counts()
    for pk in ids:
        total.add(fetch_source(source_id=pk, as_of=as_of, now=now))
    return total
