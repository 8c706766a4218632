"""Which triggers a database has, read from its catalog (``pg_trigger`` on PostgreSQL,
``sqlite_master`` on SQLite). Knows no domain: callers say which triggers they need."""

from django.db.backends.base.base import BaseDatabaseWrapper

PG_TRIGGERS = """
    SELECT c.relname, t.tgname
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND pg_table_is_visible(c.oid)
"""
SQLITE_TRIGGERS = "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"


def installed_triggers(connection: BaseDatabaseWrapper) -> set[tuple[str, str]]:
    """``(table, trigger)`` of every enabled user trigger the connection's database has; an
    empty set on a vendor this project keeps no triggers on."""
    sql = {"postgresql": PG_TRIGGERS, "sqlite": SQLITE_TRIGGERS}.get(connection.vendor)
    if sql is None:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {(table, name) for table, name in cursor.fetchall()}
