"""Keep ``ReviewerLoad`` exact in the database, on every write path.

Row triggers on review assignments (insert, delete, a change of reviewer or nomination), on
reviews (insert, delete, a change of reviewer or scores) and on a nomination's status (when it
opens or closes, each of its reviewers' open count moves by one); the workflow, the daily jobs,
the admin and cascades are all covered. Then the counts of the existing rows are filled in one
statement. PostgreSQL: plpgsql functions; SQLite, the embedded default: the same as triggers.
"""

# ruff: noqa: S608 -- the SQL is built from constants of this file, never from input

from django.db import migrations

from common.migration_sql import per_vendor

LOAD = "nominations_reviewerload"
OPEN = "('submitted', 'in_review')"  # nominations.enums.OPEN_STATUSES when this was written
# Only additions go through an upsert: PostgreSQL checks the proposed row (a negative count)
# against the CHECK constraint before it looks for the conflict, so removals are UPDATEs.
UPSERT = (
    f"ON CONFLICT (reviewer_id) DO UPDATE SET "
    f"open_assignments = {LOAD}.open_assignments + excluded.open_assignments, "
    f"reviews = {LOAD}.reviews + excluded.reviews, "
    f"score_total = {LOAD}.score_total + excluded.score_total"
)
COLUMNS = f"INSERT INTO {LOAD} (reviewer_id, open_assignments, reviews, score_total)"


def _score(row: str) -> str:
    return f"({row}.expertise + {row}.quality + {row}.quantity + {row}.impact)"


def _is_open(row: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM nominations_nomination "
        f"WHERE id = {row}.nomination_id AND status IN {OPEN})"
    )


# "WHERE ..." on every INSERT ... SELECT also resolves SQLite's ON CONFLICT parsing ambiguity.
def _add_assignment(row: str) -> str:
    return f"{COLUMNS} SELECT {row}.reviewer_id, 1, 0, 0 WHERE {_is_open(row)} {UPSERT};"


def _remove_assignment(row: str) -> str:
    return (
        f"UPDATE {LOAD} SET open_assignments = open_assignments - 1 "
        f"WHERE reviewer_id = {row}.reviewer_id AND {_is_open(row)};"
    )


def _add_review(row: str) -> str:
    return f"{COLUMNS} SELECT {row}.reviewer_id, 0, 1, {_score(row)} WHERE true {UPSERT};"


def _remove_review(row: str) -> str:
    return (
        f"UPDATE {LOAD} SET reviews = reviews - 1, score_total = score_total - {_score(row)} "
        f"WHERE reviewer_id = {row}.reviewer_id;"
    )


# A nomination opens or closes: each of its reviewers' open count moves by one.
NOMINATION_STATUS = f"""
    {COLUMNS} SELECT reviewer_id, 1, 0, 0 FROM nominations_reviewassignment
    WHERE nomination_id = NEW.id AND NEW.status IN {OPEN} {UPSERT};
    UPDATE {LOAD} SET open_assignments = open_assignments - 1
    WHERE NEW.status NOT IN {OPEN} AND reviewer_id IN (
        SELECT reviewer_id FROM nominations_reviewassignment WHERE nomination_id = NEW.id
    );
"""
OPENNESS_CHANGED = f"(OLD.status IN {OPEN}) != (NEW.status IN {OPEN})"

