"""Set-based data for the benchmark: INSERT ... SELECT over generate_series, never the ORM.

Scale S (``contributors=100_000``) gives ~1.5M contributions over 15 months, 4,000 MVP awards,
20,000 MCC statuses and 20,000 nominations with reviews; 10xS multiplies everything by ten.
Randomness is seeded, so two loads of the same scale are identical. Exactly 1% of the awards
and nominations are due for the daily jobs on the as-of date.
"""

from dataclasses import dataclass
from datetime import date
from importlib import import_module

import psycopg

COUNTRIES = [
    "US",
    "CA",
    "BR",
    "MX",
    "AR",
    "CL",
    "CO",
    "GB",
    "DE",
    "FR",
    "ES",
    "IT",
    "NL",
    "SE",
    "PL",
    "PT",
    "IE",
    "CH",
    "AT",
    "BE",
    "DK",
    "NO",
    "FI",
    "CZ",
    "HU",
    "RO",
    "TR",
    "IL",
    "AE",
    "SA",
    "EG",
    "ZA",
    "NG",
    "KE",
    "MA",
    "IN",
    "PK",
    "BD",
    "LK",
    "JP",
    "KR",
    "CN",
    "TW",
    "HK",
    "SG",
    "MY",
    "TH",
    "VN",
    "PH",
    "ID",
    "AU",
    "NZ",
    "UA",
    "GR",
    "BG",
    "RS",
    "HR",
    "SK",
    "SI",
    "LT",
    "LV",
    "EE",
    "IS",
    "LU",
    "MT",
    "CY",
    "PE",
    "EC",
    "UY",
    "PY",
    "BO",
    "VE",
    "CR",
    "PA",
    "GT",
    "DO",
    "PR",
    "JM",
    "TT",
    "QA",
    "KW",
    "BH",
    "OM",
    "JO",
    "LB",
    "TN",
    "GH",
    "UG",
    "TZ",
    "NP",
]
POWER_CONTRIBUTIONS = 3000
BIG_TABLE = "contributions_contribution"
REGIONS = ["americas", "emea", "apac", "greater_china", "india", "japan", "korea"]
EMPLOYERS = [
    "independent",
    "private_company",
    "microsoft_partner",
    "academia",
    "student",
    "nonprofit",
    "private_company",
    "private_company",
    "microsoft_employee",
    "government",
]


@dataclass(frozen=True)
class Scale:
    contributors: int

    @property
    def contributions(self) -> int:
        return self.contributors * 15

    @property
    def mvp_awards(self) -> int:
        return self.contributors * 4 // 100

    @property
    def mcc_awards(self) -> int:
        return self.contributors // 5

    @property
    def nominations(self) -> int:
        return self.contributors // 5


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def summary_backfill() -> list[str]:
    """The statements that recount the trigger-kept summary tables from their sources and copy
    each award's holder region and country onto it."""
    return [
        *import_module("contributions.migrations.0005_contribution_day_count_triggers").BACKFILL,
        *import_module("awards.migrations.0005_award_holder_triggers").BACKFILL,
        # After the holder copy: the counts are kept per holder region and country.
        *import_module("awards.migrations.0007_active_award_count_triggers").BACKFILL,
        *import_module("nominations.migrations.0003_reviewer_load_triggers").BACKFILL,
        *import_module("nominations.migrations.0005_nomination_count_triggers").BACKFILL,
    ]


