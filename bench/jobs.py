"""Daily jobs against one SQL statement doing the same work, on the loaded database.

Every measurement runs inside a transaction that is rolled back, so each job and its
single-statement twin see the same rows (1% due) and the database is left as loaded: this
stands in for the copy (``CREATE DATABASE ... TEMPLATE``) the issue suggests, which at 10xS
would cost minutes of disk copy for nothing. The job functions run in a subprocess with Django
set up (``python -m bench.jobs``); the statements run through the same connection, so both
sides pay the same driver and network cost. Each is timed ``REPEAT`` times, the median kept.

Single statements write the same rows as the job: state change, audit rows, in-app
notifications and outbox emails (template name, JSON context and language, as the jobs write
them; the delivery renders them, outside both measurements).
Eligibility: ``awards.what_if.policy_what_if`` (what a policy change would do to every
contributor) against one hand-written GROUP BY over the window returning the same totals.
"""

import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPEAT = 3
LONG_MS = 5000
OPEN = "('submitted', 'in_review')"
# Outbox rows as the jobs write them: template, JSON context of row references, language;
# subject and body are rendered at delivery.
OUTBOX_COLUMNS = """("to", subject, body, html_body, template, context, language, category,
        dedupe_key, created_at, next_attempt_at, attempts, last_error)"""


def _ref(label: str, expr: str, key: str = "pk") -> str:
    return (
        f"jsonb_build_object('__model__', '{label}', 'lookup', jsonb_build_object('{key}', {expr}))"
    )


def _award_context(award: str, contributor: str, *extra: str) -> str:
    return (
        f"jsonb_build_object('award', {_ref('awards.award', award)}, "
        f"'contributor', {_ref('contributions.contributor', contributor)}{''.join(extra)})"
    )


RENEWAL_REVIEW = f", 'review', {_ref('awards.renewalreview', 'id', 'award_id')}"

_EXPIRE = f"""
WITH expired AS (
    UPDATE awards_award SET status = 'expired', ended_at = now()
    WHERE kind = %(kind)s AND status = 'active' AND ends_on < %(d)s
    RETURNING id, contributor_id
), events AS (
    INSERT INTO awards_awardevent (award_id, kind, actor_id, reason, as_of, created_at)
    SELECT id, 'expired', NULL, 'Term ended', %(d)s, now() FROM expired
    ON CONFLICT DO NOTHING
), holders AS (
    SELECT e.id, e.contributor_id, u.id AS user_id, u.email
    FROM expired AS e
    JOIN contributions_contributor AS c ON c.id = e.contributor_id
    JOIN users_user AS u ON u.id = c.user_id
    WHERE NOT EXISTS (SELECT 1 FROM awards_award AS r WHERE r.renewed_from_id = e.id)
), mails AS (
    INSERT INTO notifications_outboxemail {OUTBOX_COLUMNS}
    SELECT email, '', '', '', 'awards/email/expired',
           {_award_context("id", "contributor_id")},
           'en', 'award_expired', 'award:' || id || ':expired', now(), now(), 0, ''
    FROM holders
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING dedupe_key
)
INSERT INTO notifications_notification (recipient_id, message, url, created_at)
SELECT h.user_id, 'Your award has ended.', '/awards/' || h.id || '/certificate/', now()
FROM holders AS h JOIN mails AS m ON m.dedupe_key = 'award:' || h.id || ':expired'
"""

_RENEWALS = f"""
WITH due AS (
    SELECT a.id, a.ends_on, a.contributor_id FROM awards_award AS a
    WHERE a.kind = 'mvp' AND a.status = 'active'
      AND a.ends_on >= %(d)s AND a.ends_on <= %(d)s + %(before)s
      AND NOT EXISTS (SELECT 1 FROM awards_renewalreview AS r WHERE r.award_id = a.id)
      AND NOT EXISTS (SELECT 1 FROM awards_award AS n WHERE n.renewed_from_id = a.id)
), opened AS (
    INSERT INTO awards_renewalreview (award_id, status, opened_on, update_by, created_at,
        decided_at, decided_by_id, decision_reason, new_award_id)
    SELECT id, 'open', %(d)s, LEAST(%(d)s + %(update)s, ends_on), now(), NULL, NULL, '', NULL
    FROM due
    ON CONFLICT DO NOTHING
    RETURNING award_id, update_by
), holders AS (
    SELECT o.award_id AS id, o.update_by, a.contributor_id, u.id AS user_id, u.email
    FROM opened AS o
    JOIN awards_award AS a ON a.id = o.award_id
    JOIN contributions_contributor AS c ON c.id = a.contributor_id
    JOIN users_user AS u ON u.id = c.user_id
), mails AS (
    INSERT INTO notifications_outboxemail {OUTBOX_COLUMNS}
    SELECT email, '', '', '', 'awards/email/renewal_opened',
           {_award_context("id", "contributor_id", RENEWAL_REVIEW)},
           'en', 'award_renewal_opened', 'award:' || id || ':renewal_opened', now(), now(), 0,
           ''
    FROM holders
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING dedupe_key
)
INSERT INTO notifications_notification (recipient_id, message, url, created_at)
SELECT h.user_id, 'Your term is up for renewal: bring your log up to date by '
       || h.update_by || '.', '/eligibility/', now()
FROM holders AS h JOIN mails AS m ON m.dedupe_key = 'award:' || h.id || ':renewal_opened'
"""

_MCC_REMINDERS = f"""
WITH due AS (
    SELECT a.id, a.ends_on, a.contributor_id, u.id AS user_id, u.email FROM awards_award AS a
    JOIN contributions_contributor AS c ON c.id = a.contributor_id
    JOIN users_user AS u ON u.id = c.user_id
    WHERE a.kind = 'mcc' AND a.status = 'active'
      AND a.ends_on >= %(d)s AND a.ends_on <= %(d)s + %(reminder)s
), mails AS (
    INSERT INTO notifications_outboxemail {OUTBOX_COLUMNS}
    SELECT email, '', '', '', 'awards/email/mcc_expiry_reminder',
           {_award_context("id", "contributor_id")},
           'en', 'award_mcc_expiry_reminder', 'award:' || id || ':mcc_expiry_reminder', now(),
           now(), 0, ''
    FROM due
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING dedupe_key
)
INSERT INTO notifications_notification (recipient_id, message, url, created_at)
SELECT d.user_id, 'Your MCC status ends on ' || d.ends_on || '.',
       '/awards/' || d.id || '/certificate/', now()
FROM due AS d JOIN mails AS m ON m.dedupe_key = 'award:' || d.id || ':mcc_expiry_reminder'
"""

_EXPIRE_NOMINATIONS = f"""
WITH old AS (
    SELECT id, status FROM nominations_nomination
    WHERE status IN {OPEN} AND decision_due < %(d)s
    FOR UPDATE
), expired AS (
    UPDATE nominations_nomination AS n
    SET status = 'expired', decided_at = now(), decided_by_id = NULL,
        decision_reason = 'No decision within three months'
    FROM old WHERE n.id = old.id
    RETURNING n.id, old.status AS from_status, n.source, n.nominated_by_id,
              n.candidate_email, n.candidate_name
), events AS (
    INSERT INTO nominations_nominationevent (nomination_id, from_status, to_status, actor_id,
        reason, as_of, created_at)
    SELECT id, from_status, 'expired', NULL, 'No decision within three months', %(d)s, now()
    FROM expired
), recipients AS (
    SELECT e.id, 'nominator' AS role, u.email FROM expired AS e
    JOIN users_user AS u ON u.id = e.nominated_by_id WHERE e.source <> 'self'
    UNION ALL
    SELECT id, 'candidate', candidate_email FROM expired
), mails AS (
    INSERT INTO notifications_outboxemail {OUTBOX_COLUMNS}
    SELECT email, '', '', '', 'nominations/email/expired_' || role,
           jsonb_build_object('nomination', {_ref("nominations.nomination", "id")}), 'en',
           'nomination_expired', 'nomination:' || id || ':expired:' || role, now(), now(), 0,
           ''
    FROM recipients
    ON CONFLICT (dedupe_key) DO NOTHING
)
INSERT INTO notifications_notification (recipient_id, message, url, created_at)
SELECT nominated_by_id, 'Your nomination of ' || candidate_name || ': Expired.',
       '/nominations/' || id || '/', now()
FROM expired WHERE source <> 'self'
"""

