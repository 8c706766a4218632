"""Every trigger the trigger-kept summaries (ReviewerLoad, NominationCount, ContributionDayCount,
ActiveAwardCount, the award holder's region and country) and SQLite's no-overlap guard rely on
exists after ``migrate``, on whichever database the suite runs on (PostgreSQL or SQLite); the
system check ops.E001 fails loudly when one is gone."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from common.triggers import installed_triggers
from ops.checks import EXPECTED_TRIGGERS, check_summary_triggers, missing_triggers

VENDOR_SQL = {"postgresql": "PG_FORWARD", "sqlite": "SQLITE_FORWARD"}


def created_by_migrations() -> set[tuple[str, str, str]]:
    """(vendor, table, trigger) of every CREATE TRIGGER in the migrations the list names."""
    created = set()
    for app_label, name in {trigger.migration for trigger in EXPECTED_TRIGGERS}:
        module = import_module(f"{app_label}.migrations.{name}")
        for vendor, attribute in VENDOR_SQL.items():
            for statement in getattr(module, attribute):
                for trigger, table in re.findall(
                    r"CREATE TRIGGER (\w+)\b.*?\bON\s+(\w+)", statement, re.S
                ):
                    created.add((vendor, table, trigger))
    return created


def expected() -> set[tuple[str, str, str]]:
    return {(t.vendor, apps.get_model(t.model)._meta.db_table, t.name) for t in EXPECTED_TRIGGERS}


def test_the_check_expects_every_trigger_those_migrations_create():
    assert expected() == created_by_migrations()


@pytest.mark.django_db
def test_every_expected_trigger_exists_after_migrate():
    assert connection.vendor in VENDOR_SQL
    wanted = {(table, name) for vendor, table, name in expected() if vendor == connection.vendor}
    assert len(wanted) >= 10  # 10 on PostgreSQL, 23 on SQLite
    assert wanted <= installed_triggers(connection)
    assert missing_triggers(connection) == []
    assert check_summary_triggers(databases=["default"]) == []


@pytest.mark.django_db
def test_a_dropped_trigger_fails_the_system_check():
    trigger = next(
        t
        for t in EXPECTED_TRIGGERS
        if t.vendor == connection.vendor and t.model == "contributions.Contribution"
    )
    table = apps.get_model(trigger.model)._meta.db_table
    on = f" ON {table}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"DROP TRIGGER {trigger.name}{on}")

    errors = check_summary_triggers(databases=["default"])

    assert [error.id for error in errors] == ["ops.E001"]
    assert trigger.name in errors[0].msg
    assert table in errors[0].msg
    with pytest.raises(SystemCheckError, match=trigger.name):
        call_command("check", databases=["default"])


@pytest.mark.django_db
def test_a_trigger_of_an_unapplied_migration_is_not_reported():
    """``migrate`` runs the checks before it applies anything: a fresh database is not an
    error."""
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder(connection).migration_qs.filter(
        app="contributions", name="0005_contribution_day_count_triggers"
    ).delete()
    with connection.cursor() as cursor:
        for t in EXPECTED_TRIGGERS:
            if t.vendor == connection.vendor and t.migration[0] == "contributions":
                table = apps.get_model(t.model)._meta.db_table
                on = f" ON {table}" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TRIGGER {t.name}{on}")

    assert check_summary_triggers(databases=["default"]) == []
