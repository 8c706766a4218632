"""CSV and JSON export of a person's log and profile (data portability). Every CSV cell goes
through :func:`common.spreadsheets.formula_safe`."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder

from common.spreadsheets import formula_safe
from contributions.models import Contribution, Contributor
from contributions.portability import IMPORT_COLUMNS

EXPORT_COLUMNS = [
    *IMPORT_COLUMNS,
    "target_audience",
    "verified",
    "created_at",
]


def _contribution_rows(contributor: Contributor):
    queryset = (
        Contribution.objects.for_contributor(contributor)
        .select_related("kind", "technology_area")
        .order_by("date", "id")
    )
    for c in queryset.iterator(chunk_size=2000):
        yield {
            "kind": c.kind.slug,
            "technology_area": c.technology_area.slug,
            "title": c.title,
            "date": c.date.isoformat(),
            "url": c.url,
            "description": c.description,
            "role": c.role,
            "quantity": c.quantity,
            "reach": c.reach,
            "visibility": c.visibility,
            "target_audience": c.target_audience,
            "verified": bool(c.verified_at),
            "created_at": c.created_at.isoformat(),
        }


def profile_data(contributor: Contributor) -> dict:
    return {
        "handle": contributor.handle,
        "display_name": contributor.display_name,
        "email": contributor.user.email,
        "country": str(contributor.country or ""),
        "region": contributor.region,
        "languages": contributor.languages,
        "primary_area": contributor.primary_area.slug if contributor.primary_area else "",
        "additional_areas": [a.slug for a in contributor.additional_areas.all()],
        "employer_category": contributor.employer_category,
        "employer_name": contributor.employer_name,
        "date_of_birth": contributor.date_of_birth.isoformat() if contributor.date_of_birth else "",
        "bio": contributor.bio,
        "links": contributor.links,
        "is_public": contributor.is_public,
        "timezone": contributor.user.timezone,
    }


def export_csv(contributor: Contributor) -> str:
    """The log as CSV (import-compatible columns first), then the profile as field/value rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in _contribution_rows(contributor):
        writer.writerow([formula_safe(row[name]) for name in EXPORT_COLUMNS])
    return out.getvalue()


def export_profile_csv(contributor: Contributor) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["field", "value"])
    for name, value in profile_data(contributor).items():
        if isinstance(value, list):
            value = "; ".join(value)
        writer.writerow([name, formula_safe(value)])
    return out.getvalue()


def export_json(contributor: Contributor) -> str:
    return json.dumps(
        {
            "profile": profile_data(contributor),
            "contributions": list(_contribution_rows(contributor)),
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )
