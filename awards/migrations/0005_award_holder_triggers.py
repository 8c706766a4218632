"""Keep an award's ``region`` and ``country`` equal to its contributor's, on every write path.

An award takes its holder's values when it is inserted or moved to another contributor; a
contributor's change of region or country is copied to their awards; a contributor inserted
after its awards in one transaction (foreign keys are deferred, as in ``loaddata``) fills
them in. Services, the admin, bulk inserts, imports and raw SQL are all covered. Then the
existing awards are filled in one statement. PostgreSQL: plpgsql functions; SQLite, the
embedded default: the same as triggers.

The copies are not guarded against being written directly (``update(region=...)``), like the
counts of ``ContributionDayCount``: they are the database's to write.
"""

# ruff: noqa: S608 -- the SQL is built from constants of this file, never from input

from django.db import migrations

from common.migration_sql import per_vendor

AWARDS = "awards_award"
CONTRIBUTORS = "contributions_contributor"
# A contributor's new values onto their awards (only those that differ: each UPDATE of an
# award also runs SQLite's no-overlap check of migration 0002).
COPY_TO_AWARDS = f"""
    UPDATE {AWARDS} SET region = NEW.region, country = NEW.country
    WHERE contributor_id = NEW.id
      AND (region IS DISTINCT FROM NEW.region OR country IS DISTINCT FROM NEW.country);
"""

PG_FORWARD = [
    # FOR SHARE: a concurrent change of the contributor's region waits for this insert to
    # commit, then its trigger sees the award; a change already under way is waited for and
    # read. Without it, either could commit the old values (foreign keys are checked only at
    # commit, and their KEY SHARE lock does not conflict with a change of other columns).
    f"""
    CREATE FUNCTION award_holder_from_contributor() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        holder record;
    BEGIN
        SELECT region, country INTO holder FROM {CONTRIBUTORS}
        WHERE id = NEW.contributor_id FOR SHARE;
        IF FOUND THEN  -- otherwise the contributor's insert trigger fills them in
            NEW.region := holder.region;
            NEW.country := holder.country;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER award_holder
    BEFORE INSERT OR UPDATE OF contributor_id ON {AWARDS}
    FOR EACH ROW EXECUTE FUNCTION award_holder_from_contributor()
    """,
    f"""
    CREATE FUNCTION contributor_award_holder() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {COPY_TO_AWARDS}
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE TRIGGER contributor_award_holder
    AFTER UPDATE OF region, country ON {CONTRIBUTORS}
    FOR EACH ROW
    WHEN (OLD.region IS DISTINCT FROM NEW.region OR OLD.country IS DISTINCT FROM NEW.country)
    EXECUTE FUNCTION contributor_award_holder()
    """,
    f"""
    CREATE TRIGGER contributor_award_holder_insert
    AFTER INSERT ON {CONTRIBUTORS}
    FOR EACH ROW EXECUTE FUNCTION contributor_award_holder()
    """,
]
PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS contributor_award_holder_insert ON {CONTRIBUTORS}",
    f"DROP TRIGGER IF EXISTS contributor_award_holder ON {CONTRIBUTORS}",
    f"DROP TRIGGER IF EXISTS award_holder ON {AWARDS}",
    "DROP FUNCTION IF EXISTS contributor_award_holder()",
    "DROP FUNCTION IF EXISTS award_holder_from_contributor()",
]

# SQLite triggers cannot assign NEW: the row is updated after its insert instead.
SQLITE_HOLDER_DIFFERS = f"""
    EXISTS (
        SELECT 1 FROM {CONTRIBUTORS} AS c WHERE c.id = NEW.contributor_id
        AND (c.region IS NOT NEW.region OR c.country IS NOT NEW.country)
    )
"""
SQLITE_COPY_FROM_HOLDER = f"""
    UPDATE {AWARDS} SET
        region = (SELECT region FROM {CONTRIBUTORS} WHERE id = NEW.contributor_id),
        country = (SELECT country FROM {CONTRIBUTORS} WHERE id = NEW.contributor_id)
    WHERE id = NEW.id;
"""
SQLITE_COPY_TO_AWARDS = COPY_TO_AWARDS.replace("IS DISTINCT FROM", "IS NOT")
SQLITE_FORWARD = [
    f"""CREATE TRIGGER award_holder_insert AFTER INSERT ON {AWARDS}
    WHEN {SQLITE_HOLDER_DIFFERS}
    BEGIN {SQLITE_COPY_FROM_HOLDER} END""",
    f"""CREATE TRIGGER award_holder_update AFTER UPDATE OF contributor_id ON {AWARDS}
    WHEN {SQLITE_HOLDER_DIFFERS}
    BEGIN {SQLITE_COPY_FROM_HOLDER} END""",
    f"""CREATE TRIGGER contributor_award_holder AFTER UPDATE OF region, country ON {CONTRIBUTORS}
    WHEN OLD.region IS NOT NEW.region OR OLD.country IS NOT NEW.country
    BEGIN {SQLITE_COPY_TO_AWARDS} END""",
    f"""CREATE TRIGGER contributor_award_holder_insert AFTER INSERT ON {CONTRIBUTORS}
    BEGIN {SQLITE_COPY_TO_AWARDS} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS contributor_award_holder_insert",
    "DROP TRIGGER IF EXISTS contributor_award_holder",
    "DROP TRIGGER IF EXISTS award_holder_update",
    "DROP TRIGGER IF EXISTS award_holder_insert",
]
# The holders' values onto the awards as they are (set-based; the same statement fills the
# benchmark's load, whose replica mode keeps the triggers off). UPDATE ... FROM: PostgreSQL,
# SQLite 3.33+.
BACKFILL = [
    f"""
    UPDATE {AWARDS} SET region = c.region, country = c.country
    FROM {CONTRIBUTORS} AS c
    WHERE c.id = {AWARDS}.contributor_id
      AND ({AWARDS}.region <> c.region OR {AWARDS}.country <> c.country)
    """,
]


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_award_holder_region_country")]
    operations = [
        per_vendor(
            {"postgresql": PG_FORWARD + BACKFILL, "sqlite": SQLITE_FORWARD + BACKFILL},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
