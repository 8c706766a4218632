"""SQL that each database gets in its own dialect, for migrations: the triggers that keep
summaries and invariants (plpgsql on PostgreSQL, SQLite's own triggers).

Migrations import this module, so keep what it does stable: changing it changes history.
"""

from django.db import migrations

StatementsByVendor = dict[str, list[str]]


def per_vendor(forward: StatementsByVendor, backward: StatementsByVendor) -> migrations.RunPython:
    """Run the statements listed for the connection's vendor (``"postgresql"``, ``"sqlite"``);
    a vendor with none listed runs nothing."""

    def run(statements: StatementsByVendor):
        def operation(apps, schema_editor):
            for statement in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forward), run(backward))