def load(conninfo: str, scale: Scale, as_of: date) -> dict[str, int]:
    """Fill an empty, migrated database. Returns row counts per table."""
    n = scale.contributors
    with psycopg.connect(conninfo, autocommit=True) as conn:
        run = conn.execute
        # Keys are correct by construction: no foreign-key triggers per row during the load
        # (replica mode), and the big table's secondary indexes are built once at the end
        # instead of row by row (about 3x faster at 10xS than inserting into an indexed table).
        run("SET session_replication_role = replica")
        run("SET maintenance_work_mem = '256MB'")
        secondary = run(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [BIG_TABLE],
        ).fetchall()
        for name, _ in secondary:
            run(f'DROP INDEX "{name}"')
        run("SELECT setseed(0.42)")
        categories = [
            row[0]
            for row in run(
                "SELECT id FROM contributions_technologyarea WHERE parent_id IS NULL ORDER BY id"
            )
        ]
        areas = [row[0] for row in run("SELECT id FROM contributions_technologyarea ORDER BY id")]
        kinds = [row[0] for row in run("SELECT id FROM contributions_contributionkind ORDER BY id")]
        cat_array = "ARRAY[" + ",".join(map(str, categories)) + "]"
        area_array = "ARRAY[" + ",".join(map(str, areas)) + "]"
        kind_array = "ARRAY[" + ",".join(map(str, kinds)) + "]"

        run(f"""
            INSERT INTO users_user (id, password, last_login, is_superuser, email, is_active,
                                    is_staff, date_joined, timezone)
            SELECT i, '!', NULL, false, 'bench' || i || '@example.com', true, false,
                   now() - (i % 700) * interval '1 day', 'UTC'
            FROM generate_series(1, {n}) AS i
        """)
        run(f"""
            INSERT INTO contributions_contributor (id, user_id, handle, display_name, country,
                region, languages, primary_area_id, employer_category, employer_name,
                date_of_birth, bio, links, is_public, created_at, updated_at)
            SELECT i, i, 'bench-' || i, 'Bench Person ' || i,
                   ({_array(COUNTRIES)})[1 + i % {len(COUNTRIES)}],
                   ({_array(REGIONS)})[1 + i % {len(REGIONS)}],
                   '["en"]'::jsonb,
                   ({cat_array})[1 + i % {len(categories)}],
                   ({_array(EMPLOYERS)})[1 + i % {len(EMPLOYERS)}],
                   'Company ' || (i % 5000),
                   DATE '1970-01-01' + (i % 15000),
                   '', '[]'::jsonb, i % 3 = 0, now(), now()
            FROM generate_series(1, {n}) AS i
        """)
        run(f"""
            INSERT INTO contributions_contribution (contributor_id, kind_id, technology_area_id,
                title, date, url, canonical_url, description, role, quantity, reach,
                target_audience, visibility, verified_at, verified_by_id, created_at, updated_at)
            SELECT 1 + (k % {n}),
                   ({kind_array})[1 + floor(random() * {len(kinds)})::int],
                   ({area_array})[1 + floor(random() * {len(areas)})::int],
                   'Contribution ' || k,
                   DATE '{as_of.isoformat()}' - floor(random() * 455)::int,
                   'https://example.com/c/' || k, 'example.com/c/' || k, '', '',
                   1 + floor(random() * 20)::int, floor(random() * 5000)::int, '',
                   CASE WHEN k % 10 = 0 THEN 'private' ELSE 'public' END,
                   NULL, NULL, now(), now()
            FROM generate_series(1, {scale.contributions}) AS k
        """)
        # The signed-in contributor of the benchmark logs a lot: deep pages need rows.
        run(f"""
            INSERT INTO contributions_contribution (contributor_id, kind_id, technology_area_id,
                title, date, url, canonical_url, description, role, quantity, reach,
                target_audience, visibility, verified_at, verified_by_id, created_at, updated_at)
            SELECT 1, ({kind_array})[1 + k % {len(kinds)}], ({area_array})[1 + k % {len(areas)}],
                   'Power contribution ' || k, DATE '{as_of.isoformat()}' - (k % 455),
                   'https://example.com/p/' || k, 'example.com/p/' || k, '', '', 1 + k % 7,
                   k % 3000, '', 'public', NULL, NULL, now(), now()
            FROM generate_series(1, {POWER_CONTRIBUTIONS}) AS k
        """)
        # The import hub: one feed source per tenth contributor with a few pending drafts
        # each, and the benchmark's contributor with an inbox that grows with the scale (so the
        # inbox page's queries must stay flat from S to 10xS).
        sources = max(1, n // 10)
        inbox = max(200, n // 10)
        run(f"""
            INSERT INTO imports_source (id, contributor_id, type, url, handle, site, user_id,
                default_kind_id, technology_area_id, enabled, interval_hours, etag,
                last_modified, last_fetched_at, last_status, last_error, consecutive_failures,
                next_fetch_at, fetch_queued_at, created_at)
            SELECT i, i, 'feed', 'https://blog' || i || '.example.com/feed', '', '', '',
                   ({kind_array})[1], ({area_array})[1], true, 24, '', '', now(), 'ok', '', 0,
                   now() + interval '1 hour' * (i % 24), NULL, now()
            FROM generate_series(1, {sources}) AS i
        """)
        run(f"""
            INSERT INTO imports_draft (contributor_id, source_id, status, url, canonical_url,
                kind_id, technology_area_id, title, date, description, quantity, reach, edited,
                contribution_id, created_at, updated_at, decided_at)
            SELECT CASE WHEN k <= {inbox} THEN 1 ELSE 1 + k % {sources} END,
                   CASE WHEN k <= {inbox} THEN 1 ELSE 1 + k % {sources} END,
                   CASE WHEN k % 7 = 0 THEN 'dismissed' ELSE 'pending' END,
                   'https://blog.example.com/d/' || k, 'blog.example.com/d/' || k,
                   ({kind_array})[1], ({area_array})[1], 'Suggested post ' || k,
                   DATE '{as_of.isoformat()}' - (k % 365), '', 1, 0, false, NULL, now(), now(),
                   CASE WHEN k % 7 = 0 THEN now() END
            FROM generate_series(1, {inbox + sources * 5}) AS k
        """)
        run(
            "SELECT setval(pg_get_serial_sequence('imports_source', 'id'), "
            "(SELECT max(id) FROM imports_source))"
        )
        # MVP terms: spread over the year; 1% ended before as-of (due for expiry), 1% end within
        # the renewal window (60 days: due for a renewal review), the rest end later. Replica
        # mode keeps the trigger that copies the holder's region and country off, so both
        # inserts copy them (in term order: the ids are those of every load).
        due_mvp = scale.mvp_awards // 100
        day = f"DATE '{as_of.isoformat()}'"
        run(f"""
            INSERT INTO awards_award (contributor_id, region, country, kind, technology_area_id,
                status, starts_on, ends_on, granted_at, certificate_code, revoked_reason)
            SELECT holder.id, holder.region, holder.country, 'mvp',
                   ({cat_array})[1 + i % {len(categories)}], 'active',
                   s, s + interval '1 year' - interval '1 day', now(), 'bench-mvp-' || i, ''
            FROM (
                SELECT i, i * 7 % {n} + 1 AS holder_id, CASE WHEN i <= {due_mvp}
                               THEN {day} - interval '1 year' - interval '1 day'
                               WHEN i <= 2 * {due_mvp}
                               THEN {day} - interval '1 year' + interval '1 day'
                                    + (i % 60) * interval '1 day'
                               ELSE DATE '{as_of.isoformat()}' - (i % 290 + 1) * interval '1 day'
                          END::date AS s
                FROM generate_series(1, {scale.mvp_awards}) AS i
            ) AS terms
            JOIN contributions_contributor AS holder ON holder.id = terms.holder_id
            ORDER BY i
        """)
        # MCC: 1% ended (due for expiry), 1% end within the 14-day reminder window.
        due_mcc = scale.mcc_awards // 100
        run(f"""
            INSERT INTO awards_award (contributor_id, region, country, kind, technology_area_id,
                status, starts_on, ends_on, granted_at, certificate_code, revoked_reason)
            SELECT holder.id, holder.region, holder.country, 'mcc', NULL, 'active', s, s + 89,
                   now(), 'bench-mcc-' || i, ''
            FROM (
                SELECT i, i * 11 % {n} + 1 AS holder_id, CASE WHEN i <= {due_mcc}
                               THEN DATE '{as_of.isoformat()}' - 90
                               WHEN i <= 2 * {due_mcc}
                               THEN DATE '{as_of.isoformat()}' - 89 + (i % 14)
                               ELSE DATE '{as_of.isoformat()}' - (i % 70)
                          END AS s
                FROM generate_series(1, {scale.mcc_awards}) AS i
            ) AS terms
            JOIN contributions_contributor AS holder ON holder.id = terms.holder_id
            ORDER BY i
        """)
        run(
            "SELECT setval(pg_get_serial_sequence('users_user', 'id'), "
            "(SELECT max(id) FROM users_user))"
        )
        run(
            "SELECT setval(pg_get_serial_sequence('contributions_contributor', 'id'), "
            "(SELECT max(id) FROM contributions_contributor))"
        )
        for _, definition in secondary:
            run(definition)
        from bench import load_nominations

        load_nominations.load(conn, scale=scale, as_of=as_of)
        # Replica mode also kept the counting triggers off: fill their tables with the
        # migrations' own set-based statements (the awards' holder copy finds nothing to change).
        for statement in summary_backfill():
            run(statement)
        run("SET session_replication_role = DEFAULT")
        run("ANALYZE")
        counts = {}
        for table in (
            "users_user",
            "contributions_contributor",
            "contributions_contribution",
            "awards_award",
            "imports_draft",
        ):
            counts[table] = run(f"SELECT count(*) FROM {table}").fetchone()[0]
        counts.update(load_nominations.counts(conn))
        return counts