PG_FORWARD = [
    f"""
    CREATE FUNCTION reviewer_load_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.reviewer_id = NEW.reviewer_id
           AND OLD.nomination_id = NEW.nomination_id THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove_assignment("OLD")} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add_assignment("NEW")} END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER reviewer_load_assignment
    AFTER INSERT OR DELETE OR UPDATE OF reviewer_id, nomination_id
    ON nominations_reviewassignment
    FOR EACH ROW EXECUTE FUNCTION reviewer_load_assignment()
    """,
    f"""
    CREATE FUNCTION reviewer_load_review() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.reviewer_id = NEW.reviewer_id
           AND {_score("OLD")} = {_score("NEW")} THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove_review("OLD")} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add_review("NEW")} END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER reviewer_load_review
    AFTER INSERT OR DELETE OR UPDATE OF reviewer_id, expertise, quality, quantity, impact
    ON nominations_review
    FOR EACH ROW EXECUTE FUNCTION reviewer_load_review()
    """,
    f"""
    CREATE FUNCTION reviewer_load_nomination() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {NOMINATION_STATUS}
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE TRIGGER reviewer_load_nomination
    AFTER UPDATE OF status ON nominations_nomination
    FOR EACH ROW WHEN ({OPENNESS_CHANGED})
    EXECUTE FUNCTION reviewer_load_nomination()
    """,
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS reviewer_load_nomination ON nominations_nomination",
    "DROP TRIGGER IF EXISTS reviewer_load_review ON nominations_review",
    "DROP TRIGGER IF EXISTS reviewer_load_assignment ON nominations_reviewassignment",
    "DROP FUNCTION IF EXISTS reviewer_load_nomination()",
    "DROP FUNCTION IF EXISTS reviewer_load_review()",
    "DROP FUNCTION IF EXISTS reviewer_load_assignment()",
]
SQLITE_FORWARD = [
    f"""CREATE TRIGGER reviewer_load_assignment_insert
    AFTER INSERT ON nominations_reviewassignment BEGIN {_add_assignment("NEW")} END""",
    f"""CREATE TRIGGER reviewer_load_assignment_delete
    AFTER DELETE ON nominations_reviewassignment BEGIN {_remove_assignment("OLD")} END""",
    f"""CREATE TRIGGER reviewer_load_assignment_update
    AFTER UPDATE OF reviewer_id, nomination_id ON nominations_reviewassignment
    WHEN OLD.reviewer_id != NEW.reviewer_id OR OLD.nomination_id != NEW.nomination_id
    BEGIN {_remove_assignment("OLD")} {_add_assignment("NEW")} END""",
    f"""CREATE TRIGGER reviewer_load_review_insert
    AFTER INSERT ON nominations_review BEGIN {_add_review("NEW")} END""",
    f"""CREATE TRIGGER reviewer_load_review_delete
    AFTER DELETE ON nominations_review BEGIN {_remove_review("OLD")} END""",
    f"""CREATE TRIGGER reviewer_load_review_update
    AFTER UPDATE OF reviewer_id, expertise, quality, quantity, impact ON nominations_review
    WHEN OLD.reviewer_id != NEW.reviewer_id OR {_score("OLD")} != {_score("NEW")}
    BEGIN {_remove_review("OLD")} {_add_review("NEW")} END""",
    f"""CREATE TRIGGER reviewer_load_nomination
    AFTER UPDATE OF status ON nominations_nomination WHEN {OPENNESS_CHANGED}
    BEGIN {NOMINATION_STATUS} END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "reviewer_load_nomination",
        "reviewer_load_review_update",
        "reviewer_load_review_delete",
        "reviewer_load_review_insert",
        "reviewer_load_assignment_update",
        "reviewer_load_assignment_delete",
        "reviewer_load_assignment_insert",
    )
]
# The counts of the rows as they are (set-based; the benchmark's load runs the same).
BACKFILL = [
    f"DELETE FROM {LOAD}",
    f"""
    {COLUMNS}
    SELECT reviewer_id, sum(open_n), sum(review_n), sum(score)
    FROM (
        SELECT a.reviewer_id, count(*) AS open_n, 0 AS review_n, 0 AS score
        FROM nominations_reviewassignment a
        JOIN nominations_nomination n ON n.id = a.nomination_id
        WHERE n.status IN {OPEN}
        GROUP BY a.reviewer_id
        UNION ALL
        SELECT reviewer_id, 0, count(*), sum(expertise + quality + quantity + impact)
        FROM nominations_review
        GROUP BY reviewer_id
    ) AS per_reviewer
    GROUP BY reviewer_id
    """,
]


class Migration(migrations.Migration):
    dependencies = [("nominations", "0002_reviewer_load")]
    operations = [
        per_vendor(
            {"postgresql": PG_FORWARD + BACKFILL, "sqlite": SQLITE_FORWARD + BACKFILL},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
