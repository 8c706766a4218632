"""Reads of the import hub. Each list is one query whatever its length."""

from dataclasses import dataclass

from common.cursors import encode_cursor
from contributions.models import Contributor
from contributions.queries import cursor_after
from imports.enums import DraftStatus
from imports.models import Draft, Source

INBOX_PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxPage:
    items: tuple[Draft, ...]
    next_cursor: str | None


def sources_for(contributor: Contributor):
    return Source.objects.filter(contributor=contributor).select_related(
        "default_kind", "technology_area"
    )


def drafts_for(contributor: Contributor, *, status: str = DraftStatus.PENDING, source_id=None):
    queryset = Draft.objects.filter(contributor=contributor, status=status)
    if source_id is not None:
        queryset = queryset.filter(source_id=source_id)
    return queryset


def inbox_page(queryset, *, cursor: str = "", page_size: int = INBOX_PAGE_SIZE) -> InboxPage:
    """Newest first by (date, id), after ``cursor``: no OFFSET, no COUNT."""
    after = cursor_after(cursor, "date") if cursor else None
    if after is not None:
        day, pk = after
        queryset = queryset.filter(date__lt=day) | queryset.filter(date=day, id__lt=pk)
    rows = list(
        queryset.select_related("kind", "technology_area", "source").order_by("-date", "-id")[
            : page_size + 1
        ]
    )
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        next_cursor = encode_cursor([rows[-1].date, rows[-1].pk])
    return InboxPage(items=tuple(rows), next_cursor=next_cursor)


def pending_count(contributor: Contributor) -> int:
    return Draft.objects.filter(contributor=contributor, status=DraftStatus.PENDING).count()
