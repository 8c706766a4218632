"""RSS 2.0, Atom, JSON Feed (and so blogs, podcasts, YouTube channel feeds, Dev.to, Medium,
Hashnode). XML goes to feedparser after the bytes are checked for entity declarations; JSON
Feed, which feedparser 6.0 does not read, is read here.

feedparser's strict parser is expat with external entities off, but its fallback "loose"
parser would still read a document the strict one refused; a document declaring entities (a
billion-laughs bomb, an external entity) is therefore refused before either sees it.
"""

import calendar
import json
import re
from datetime import UTC, date, datetime

import feedparser
from django.utils.translation import gettext as _

from imports.adapters.base import Item, Outcome, SourceError, clip_title, day_of, get

# A DOCTYPE with an internal subset, or any ENTITY declaration, anywhere in the document.
_DECLARES_ENTITIES = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


# feedparser's time grows faster than linearly with nesting (50,000 levels: 15 s); real feeds
# nest fewer than 20 levels. Tags inside CDATA (raw HTML in content:encoded) are not counted.
MAX_DEPTH = 200
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.DOTALL)
_TAG = re.compile(rb"<(/?)[A-Za-z_][^<>]*?(/?)>")


def check_no_entities(content: bytes) -> None:
    if _DECLARES_ENTITIES.search(content):
        raise SourceError(
            _("The feed declares XML entities or a document type, which are not accepted.")
        )


def check_depth(content: bytes) -> None:
    depth = 0
    for match in _TAG.finditer(_CDATA.sub(b"", content)):
        if match.group(1):
            depth -= 1
        elif not match.group(2):
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(_("The feed is nested too deeply to be read."))


def _entry_date(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _entry_link(entry) -> str:
    link = entry.get("link") or ""
    if not link.startswith(("http://", "https://")):
        candidate = entry.get("id") or ""
        link = candidate if candidate.startswith(("http://", "https://")) else ""
    return link[:500]


def _views(entry) -> int:
    # YouTube channel feeds carry <media:statistics views="…"> per video.
    statistics = entry.get("media_statistics") or {}
    try:
        return max(0, int(statistics.get("views", 0)))
    except (TypeError, ValueError):
        return 0


def parse_json_feed(content: bytes, *, as_of: date) -> list[Item]:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser 6.0 does not read."""
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SourceError(_("The address did not return a readable feed.")) from exc
    entries = document.get("items") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise SourceError(_("The address did not return a readable feed."))
    items = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        link = next(
            (
                str(value)[:500]
                for value in (entry.get("url"), entry.get("external_url"), entry.get("id"))
                if isinstance(value, str) and value.startswith(("http://", "https://"))
            ),
            "",
        )
        if not link:
            continue
        title = entry.get("title") or entry.get("summary") or entry.get("content_text") or ""
        day = day_of(entry.get("date_published") or entry.get("date_modified")) or as_of
        items.append(Item(url=link, title=clip_title(str(title), link), date=min(day, as_of)))
    return items


def parse(content: bytes, *, content_type: str = "", as_of: date) -> list[Item]:
    """Items of a feed document; raises SourceError when it is not a feed at all."""
    if "json" in content_type.lower() or content.lstrip()[:1] == b"{":
        return parse_json_feed(content, as_of=as_of)
    check_no_entities(content)
    check_depth(content)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(content, response_headers=headers, sanitize_html=True)
    if not parsed.entries:
        if parsed.get("bozo"):
            raise SourceError(_("The address did not return a readable feed."))
        return []
    items = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if not link:
            continue
        day = min(_entry_date(entry) or as_of, as_of)
        items.append(
            Item(
                url=link,
                title=clip_title(entry.get("title", ""), link),
                date=day,
                reach=_views(entry),
            )
        )
    return items


def fetch(source, *, as_of: date, window_start: date) -> Outcome:
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    answer = get(source.url, headers=headers)
    if answer.not_modified:
        return Outcome(not_modified=True, etag=source.etag, last_modified=source.last_modified)
    items = parse(answer.content, content_type=answer.headers.get("content-type", ""), as_of=as_of)
    return Outcome(
        items=items,
        etag=answer.headers.get("etag", "")[:200],
        last_modified=answer.headers.get("last-modified", "")[:100],
    )
