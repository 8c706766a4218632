"""CSV import (preview, then confirm) of a person's log; the exports are in
:mod:`contributions.exports`.

The preview is computed once from the uploaded bytes and kept server-side in a
``PendingImport`` row (never in hidden form fields); the confirm step re-validates every row it
is about to write against the log as it is then, inside one transaction.
"""

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contributions.enums import Visibility
from contributions.models import (
    MAX_QUANTITY,
    MAX_REACH,
    Contribution,
    ContributionKind,
    Contributor,
    PendingImport,
    TechnologyArea,
)
from contributions.services import canonical_url
from contributions.validation import check_contribution_date, check_http_url

MAX_IMPORT_ROWS = 5000
IMPORT_COLUMNS = [
    "kind",
    "technology_area",
    "title",
    "date",
    "url",
    "description",
    "role",
    "quantity",
    "reach",
    "visibility",
]
REQUIRED_COLUMNS = {"kind", "technology_area", "title", "date"}

WILL_IMPORT = "import"
DUPLICATE = "duplicate"
ERROR = "error"


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class ImportRow:
    line: int
    status: str
    reason: str = ""
    values: dict = field(default_factory=dict)  # cleaned values, ids for kind and area
    title: str = ""


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def importable(self) -> int:
        return self.count(WILL_IMPORT)

    def to_rows(self) -> list[dict]:
        return [asdict(row) for row in self.rows]

    @classmethod
    def from_rows(cls, rows: list[dict]) -> "ImportPreview":
        return cls(rows=[ImportRow(**row) for row in rows])