_REMIND_REVIEWERS = f"""
WITH due AS (
    UPDATE nominations_reviewassignment AS a SET reminded_on = %(d)s
    FROM nominations_nomination AS n
    WHERE n.id = a.nomination_id AND a.due_on < %(d)s AND a.reminded_on IS NULL
      AND n.status IN {OPEN}
      AND NOT EXISTS (
          SELECT 1 FROM nominations_review AS r
          WHERE r.nomination_id = a.nomination_id AND r.reviewer_id = a.reviewer_id
      )
    RETURNING a.reviewer_id, a.nomination_id, n.candidate_name
)
INSERT INTO notifications_notification (recipient_id, message, url, created_at)
SELECT reviewer_id, 'Your review of ' || candidate_name || '''s nomination is overdue.',
       '/nominations/' || nomination_id || '/review/', now()
FROM due
"""

_ELIGIBILITY = """
SELECT c.contributor_id, coalesce(pa.parent_id, pa.id) AS category, p.date_of_birth,
       p.employer_category, count(*), sum(c.quantity), sum(c.reach),
       count(DISTINCT date_trunc('month', c.date)),
       count(*) FILTER (WHERE k.pillar = 'advocacy'),
       count(*) FILTER (WHERE k.pillar = 'support'),
       count(*) FILTER (WHERE k.pillar = 'feedback')
FROM contributions_contribution AS c
JOIN contributions_contributor AS p ON p.id = c.contributor_id
JOIN contributions_technologyarea AS pa ON pa.id = p.primary_area_id
JOIN contributions_technologyarea AS a ON a.id = c.technology_area_id
JOIN contributions_contributionkind AS k ON k.id = c.kind_id
WHERE c.date > %(start)s AND c.date <= %(d)s
  AND coalesce(a.parent_id, a.id) = coalesce(pa.parent_id, pa.id)
GROUP BY 1, 2, 3, 4
"""

# (name, count of due rows, single statement)
STATEMENTS = {
    "mcc_expired": (
        "SELECT count(*) FROM awards_award WHERE kind = 'mcc' AND status = 'active' "
        "AND ends_on < %(d)s",
        _EXPIRE.replace("%(kind)s", "'mcc'"),
    ),
    "mvp_expired": (
        "SELECT count(*) FROM awards_award WHERE kind = 'mvp' AND status = 'active' "
        "AND ends_on < %(d)s",
        _EXPIRE.replace("%(kind)s", "'mvp'"),
    ),
    "renewals_opened": (
        "SELECT count(*) FROM awards_award AS a WHERE kind = 'mvp' AND status = 'active' "
        "AND ends_on >= %(d)s AND ends_on <= %(d)s + %(before)s "
        "AND NOT EXISTS (SELECT 1 FROM awards_renewalreview AS r WHERE r.award_id = a.id)",
        _RENEWALS,
    ),
    "mcc_reminders": (
        "SELECT count(*) FROM awards_award WHERE kind = 'mcc' AND status = 'active' "
        "AND ends_on >= %(d)s AND ends_on <= %(d)s + %(reminder)s",
        _MCC_REMINDERS,
    ),
    "expire_nominations": (
        f"SELECT count(*) FROM nominations_nomination WHERE status IN {OPEN} "
        "AND decision_due < %(d)s",
        _EXPIRE_NOMINATIONS,
    ),
    "remind_reviewers": (
        "SELECT count(*) FROM nominations_reviewassignment AS a "
        "JOIN nominations_nomination AS n ON n.id = a.nomination_id "
        f"WHERE a.due_on < %(d)s AND a.reminded_on IS NULL AND n.status IN {OPEN} "
        "AND NOT EXISTS (SELECT 1 FROM nominations_review AS r "
        "WHERE r.nomination_id = a.nomination_id AND r.reviewer_id = a.reviewer_id)",
        _REMIND_REVIEWERS,
    ),
    "eligibility (all contributors)": (
        "SELECT count(DISTINCT contributor_id) FROM contributions_contribution "
        "WHERE date > %(start)s AND date <= %(d)s",
        _ELIGIBILITY,
    ),
}


