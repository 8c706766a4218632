"""Keep ``NominationCount`` exact in the database, on every write path.

A row trigger on nominations (insert, delete, a change of status or region) moves one count
per row: the workflow, the daily expiry's ``UPDATE ... RETURNING``, the admin, queryset
updates, cascades and raw SQL are all covered. Then the counts of the existing nominations are
filled in one statement. PostgreSQL: a plpgsql function; SQLite, the embedded default: the
same as triggers.
"""

# ruff: noqa: S608 -- the SQL is built from constants of this file, never from input

from django.db import migrations

from common.migration_sql import per_vendor

COUNTS = "nominations_nominationcount"


def _add(row: str) -> str:
    # Only additions go through an upsert: PostgreSQL checks the proposed row against the
    # CHECK constraint before it looks for the conflict, so removals are UPDATEs.
    return (
        f"INSERT INTO {COUNTS} (status, region, n) VALUES ({row}.status, {row}.region, 1) "
        f"ON CONFLICT (status, region) DO UPDATE SET n = {COUNTS}.n + 1;"
    )


def _remove(row: str) -> str:
    return f"UPDATE {COUNTS} SET n = n - 1 WHERE status = {row}.status AND region = {row}.region;"


PG_FORWARD = [
    f"""
    CREATE FUNCTION nomination_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.region = NEW.region THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove("OLD")} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add("NEW")} END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER nomination_count
    AFTER INSERT OR DELETE OR UPDATE OF status, region ON nominations_nomination
    FOR EACH ROW EXECUTE FUNCTION nomination_count_row()
    """,
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS nomination_count ON nominations_nomination",
    "DROP FUNCTION IF EXISTS nomination_count_row()",
]
SQLITE_FORWARD = [
    f"""CREATE TRIGGER nomination_count_insert AFTER INSERT ON nominations_nomination
    BEGIN {_add("NEW")} END""",
    f"""CREATE TRIGGER nomination_count_delete AFTER DELETE ON nominations_nomination
    BEGIN {_remove("OLD")} END""",
    f"""CREATE TRIGGER nomination_count_update
    AFTER UPDATE OF status, region ON nominations_nomination
    WHEN OLD.status != NEW.status OR OLD.region != NEW.region
    BEGIN {_remove("OLD")} {_add("NEW")} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS nomination_count_update",
    "DROP TRIGGER IF EXISTS nomination_count_delete",
    "DROP TRIGGER IF EXISTS nomination_count_insert",
]
# The counts of the nominations as they are (set-based; the benchmark's load runs the same).
BACKFILL = [
    f"DELETE FROM {COUNTS}",
    f"""
    INSERT INTO {COUNTS} (status, region, n)
    SELECT status, region, count(*) FROM nominations_nomination GROUP BY status, region
    """,
]


class Migration(migrations.Migration):
    dependencies = [("nominations", "0004_nomination_count")]
    operations = [
        per_vendor(
            {"postgresql": PG_FORWARD + BACKFILL, "sqlite": SQLITE_FORWARD + BACKFILL},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
