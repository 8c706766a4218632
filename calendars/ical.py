"""iCalendar (RFC 5545) by hand: the feed needs all-day events only, and the rules for
those are short (escaping §3.3.11, folding at 75 octets §3.1, CRLF line ends, UID and
DTSTAMP per event), so no library is needed at run time. Tests parse the output with the
``icalendar`` package, independently."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from calendars.queries import Entry

LIMIT = 75  # octets per line, excluding the CRLF


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8
    character; continuation lines start with one space (which counts toward the 75)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > LIMIT:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def render(
    entries: Iterable[Entry], *, name: str, domain: str, base_url: str, now: datetime
) -> bytes:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape(domain)}//mvptracker calendar feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for entry in entries:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.uid}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{entry.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{entry.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(entry.summary)}",
            f"DESCRIPTION:{escape(entry.description)}",
            f"URL:{base_url}{entry.path}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
