"""No two active awards of the same kind and area for one person may overlap.

PostgreSQL: an exclusion constraint over the term as a closed date range (btree_gist for the
equality columns). SQLite, the embedded default: triggers that abort the same writes.
"""

from django.db import migrations

from common.migration_sql import per_vendor

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE awards_award ADD CONSTRAINT award_no_overlapping_active_terms
    EXCLUDE USING gist (
        contributor_id WITH =,
        kind WITH =,
        (COALESCE(technology_area_id, 0)) WITH =,
        daterange(starts_on, ends_on, '[]') WITH &&
    ) WHERE (status = 'active')
    """,
]
PG_BACKWARD = [
    "ALTER TABLE awards_award DROP CONSTRAINT IF EXISTS award_no_overlapping_active_terms",
]

SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'award_no_overlapping_active_terms')
    WHERE NEW.status = 'active' AND EXISTS (
        SELECT 1 FROM awards_award other
        WHERE other.id != NEW.id
          AND other.status = 'active'
          AND other.contributor_id = NEW.contributor_id
          AND other.kind = NEW.kind
          AND COALESCE(other.technology_area_id, 0) = COALESCE(NEW.technology_area_id, 0)
          AND other.starts_on <= NEW.ends_on
          AND NEW.starts_on <= other.ends_on
    );
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER award_no_overlap_insert BEFORE INSERT ON awards_award BEGIN {SQLITE_CHECK} END",
    f"CREATE TRIGGER award_no_overlap_update BEFORE UPDATE ON awards_award BEGIN {SQLITE_CHECK} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS award_no_overlap_insert",
    "DROP TRIGGER IF EXISTS award_no_overlap_update",
]


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [
        per_vendor(
            {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