def _whole_number(raw: str | None, *, name: str, default: int, maximum: int) -> int:
    raw = (raw or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValidationError(_("%(name)s must be a whole number ≥ 0.") % {"name": name})
    value = int(raw)
    if value > maximum:
        raise ValidationError(
            _("%(name)s must be at most %(max)s.") % {"name": name, "max": maximum}
        )
    return value


def _clean_row(raw: dict, *, kinds: dict, areas: dict, today: date) -> dict:
    """The values of one CSV row ready for the model, or ValidationError with the reason."""
    kind = kinds.get((raw.get("kind") or "").strip())
    if kind is None:
        raise ValidationError(_("Unknown or inactive kind “%(v)s”.") % {"v": raw.get("kind", "")})
    area = areas.get((raw.get("technology_area") or "").strip())
    if area is None:
        raise ValidationError(
            _("Unknown or inactive technology area “%(v)s”.")
            % {"v": raw.get("technology_area", "")}
        )
    title = (raw.get("title") or "").strip()
    if not 3 <= len(title) <= 200:
        raise ValidationError(_("The title must have 3 to 200 characters."))
    try:
        day = date.fromisoformat((raw.get("date") or "").strip())
    except ValueError:
        raise ValidationError(_("The date must be written YYYY-MM-DD.")) from None
    check_contribution_date(day, today=today)
    url = (raw.get("url") or "").strip()
    if len(url) > 500:
        raise ValidationError(_("The URL is longer than 500 characters."))
    check_http_url(url)
    if url and "." not in url.split("//", 1)[-1]:
        raise ValidationError(_("Enter a web address that starts with http:// or https://."))
    description = (raw.get("description") or "").strip()
    if len(description) > 5000:
        raise ValidationError(_("The description is longer than 5000 characters."))
    role = (raw.get("role") or "").strip()
    if role and role not in kind.roles:
        raise ValidationError(_("The role “%(v)s” does not fit this kind.") % {"v": role})
    quantity = _whole_number(
        raw.get("quantity"), name=_("Quantity"), default=1, maximum=MAX_QUANTITY
    )
    reach = _whole_number(raw.get("reach"), name=_("Reach"), default=0, maximum=MAX_REACH)
    visibility = (raw.get("visibility") or Visibility.PUBLIC).strip().lower()
    if visibility not in Visibility.values:
        raise ValidationError(_("Visibility must be public or private."))
    return {
        "kind_id": kind.pk,
        "technology_area_id": area.pk,
        "title": title,
        "date": day.isoformat(),
        "url": url,
        "description": description,
        "role": role,
        "quantity": quantity,
        "reach": reach,
        "visibility": visibility,
    }


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from None
    # A NUL means a binary file (a workbook, UTF-16 text); PostgreSQL could not store its rows.
    if "\x00" in text:
        raise ImportFileError(
            _("The file contains NUL characters: it is not CSV text. Save it as “CSV UTF-8”.")
        )
    return text


def _validate_rows(
    raw_rows: list[tuple[int, dict]], *, contributor: Contributor, today: date
) -> list[ImportRow]:
    kinds = {k.slug: k for k in ContributionKind.objects.filter(is_active=True)}
    areas = {a.slug: a for a in TechnologyArea.objects.filter(is_active=True)}
    rows: list[ImportRow] = []
    for line, raw in raw_rows:
        title = (raw.get("title") or "").strip()[:200]
        try:
            values = _clean_row(raw, kinds=kinds, areas=areas, today=today)
        except ValidationError as error:
            rows.append(
                ImportRow(line=line, status=ERROR, reason=" ".join(error.messages), title=title)
            )
            continue
        rows.append(ImportRow(line=line, status=WILL_IMPORT, values=values, title=title))
    _mark_duplicates(rows, contributor=contributor)
    return rows


def _dedupe_key(values: dict) -> tuple | None:
    canonical = canonical_url(values["url"])
    if not canonical:
        return None
    return (canonical, values["date"], values["kind_id"])


def _mark_duplicates(rows: list[ImportRow], *, contributor: Contributor) -> None:
    """Same canonical URL, date and kind as an entry of the log or an earlier row of the file."""
    keys = {row.line: _dedupe_key(row.values) for row in rows if row.status == WILL_IMPORT}
    canonicals = {key[0] for key in keys.values() if key}
    existing = set()
    if canonicals:
        existing = {
            (url, day.isoformat(), kind_id)
            for url, day, kind_id in Contribution.objects.filter(
                contributor=contributor, canonical_url__in=canonicals
            ).values_list("canonical_url", "date", "kind_id")
        }
    seen: dict[tuple, int] = {}
    for row in rows:
        key = keys.get(row.line)
        if row.status != WILL_IMPORT or key is None:
            continue
        if key in existing:
            row.status, row.reason = DUPLICATE, _("Already in your log.")
        elif key in seen:
            row.status = DUPLICATE
            row.reason = _("Same URL, date and kind as line %(line)s.") % {"line": seen[key]}
        else:
            seen[key] = row.line


def preview_import(*, contributor: Contributor, data: bytes, today: date) -> ImportPreview:
    """Read a CSV upload and say, row by row, what confirming would do. Writes nothing."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise ImportFileError(
            _("The header row lacks the columns: %(cols)s.") % {"cols": ", ".join(sorted(missing))}
        )
    reader.fieldnames = header
    raw_rows: list[tuple[int, dict]] = []
    for raw in reader:
        if len(raw_rows) >= MAX_IMPORT_ROWS:
            raise ImportFileError(
                _("The file has more than 5,000 rows. Split it and import each part.")
            )
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # blank line
        raw_rows.append((reader.line_num, raw))
    if not raw_rows:
        raise ImportFileError(_("The file has no rows under its header."))
    return ImportPreview(rows=_validate_rows(raw_rows, contributor=contributor, today=today))


@transaction.atomic
def confirm_import(*, contributor: Contributor, token: str, today: date) -> int | None:
    """Write every will-import row of the person's pending preview in one transaction, after
    checking each again (vocabularies or the log may have changed since the preview), and drop
    the preview. Returns how many were written, or None when ``token`` does not name the
    pending preview (expired, replaced by a newer upload, or already confirmed)."""
    if not token or "\x00" in token:  # a NUL is never in a token, and PostgreSQL refuses it
        return None
    pending = (
        PendingImport.objects.select_for_update()  # two confirm clicks: the second finds nothing
        .filter(contributor=contributor, token=token)
        .first()
    )
    if pending is None:
        return None
    preview = ImportPreview.from_rows(pending.rows)
    pending.delete()
    kinds_by_id = {k.pk: k.slug for k in ContributionKind.objects.all()}
    areas_by_id = {a.pk: a.slug for a in TechnologyArea.objects.all()}
    raw_rows = [
        (
            row.line,
            {
                **row.values,
                "kind": kinds_by_id.get(row.values["kind_id"], ""),
                "technology_area": areas_by_id.get(row.values["technology_area_id"], ""),
                "quantity": str(row.values["quantity"]),
                "reach": str(row.values["reach"]),
            },
        )
        for row in preview.rows
        if row.status == WILL_IMPORT
    ]
    rows = _validate_rows(raw_rows, contributor=contributor, today=today)
    objects = [
        Contribution(
            contributor=contributor,
            canonical_url=canonical_url(row.values["url"]),
            **{**row.values, "date": date.fromisoformat(row.values["date"])},
        )
        for row in rows
        if row.status == WILL_IMPORT
    ]
    # In date order: each insert bumps its day's ContributionDayCount row (a trigger), so two
    # imports at once lock those rows in the same order instead of deadlocking.
    objects.sort(key=lambda contribution: contribution.date)
    Contribution.objects.bulk_create(objects, batch_size=500)
    return len(objects)


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_COLUMNS)
    writer.writerow(
        [
            "blog-post",
            "dotnet",
            "Minimal APIs in .NET 9",
            "2026-01-15",
            "https://example.com/minimal-apis",
            "A walk-through with samples",
            "author",
            "1",
            "1200",
            "public",
        ]
    )
    return out.getvalue()
