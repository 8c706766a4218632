"""Nominations, endorsements, invitations, reviewer assignments and reviews for the benchmark.

Set-based like :mod:`bench.load`: a handful of INSERT ... SELECT over generate_series. Every
status occurs; exactly 1% of the nominations are open and past ``decision_due`` on the as-of
date (and only their review assignments are overdue), so the daily jobs find 1% due.

Constraints respected by construction: nomination ``i`` has candidate contributor
``i * 13 % n + 1`` (distinct for i <= n / 5 because 13 and n are coprime at every scale we
use), so the open-per-candidate-and-area index never collides; awarded nominations each take
their own MVP award (candidate, category and term from that award); scores are 1..5; one
assignment and one review per reviewer and nomination; reviewers are never nominators,
endorsers or candidates (they are separate users).
"""

from datetime import date

from bench.load import REGIONS

# i % 10 → status of the nominations that are not due (the first 1% are due and open).
STATUS_BY_REMAINDER = [
    "submitted",
    "submitted",
    "in_review",
    "in_review",
    "in_review",
    "awarded",
    "declined",
    "declined",
    "expired",
    "withdrawn",
]
REVIEWERS_PER_NOMINATION = 3


def reviewer_count(contributors: int) -> int:
    """A panel of a few hundred reviewers, the same at every scale from S up (a program does
    not grow its panel with its contributors), fewer for the tiny smoke-test scales."""
    return max(REVIEWERS_PER_NOMINATION + 1, min(300, contributors // 333))


def load(conn, *, scale, as_of: date) -> None:
    run = conn.execute
    n = scale.contributors
    total = scale.nominations
    due = total // 100
    reviewers = reviewer_count(n)
    day = f"DATE '{as_of.isoformat()}'"
    categories = [
        row[0]
        for row in run(
            "SELECT id FROM contributions_technologyarea WHERE parent_id IS NULL ORDER BY id"
        )
    ]
    cat_array = "ARRAY[" + ",".join(map(str, categories)) + "]"
    status_array = "ARRAY[" + ",".join(f"'{s}'" for s in STATUS_BY_REMAINDER) + "]"
    region_array = "ARRAY[" + ",".join(f"'{r}'" for r in REGIONS) + "]"
    first_reviewer = (run("SELECT max(id) FROM users_user").fetchone()[0] or 0) + 1
    first_profile = (run("SELECT max(id) FROM contributions_contributor").fetchone()[0] or 0) + 1

    # Reviewers: separate users with a contributor profile (as the signal would give them)
    # and the reviewer role.
    run(f"""
        INSERT INTO users_user (id, password, last_login, is_superuser, email, is_active,
                                is_staff, date_joined, timezone)
        SELECT {first_reviewer} + r, '!', NULL, false, 'bench-reviewer-' || r || '@example.com',
               true, false, now(), 'UTC'
        FROM generate_series(0, {reviewers - 1}) AS r
    """)
    run(f"""
        INSERT INTO contributions_contributor (id, user_id, handle, display_name, country,
            region, languages, primary_area_id, employer_category, employer_name,
            date_of_birth, bio, links, is_public, created_at, updated_at)
        SELECT {first_profile} + r, {first_reviewer} + r, 'bench-reviewer-' || r,
               'Bench Reviewer ' || r, 'US', 'americas', '["en"]'::jsonb, NULL,
               'independent', 'Reviewer Co ' || r, NULL, '', '[]'::jsonb, false, now(), now()
        FROM generate_series(0, {reviewers - 1}) AS r
    """)
    run(f"""
        INSERT INTO users_rolegrant (user_id, role, region, granted_by_id, granted_at)
        SELECT {first_reviewer} + r, 'reviewer', '', NULL, now()
        FROM generate_series(0, {reviewers - 1}) AS r
    """)

    # Every nomination but the awarded ones (those come from their award below).
    run(f"""
        INSERT INTO nominations_nomination (candidate_id, candidate_email, candidate_name,
            technology_area_id, source, nominated_by_id, reason, evidence_urls, status, region,
            submitted_at, decision_due, candidate_completed_at, decided_at, decided_by_id,
            decision_reason, award_id)
        SELECT CASE WHEN status = 'submitted' AND i % 2 = 0 THEN NULL ELSE c END,
               'bench' || c || '@example.com', 'Bench Person ' || c,
               ({cat_array})[1 + i % {len(categories)}],
               (ARRAY['mvp', 'self', 'staff'])[1 + i % 3],
               CASE WHEN i % 3 = 1 THEN c ELSE (i * 7) % {n} + 1 END,
               'Nominated for sustained community work (' || i || ').',
               '["https://example.com/evidence"]'::jsonb,
               status, ({region_array})[1 + c % {len(REGIONS)}],
               (decision_due - interval '3 months')::date + time '09:00' AT TIME ZONE 'UTC',
               decision_due,
               CASE WHEN status = 'submitted' AND i % 2 = 0 THEN NULL
                    ELSE (decision_due - interval '80 days')::date + time '10:00'
                         AT TIME ZONE 'UTC' END,
               CASE WHEN status IN ('submitted', 'in_review') THEN NULL
                    ELSE (decision_due - interval '10 days')::date + time '12:00'
                         AT TIME ZONE 'UTC' END,
               NULL,
               CASE WHEN status IN ('submitted', 'in_review') THEN '' ELSE 'Bench decision' END,
               NULL
        FROM (
            SELECT i, (i * 13) % {n} + 1 AS c,
                   CASE WHEN i <= {due} THEN (ARRAY['submitted', 'in_review'])[1 + i % 2]
                        ELSE ({status_array})[1 + i % 10] END AS status,
                   CASE WHEN i <= {due} THEN {day} - 1 - (i % 30)
                        WHEN ({status_array})[1 + i % 10] IN ('submitted', 'in_review')
                            THEN {day} + (i % 85)
                        ELSE {day} - 1 - (i % 365) END AS decision_due
            FROM generate_series(1, {total}) AS i
        ) AS rows
        WHERE status <> 'awarded'
        ORDER BY i
    """)
    # Awarded: one per MVP award (the award's holder, category and term); as many as the
    # status mix asks for, capped by the awards there are.
    awarded = sum(1 for i in range(due + 1, total + 1) if STATUS_BY_REMAINDER[i % 10] == "awarded")
    run(f"""
        INSERT INTO nominations_nomination (candidate_id, candidate_email, candidate_name,
            technology_area_id, source, nominated_by_id, reason, evidence_urls, status, region,
            submitted_at, decision_due, candidate_completed_at, decided_at, decided_by_id,
            decision_reason, award_id)
        SELECT a.contributor_id, u.email, c.display_name, a.technology_area_id, 'mvp',
               (a.contributor_id * 7) % {n} + 1, 'Nominated for sustained community work.',
               '[]'::jsonb, 'awarded', c.region,
               (a.starts_on - 60) + time '09:00' AT TIME ZONE 'UTC', a.starts_on + 30,
               (a.starts_on - 50) + time '10:00' AT TIME ZONE 'UTC',
               a.starts_on + time '12:00' AT TIME ZONE 'UTC', NULL, 'Bench decision', a.id
        FROM (
            SELECT * FROM awards_award WHERE kind = 'mvp' ORDER BY id LIMIT {awarded}
        ) AS a
        JOIN contributions_contributor AS c ON c.id = a.contributor_id
        JOIN users_user AS u ON u.id = c.user_id
    """)
    # The audit trail: creation, and the latest move for every nomination not just submitted.
    run("""
        INSERT INTO nominations_nominationevent (nomination_id, from_status, to_status,
            actor_id, reason, as_of, created_at)
        SELECT id, '', 'submitted', nominated_by_id, '', submitted_at::date, submitted_at
        FROM nominations_nomination
        UNION ALL
        SELECT id, CASE WHEN status = 'in_review' THEN 'submitted' ELSE 'in_review' END,
               status, NULL, decision_reason, coalesce(decided_at, submitted_at)::date,
               coalesce(decided_at, submitted_at + interval '1 day')
        FROM nominations_nomination WHERE status <> 'submitted'
    """)
    # One endorsement on every fifth nomination, by someone who is not the nominator.
    run(f"""
        INSERT INTO nominations_endorsement (nomination_id, endorser_id, source, reason,
            evidence_urls, created_at)
        SELECT id, CASE WHEN (id * 17) % {n} + 1 = nominated_by_id THEN (id * 17 + 1) % {n} + 1
                        ELSE (id * 17) % {n} + 1 END,
               'mvp', 'I second this.', '[]'::jsonb, submitted_at + interval '2 days'
        FROM nominations_nomination WHERE id % 5 = 0
    """)
    # Invitations for the candidates who have not accepted yet.
    run("""
        INSERT INTO nominations_invitation (nomination_id, email, token_hash, expires_at,
            used_at, used_by_id, created_at)
        SELECT id, candidate_email, md5('bench-a' || id) || md5('bench-b' || id),
               submitted_at + interval '30 days', NULL, NULL, submitted_at
        FROM nominations_nomination WHERE candidate_id IS NULL
    """)
    # Three reviewers on every nomination that reached review; due when the decision is.
    run(f"""
        INSERT INTO nominations_reviewassignment (nomination_id, reviewer_id, assigned_by_id,
            assigned_at, due_on, reminded_on)
        SELECT n.id, {first_reviewer} + (n.id * 3 + j) % {reviewers}, NULL,
               n.submitted_at + interval '3 days', n.decision_due, NULL
        FROM nominations_nomination AS n
        CROSS JOIN generate_series(0, {REVIEWERS_PER_NOMINATION - 1}) AS j
        WHERE n.status NOT IN ('submitted', 'withdrawn')
    """)
    # Decided nominations have all three reviews, open ones 0-2, expired ones one.
    run("""
        INSERT INTO nominations_review (nomination_id, reviewer_id, expertise, quality,
            quantity, impact, recommendation, comment, created_at)
        SELECT a.nomination_id, a.reviewer_id,
               1 + (a.id + 0) % 5, 1 + (a.id + 1) % 5, 1 + (a.id + 2) % 5, 1 + (a.id + 3) % 5,
               CASE WHEN n.status = 'declined' OR a.id % 4 = 0 THEN 'decline' ELSE 'award' END,
               '', a.assigned_at + interval '10 days'
        FROM nominations_reviewassignment AS a
        JOIN nominations_nomination AS n ON n.id = a.nomination_id
        WHERE n.status IN ('awarded', 'declined')
           OR (n.status = 'in_review' AND a.reviewer_id % 3 < n.id % 3)
           OR (n.status = 'expired' AND a.reviewer_id % 3 = 0)
    """)
    for table, column in (("users_user", "id"), ("contributions_contributor", "id")):
        run(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"(SELECT max({column}) FROM {table}))"
        )


TABLES = (
    "nominations_nomination",
    "nominations_endorsement",
    "nominations_nominationevent",
    "nominations_invitation",
    "nominations_reviewassignment",
    "nominations_review",
    "users_rolegrant",
)


def counts(conn) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
