"""Writes on sources and drafts. Views, the API, tasks and the command call these.

Deciding a draft (accept, dismiss) locks its row first, so a double click or two tabs queue on
the lock and the second sees the decision: one contribution per draft, never two."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.safe_http import FetchError, UnsafeURL, address_check, check_url
from contributions.models import Contribution, Contributor
from contributions.services import record_contribution
from contributions.validation import check_contribution_date
from imports.enums import DraftStatus, SourceType
from imports.models import Draft, Source

SOURCE_FIELDS = (
    "type",
    "url",
    "handle",
    "site",
    "user_id",
    "default_kind",
    "technology_area",
    "enabled",
    "interval_hours",
)
DRAFT_FIELDS = ("title", "date", "kind", "technology_area", "quantity", "reach", "description")


class DraftConflict(Exception):
    """The draft was already decided (accepted or dismissed)."""


def check_feed_url(url: str) -> None:
    """The address a feed source may have: http(s), and a host that resolves only to public
    addresses unless ``IMPORT_ALLOW_PRIVATE_NETWORKS`` is on. Raises ValidationError."""
    try:
        check_url(url, allowed=address_check(allow_private=settings.IMPORT_ALLOW_PRIVATE_NETWORKS))
    except UnsafeURL as exc:
        raise ValidationError(str(exc), code="unsafe") from exc
    except FetchError as exc:
        raise ValidationError(str(exc), code="unresolvable") from exc


def _clean_source(source: Source, *, check_address: bool = True) -> None:
    if source.type != SourceType.FEED:
        source.url = ""
    if source.type != SourceType.GITHUB:
        source.handle = ""
    if source.type != SourceType.STACKEXCHANGE:
        source.site = source.user_id = ""
    errors = {}
    if source.type == SourceType.FEED:
        if not source.url:
            errors["url"] = [_("Enter the feed's address.")]
        elif check_address:
            try:
                check_feed_url(source.url)
            except ValidationError as exc:
                errors["url"] = exc.messages
    if source.type == SourceType.GITHUB and not source.handle:
        errors["handle"] = [_("Enter the GitHub login.")]
    if source.type == SourceType.STACKEXCHANGE:
        if not source.site:
            errors["site"] = [_("Enter the Stack Exchange site, for example stackoverflow.")]
        if not source.user_id.isdigit():
            errors["user_id"] = [_("Enter the numeric user id from your profile's address.")]
    if errors:
        raise ValidationError(errors)
    try:
        source.full_clean(exclude=["contributor"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _save_source(source: Source, *, fields=None) -> Source:
    try:
        with transaction.atomic():
            source.save(update_fields=fields)
    except IntegrityError as exc:
        raise ValidationError({"__all__": [_("You have already connected this source.")]}) from exc
    return source


def create_source(*, contributor: Contributor, now: datetime, **fields) -> Source:
    """A new source is due at once, so its first fetch comes with the next beat run."""
    source = Source(contributor=contributor, next_fetch_at=now, **fields)
    _clean_source(source)
    return _save_source(source)


def update_source(*, source: Source, **fields) -> Source:
    """Changing the address forgets the cached validators; enabling resets the failures."""
    address_before = (source.type, source.url, source.handle, source.site, source.user_id)
    was_enabled = source.enabled
    for name, value in fields.items():
        setattr(source, name, value)
    moved = (source.type, source.url, source.handle, source.site, source.user_id) != address_before
    _clean_source(source, check_address=moved)
    if moved:
        source.etag = source.last_modified = ""
    if source.enabled and not was_enabled:
        source.consecutive_failures = 0
    return _save_source(source)


@transaction.atomic
def delete_source(*, source: Source) -> None:
    """Pending drafts go with the source; accepted and dismissed ones stay remembered."""
    source.drafts.filter(status=DraftStatus.PENDING).delete()
    source.delete()


def request_fetch(*, source: Source, now: datetime) -> None:
    """Mark the source as being fetched and queue the fetch after commit ("Fetch now")."""
    from imports.tasks import fetch_source_task

    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(fetch_queued_at=now)
        source.fetch_queued_at = now
        transaction.on_commit(lambda: _enqueue(fetch_source_task, source.pk))


def _enqueue(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # the broker is down: the beat run fetches the source when it is due
        Source.objects.filter(pk=args[0]).update(fetch_queued_at=None)


def _locked_pending(*, draft_id: int, contributor: Contributor) -> Draft:
    draft = (
        Draft.objects.select_for_update()
        .select_related("kind")
        .filter(pk=draft_id, contributor=contributor)
        .first()
    )
    if draft is None:
        raise Draft.DoesNotExist
    if draft.status != DraftStatus.PENDING:
        raise DraftConflict
    return draft


@transaction.atomic
def accept_draft(
    *, draft_id: int, contributor: Contributor, today: date, now: datetime, **overrides
) -> Contribution:
    """Record the draft as a contribution (with any fields the person changed in the form) and
    link them. Raises DraftConflict if it was already decided, ValidationError on bad fields
    (then nothing changes)."""
    draft = _locked_pending(draft_id=draft_id, contributor=contributor)
    values = {
        "kind": draft.kind,
        "technology_area": draft.technology_area,
        "title": draft.title,
        "date": draft.date,
        "url": draft.url,
        "description": draft.description,
        "quantity": draft.quantity,
        "reach": draft.reach,
        **overrides,
    }
    try:
        check_contribution_date(values["date"], today=today)
    except ValidationError as exc:
        raise ValidationError({"date": exc.messages}) from exc
    contribution = record_contribution(contributor=contributor, **values)
    draft.status = DraftStatus.ACCEPTED
    draft.contribution = contribution
    draft.decided_at = now
    draft.save(update_fields=["status", "contribution", "decided_at", "updated_at"])
    return contribution


@transaction.atomic
def dismiss_draft(*, draft_id: int, contributor: Contributor, now: datetime) -> Draft:
    draft = _locked_pending(draft_id=draft_id, contributor=contributor)
    draft.status = DraftStatus.DISMISSED
    draft.decided_at = now
    draft.save(update_fields=["status", "decided_at", "updated_at"])
    return draft


@transaction.atomic
def edit_draft(*, draft_id: int, contributor: Contributor, today: date, **fields) -> Draft:
    """Change a pending draft; it is then ``edited`` and a re-fetch leaves it alone."""
    draft = _locked_pending(draft_id=draft_id, contributor=contributor)
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise TypeError(name)
        setattr(draft, name, value)
    if "date" in fields:
        try:
            check_contribution_date(draft.date, today=today)
        except ValidationError as exc:
            raise ValidationError({"date": exc.messages}) from exc
    draft.edited = True
    draft.full_clean(exclude=["contributor", "source", "contribution", "canonical_url"])
    draft.save()
    return draft


def accept_drafts(
    *, draft_ids: list[int], contributor: Contributor, today: date, now: datetime
) -> tuple[list[Contribution], dict[int, list[str]]]:
    """Accept several drafts, each on its own: one that fails (already decided, a date now
    refused) does not stop the others. Returns the contributions and the failures by id."""
    accepted, failed = [], {}
    for draft_id in dict.fromkeys(draft_ids):
        try:
            accepted.append(
                accept_draft(draft_id=draft_id, contributor=contributor, today=today, now=now)
            )
        except (DraftConflict, Draft.DoesNotExist):
            continue
        except ValidationError as exc:
            failed[draft_id] = exc.messages
    return accepted, failed
