"""Keep ``ContributionDayCount`` exact in the database, on every write path.

Row triggers on the log (insert, delete, a change of date or contributor) and on a
contributor's region move one count per row; the admin, cascades, bulk inserts and raw SQL are
covered as much as the services. Then the counts of the existing log are filled in one
statement. PostgreSQL: plpgsql functions; SQLite, the embedded default: the same as triggers.
"""

# ruff: noqa: S608 -- the SQL is built from constants of this file, never from input

from django.db import migrations

from common.migration_sql import per_vendor

COUNTS = "contributions_contributiondaycount"
# Only additions go through an upsert: PostgreSQL checks the proposed row (a negative count)
# against the CHECK constraint before it looks for the conflict, so removals are UPDATEs.
UPSERT = (
    f"ON CONFLICT (day, region) DO UPDATE "
    f"SET contributions = {COUNTS}.contributions + excluded.contributions"
)


def _add(row: str) -> str:
    # "WHERE" on INSERT ... SELECT also resolves SQLite's ON CONFLICT parsing ambiguity.
    return (
        f"INSERT INTO {COUNTS} (day, region, contributions) "
        f"SELECT {row}.date, region, 1 FROM contributions_contributor "
        f"WHERE id = {row}.contributor_id {UPSERT};"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE {COUNTS} SET contributions = contributions - 1 "
        f"WHERE day = {row}.date AND region = "
        f"(SELECT region FROM contributions_contributor WHERE id = {row}.contributor_id);"
    )


# A contributor changes region: their counts move, day by day, from the old to the new one.
MOVE_REGION = f"""
    UPDATE {COUNTS} SET contributions = contributions - (
        SELECT count(*) FROM contributions_contribution
        WHERE contributor_id = OLD.id AND date = {COUNTS}.day
    )
    WHERE region = OLD.region
      AND day IN (SELECT date FROM contributions_contribution WHERE contributor_id = OLD.id);
    INSERT INTO {COUNTS} (day, region, contributions)
    SELECT date, NEW.region, count(*) FROM contributions_contribution
    WHERE contributor_id = NEW.id GROUP BY date {UPSERT};
"""

PG_FORWARD = [
    f"""
    CREATE FUNCTION contribution_day_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.date = NEW.date
           AND OLD.contributor_id = NEW.contributor_id THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove("OLD")} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add("NEW")} END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER contribution_day_count
    AFTER INSERT OR DELETE OR UPDATE OF date, contributor_id ON contributions_contribution
    FOR EACH ROW EXECUTE FUNCTION contribution_day_count_row()
    """,
    f"""
    CREATE FUNCTION contributor_region_day_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {MOVE_REGION}
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER contributor_region_day_count
    AFTER UPDATE OF region ON contributions_contributor
    FOR EACH ROW WHEN (OLD.region IS DISTINCT FROM NEW.region)
    EXECUTE FUNCTION contributor_region_day_count()
    """,
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS contributor_region_day_count ON contributions_contributor",
    "DROP TRIGGER IF EXISTS contribution_day_count ON contributions_contribution",
    "DROP FUNCTION IF EXISTS contributor_region_day_count()",
    "DROP FUNCTION IF EXISTS contribution_day_count_row()",
]
SQLITE_FORWARD = [
    f"""CREATE TRIGGER contribution_day_count_insert AFTER INSERT ON contributions_contribution
    BEGIN {_add("NEW")} END""",
    f"""CREATE TRIGGER contribution_day_count_delete AFTER DELETE ON contributions_contribution
    BEGIN {_remove("OLD")} END""",
    f"""CREATE TRIGGER contribution_day_count_update
    AFTER UPDATE OF date, contributor_id ON contributions_contribution
    WHEN OLD.date != NEW.date OR OLD.contributor_id != NEW.contributor_id
    BEGIN {_remove("OLD")} {_add("NEW")} END""",
    f"""CREATE TRIGGER contributor_region_day_count
    AFTER UPDATE OF region ON contributions_contributor WHEN OLD.region IS NOT NEW.region
    BEGIN {MOVE_REGION} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS contributor_region_day_count",
    "DROP TRIGGER IF EXISTS contribution_day_count_update",
    "DROP TRIGGER IF EXISTS contribution_day_count_delete",
    "DROP TRIGGER IF EXISTS contribution_day_count_insert",
]
# The counts of the log as it is (set-based; the same statement fills the benchmark's load).
BACKFILL = [
    f"DELETE FROM {COUNTS}",
    f"""
    INSERT INTO {COUNTS} (day, region, contributions)
    SELECT c.date, p.region, count(*)
    FROM contributions_contribution c
    JOIN contributions_contributor p ON p.id = c.contributor_id
    GROUP BY c.date, p.region
    """,
]


class Migration(migrations.Migration):
    dependencies = [("contributions", "0004_contribution_day_count")]
    operations = [
        per_vendor(
            {"postgresql": PG_FORWARD + BACKFILL, "sqlite": SQLITE_FORWARD + BACKFILL},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
