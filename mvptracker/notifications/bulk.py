"""One set-based INSERT of many rows, for the daily jobs (audit rows, notifications, emails).

Django's ``bulk_create`` builds a model instance per row and cannot say which rows an
``ignore_conflicts`` insert skipped; the jobs need neither the instances nor the overhead.
:func:`insert_rows` takes plain tuples, keeps the statement the same size whatever the
number of rows on PostgreSQL (the rows travel as ONE JSON parameter read by
``json_to_recordset``: a single string to quote, where arrays cost the driver work per
element, 2-3x slower at 200 rows) and can return columns of the rows it actually inserted.
Elsewhere (SQLite) it writes one VALUES row per row, in batches.
"""

import json
from collections.abc import Sequence

from django.core.serializers.json import DjangoJSONEncoder as Encoder
from django.db import connection

BATCH = 1000
# The statements below are built from model metadata (table and column names) only; every
# value is a parameter, hence the S608 exemptions.


def insert_rows(
    model,
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    same: dict | None = None,
    ignore_conflicts: Sequence[str] | bool = False,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """INSERT ``rows`` (one value per name in ``columns``, database column names) into
    ``model``'s table, with ``same`` (column -> value) for every row. ``ignore_conflicts``:
    True for ``ON CONFLICT DO NOTHING``, or the conflict target's columns. Returns the
    ``returning`` columns of the inserted rows (skipped conflicts return nothing)."""
    same = same or {}
    if not rows:
        return []
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    fields = {f.column: f for f in model._meta.concrete_fields}
    names = ", ".join(q(name) for name in (*columns, *same))
    picked = ", ".join(f"v.{q(name)}" for name in columns)
    fixed = "".join(", %s" for _ in same)
    suffix = ""
    if ignore_conflicts:
        target = "" if ignore_conflicts is True else f"({', '.join(map(q, ignore_conflicts))}) "
        suffix += f" ON CONFLICT {target}DO NOTHING"
    if returning:
        suffix += f" RETURNING {', '.join(map(q, returning))}"
    prep = [fields[name] for name in columns]
    same_values = [fields[name].get_db_prep_save(v, connection) for name, v in same.items()]
    found: list[tuple] = []
    postgres = connection.vendor == "postgresql"
    batch = len(rows) if postgres else BATCH
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            if postgres:
                typed = ", ".join(
                    f"{q(n)} {f.db_type(connection)}" for n, f in zip(columns, prep, strict=True)
                )
                source = f"json_to_recordset(%s::json) AS v({typed})"
                records = [dict(zip(columns, row, strict=True)) for row in chunk]
                params = [json.dumps(records, cls=Encoder)]
            else:
                one = "(" + ", ".join(["%s"] * len(columns)) + ")"
                aliases = ", ".join(f"column{i + 1} AS {q(n)}" for i, n in enumerate(columns))
                values = ", ".join([one] * len(chunk))
                source = f"(SELECT {aliases} FROM (VALUES {values})) AS v"  # noqa: S608
                params = [
                    field.get_db_prep_save(row[i], connection)
                    for row in chunk
                    for i, field in enumerate(prep)
                ]
            # WHERE true: SQLite's parser needs a WHERE before ON CONFLICT in INSERT ... SELECT
            sql = f"INSERT INTO {table} ({names}) SELECT {picked}{fixed} FROM {source} WHERE true"  # noqa: S608
            cursor.execute(sql + suffix, [*same_values, *params])  # in the SQL's order
            if returning:
                found += cursor.fetchall()
    return found
