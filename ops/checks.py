"""System check: every trigger the trigger-kept summaries and the SQLite no-overlap guard rely
on exists once the migration that created it is applied. On SQLite, Django rebuilds a table to
alter most columns, and the rebuild drops that table's triggers without a word; the summaries
would then drift silently. This check turns that into an error on ``check --database default``,
``migrate`` and ``runserver``, and tests/ops/test_triggers.py runs it after ``migrate``.

ops sits on top of the domain apps, so it may name their models; table names come from
``_meta.db_table``.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core import checks
from django.db import DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder

from common.triggers import installed_triggers


@dataclass(frozen=True)
class Trigger:
    migration: tuple[str, str]  # (app label, migration name) that creates it
    model: str  # "app_label.ModelName" of the table it is on
    vendor: str  # "postgresql" or "sqlite"
    name: str


def _triggers(migration: tuple[str, str], vendor: str, by_model: dict[str, list[str]]):
    return [
        Trigger(migration, model, vendor, name)
        for model, names in by_model.items()
        for name in names
    ]


REVIEWER_LOAD = ("nominations", "0003_reviewer_load_triggers")
NOMINATION_COUNT = ("nominations", "0005_nomination_count_triggers")
DAY_COUNT = ("contributions", "0005_contribution_day_count_triggers")
NO_OVERLAP = ("awards", "0002_award_no_overlap")  # PostgreSQL: an exclusion constraint instead
HOLDER = ("awards", "0005_award_holder_triggers")
ACTIVE_AWARD_COUNT = ("awards", "0007_active_award_count_triggers")

EXPECTED_TRIGGERS: list[Trigger] = [
    # ReviewerLoad
    *_triggers(
        REVIEWER_LOAD,
        "postgresql",
        {
            "nominations.ReviewAssignment": ["reviewer_load_assignment"],
            "nominations.Review": ["reviewer_load_review"],
            "nominations.Nomination": ["reviewer_load_nomination"],
        },
    ),
    *_triggers(
        REVIEWER_LOAD,
        "sqlite",
        {
            "nominations.ReviewAssignment": [
                "reviewer_load_assignment_insert",
                "reviewer_load_assignment_delete",
                "reviewer_load_assignment_update",
            ],
            "nominations.Review": [
                "reviewer_load_review_insert",
                "reviewer_load_review_delete",
                "reviewer_load_review_update",
            ],
            "nominations.Nomination": ["reviewer_load_nomination"],
        },
    ),
    # NominationCount
    *_triggers(NOMINATION_COUNT, "postgresql", {"nominations.Nomination": ["nomination_count"]}),
    *_triggers(
        NOMINATION_COUNT,
        "sqlite",
        {
            "nominations.Nomination": [
                "nomination_count_insert",
                "nomination_count_delete",
                "nomination_count_update",
            ]
        },
    ),
    # ContributionDayCount
    *_triggers(
        DAY_COUNT,
        "postgresql",
        {
            "contributions.Contribution": ["contribution_day_count"],
            "contributions.Contributor": ["contributor_region_day_count"],
        },
    ),
    *_triggers(
        DAY_COUNT,
        "sqlite",
        {
            "contributions.Contribution": [
                "contribution_day_count_insert",
                "contribution_day_count_delete",
                "contribution_day_count_update",
            ],
            "contributions.Contributor": ["contributor_region_day_count"],
        },
    ),
    # No overlapping active awards (SQLite only; restored by awards 0004 after its rebuild)
    *_triggers(
        NO_OVERLAP,
        "sqlite",
        {"awards.Award": ["award_no_overlap_insert", "award_no_overlap_update"]},
    ),
    # The award holder's region and country copied onto awards
    *_triggers(
        HOLDER,
        "postgresql",
        {
            "awards.Award": ["award_holder"],
            "contributions.Contributor": [
                "contributor_award_holder",
                "contributor_award_holder_insert",
            ],
        },
    ),
    *_triggers(
        HOLDER,
        "sqlite",
        {
            "awards.Award": ["award_holder_insert", "award_holder_update"],
            "contributions.Contributor": [
                "contributor_award_holder",
                "contributor_award_holder_insert",
            ],
        },
    ),
    # ActiveAwardCount
    *_triggers(ACTIVE_AWARD_COUNT, "postgresql", {"awards.Award": ["active_award_count"]}),
    *_triggers(
        ACTIVE_AWARD_COUNT,
        "sqlite",
        {
            "awards.Award": [
                "active_award_count_insert",
                "active_award_count_delete",
                "active_award_count_update",
            ]
        },
    ),
]


def missing_triggers(connection) -> list[tuple[Trigger, str]]:
    """``(trigger, table)`` of every expected trigger for the connection's vendor whose
    migration is applied but which the database does not have."""
    applied = MigrationRecorder(connection).applied_migrations()
    installed = installed_triggers(connection)
    missing = []
    for trigger in EXPECTED_TRIGGERS:
        if trigger.vendor != connection.vendor or trigger.migration not in applied:
            continue
        table = apps.get_model(trigger.model)._meta.db_table
        if (table, trigger.name) not in installed:
            missing.append((trigger, table))
    return missing


@checks.register(checks.Tags.database)
def check_summary_triggers(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        try:
            missing = missing_triggers(connection)
        except DatabaseError:
            continue  # no database yet, or no migration table: nothing is applied
        errors += [
            checks.Error(
                f"Trigger {trigger.name} on {table} is missing (database {alias!r}), though "
                f"migration {trigger.migration[0]}.{trigger.migration[1]} that creates it is "
                "applied: the summary or guard it keeps is no longer kept.",
                hint="A table rebuild drops its triggers on SQLite: recreate them in the "
                "migration that rebuilt the table (see awards/migrations/0004). Run the "
                "repairing migration with `migrate --skip-checks`.",
                obj=trigger.model,
                id="ops.E001",
            )
            for trigger, table in missing
        ]
    return errors