def _job_functions():
    from awards.jobs import DAILY_JOBS as AWARD_JOBS
    from awards.models import EligibilityPolicy
    from awards.what_if import policy_what_if
    from nominations.jobs import DAILY_JOBS as NOMINATION_JOBS

    jobs = dict(AWARD_JOBS + NOMINATION_JOBS)

    def eligibility(*, as_of):
        current = EligibilityPolicy.current()
        proposed = EligibilityPolicy.objects.get(pk=current.pk)
        proposed.pk = None
        proposed.min_area_contributions = current.min_area_contributions + 1
        return policy_what_if(proposed=proposed, as_of=as_of, current=current)

    jobs["eligibility (all contributors)"] = eligibility
    return jobs


def _timed_in_rollback(fn) -> float:
    from django.db import transaction

    with transaction.atomic():
        started = time.perf_counter()
        fn()
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed


def worker(as_of: date) -> list[dict]:
    """Runs inside Django: every job and its statement, each in a rolled-back transaction."""
    import django

    django.setup()
    from django.db import connection

    from mvptracker.runtime import warm_up

    # As a Celery worker starts (mvptracker/celery.py): the URLconf and the catalogs are
    # loaded long before a job runs (without this the first job to reverse a URL paid seconds
    # of imports), and the start-up objects are frozen out of the garbage collector's scans.
    warm_up()

    from awards.models import EligibilityPolicy
    from contributions.queries import rolling_window

    policy = EligibilityPolicy.current()
    params = {
        "d": as_of,
        "before": policy.renewal_days_before_term,
        "update": policy.renewal_update_days,
        "reminder": policy.mcc_expiry_reminder_days,
        "start": rolling_window(as_of).start,
    }
    functions = _job_functions()
    results = []
    for name, (count_sql, statement) in STATEMENTS.items():
        with connection.cursor() as cursor:
            cursor.execute(count_sql, params)
            due = cursor.fetchone()[0]

        def run_statement(statement=statement):
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                if cursor.description:
                    cursor.fetchall()

        def run_job(fn=functions[name]):
            fn(as_of=as_of)

        sql_times, job_times = [], []
        for _ in range(REPEAT):  # alternate, so neither side gets only the warm cache
            sql_times.append(_timed_in_rollback(run_statement))
            job_times.append(_timed_in_rollback(run_job))
            if job_times[-1] > LONG_MS:
                break  # a long run is its own average; keep the whole bench under 30 min
        results.append(
            {
                "name": name,
                "due": due,
                "job_ms": round(statistics.median(job_times), 2),
                "sql_ms": round(statistics.median(sql_times), 2),
            }
        )
    return results


def measure_jobs(*, env: dict, database: str, as_of: date, pg: str) -> list[dict]:
    """Run :func:`worker` in a subprocess against ``database`` (already in ``env``)."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.jobs", as_of.isoformat()],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(worker(date.fromisoformat(sys.argv[1]))))
