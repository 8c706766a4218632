"""The one interface every source type implements: ``fetch(source, as_of=...) -> Outcome``.

An adapter only reads the network (through ``common.safe_http``) and turns answers into
:class:`Item` values; it never writes. A new source type (Sessionize, Discourse, Mastodon) is one
more module with a ``fetch`` function, registered in ``imports.adapters.ADAPTERS``.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

from common import safe_http
from common.safe_http import FetchError


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    date: date
    quantity: int = 1
    reach: int = 0
    description: str = ""


@dataclass(frozen=True)
class Outcome:
    items: list[Item] = field(default_factory=list)
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""


class SourceError(FetchError):
    """The answer was received but cannot be used (bad status, unreadable document)."""


def get(url: str, *, headers: dict[str, str] | None = None) -> safe_http.FetchResult:
    """A guarded GET that refuses error statuses with a message for the source's owner."""
    answer = safe_http.get(
        url,
        allow_private=settings.IMPORT_ALLOW_PRIVATE_NETWORKS,
        headers=headers or {},
        timeout=settings.IMPORT_FETCH_TIMEOUT,
    )
    if answer.status == 304:
        return answer
    if not answer.ok:
        raise SourceError(
            _("The server answered with status %(status)s.") % {"status": answer.status}
        )
    return answer


def get_json(url: str, *, headers: dict[str, str] | None = None):
    answer = get(url, headers=headers)
    try:
        return json.loads(answer.content)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SourceError(_("The answer is not valid JSON.")) from exc


def day_of(value: str | int | float | None) -> date | None:
    """A date from an ISO 8601 timestamp or a Unix time; None when absent or unreadable."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, tz=UTC).date()
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except (ValueError, OverflowError, OSError):
        return None


def clip_title(title: str, fallback: str) -> str:
    title = " ".join((title or "").split())[:200]
    return title if len(title) >= 3 else fallback[:200]
