"""Keep ``ActiveAwardCount`` exact in the database, on every write path.

A row trigger on awards (insert, delete, a change of status, kind, area, region or country)
moves one count per row; an award counts while its status is ``active``. The services, the
expiry jobs' ``UPDATE ... RETURNING``, queryset updates, the admin, deletes and raw SQL are all
covered, and so is a holder's move: migration 0005 copies the new region and country onto the
awards with an UPDATE, which this trigger sees. Then the counts of the existing awards are
filled in one statement. PostgreSQL: a plpgsql function; SQLite, the embedded default: the
same as triggers.

The counts must see an award's final region and country:
- PostgreSQL sets them in a BEFORE trigger, so the AFTER trigger here reads the final NEW. It
  also fires on a change of ``contributor_id`` alone: the BEFORE trigger may change region and
  country without the UPDATE naming them, and ``UPDATE OF`` looks only at the named columns.
- SQLite copies them with a second UPDATE from an AFTER trigger (``award_holder_insert``,
  ``award_holder_update``), which fires the update trigger here and moves the count from the
  values first written to the holder's. That needs the counting trigger to run first, which
  SQLite does for triggers created later (it runs a table's triggers newest first); the tests
  of every write path check the counts, so a change of that order would show there.
"""

# ruff: noqa: S608 -- the SQL is built from constants of this file, never from input

from django.db import migrations

from common.migration_sql import per_vendor

COUNTS = "awards_activeawardcount"
AWARDS = "awards_award"
KEY = "kind, region, country, technology_area_id"


def _add(row: str) -> str:
    # Only additions go through an upsert: PostgreSQL checks the proposed row against the
    # CHECK constraint before it looks for the conflict, so removals are UPDATEs. "WHERE" on
    # INSERT ... SELECT also resolves SQLite's ON CONFLICT parsing ambiguity.
    return (
        f"INSERT INTO {COUNTS} ({KEY}, n) "
        f"SELECT {row}.kind, {row}.region, {row}.country, "
        f"COALESCE({row}.technology_area_id, 0), 1 WHERE {row}.status = 'active' "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = {COUNTS}.n + 1;"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE {COUNTS} SET n = n - 1 WHERE {row}.status = 'active' "
        f"AND kind = {row}.kind AND region = {row}.region AND country = {row}.country "
        f"AND technology_area_id = COALESCE({row}.technology_area_id, 0);"
    )


def _changed(distinct: str) -> str:
    return " OR ".join(
        f"OLD.{column} {distinct} NEW.{column}"
        for column in ("status", "kind", "region", "country", "technology_area_id")
    )


PG_FORWARD = [
    f"""
    CREATE FUNCTION active_award_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NOT ({_changed("IS DISTINCT FROM")}) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove("OLD")} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add("NEW")} END IF;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE TRIGGER active_award_count
    AFTER INSERT OR DELETE
    OR UPDATE OF status, kind, region, country, technology_area_id, contributor_id ON {AWARDS}
    FOR EACH ROW EXECUTE FUNCTION active_award_count_row()
    """,
]
PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS active_award_count ON {AWARDS}",
    "DROP FUNCTION IF EXISTS active_award_count_row()",
]
SQLITE_FORWARD = [
    f"""CREATE TRIGGER active_award_count_insert AFTER INSERT ON {AWARDS}
    BEGIN {_add("NEW")} END""",
    f"""CREATE TRIGGER active_award_count_delete AFTER DELETE ON {AWARDS}
    BEGIN {_remove("OLD")} END""",
    f"""CREATE TRIGGER active_award_count_update
    AFTER UPDATE OF status, kind, region, country, technology_area_id ON {AWARDS}
    WHEN {_changed("IS NOT")}
    BEGIN {_remove("OLD")} {_add("NEW")} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS active_award_count_update",
    "DROP TRIGGER IF EXISTS active_award_count_delete",
    "DROP TRIGGER IF EXISTS active_award_count_insert",
]
# The counts of the awards as they are (set-based; the benchmark's load runs the same, after
# the holder copy of migration 0005).
BACKFILL = [
    f"DELETE FROM {COUNTS}",
    f"""
    INSERT INTO {COUNTS} ({KEY}, n)
    SELECT kind, region, country, COALESCE(technology_area_id, 0), count(*)
    FROM {AWARDS} WHERE status = 'active'
    GROUP BY kind, region, country, COALESCE(technology_area_id, 0)
    """,
]


class Migration(migrations.Migration):
    dependencies = [("awards", "0006_active_award_count")]
    operations = [
        per_vendor(
            {"postgresql": PG_FORWARD + BACKFILL, "sqlite": SQLITE_FORWARD + BACKFILL},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
