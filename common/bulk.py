"""One set-based INSERT of many rows, for the daily jobs (audit rows, notifications, emails).

Django's ``bulk_create`` builds a model instance per row and cannot say which rows an
``ignore_conflicts`` insert skipped; the jobs need neither the instances nor the overhead.
:func:`insert_rows` takes plain tuples, keeps the statement the same size whatever the
number of rows on PostgreSQL (the rows travel as ONE JSON parameter read by
``json_to_recordset``: a single string to quote, where arrays cost the driver work per
element, 2-3x slower at 200 rows) and can return columns of the rows it actually inserted.
Elsewhere (SQLite) it writes one VALUES row per row, in batches.

A :class:`Dependent` insert (the in-app line of each email) writes its rows only for the
rows the first insert did write; on PostgreSQL both go in ONE statement (a data-modifying
``WITH``), elsewhere as a second INSERT of the rows whose keys came back.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder as Encoder
from django.db import connection

from common.sql import named_rows

BATCH = 1000


@dataclass(frozen=True)
class Dependent:
    """Rows for ``model`` (values for ``columns``, plus ``same`` for every row), each
    prefixed with a key: written only if the first insert wrote the row whose ``key``
    column holds that value."""

    model: type
    columns: Sequence[str]
    rows: Sequence[Sequence]
    key: str
    same: dict | None = None


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
    dependent: Dependent | None = None,
) -> list:
    """INSERT ``rows`` (one value per name in ``columns``, database column names) into
    ``model``'s table, with ``same`` (column -> value) for every row. ``ignore_conflicts``:
    True for ``ON CONFLICT DO NOTHING``, or the conflict target's columns. Returns the
    ``returning`` columns of the inserted rows as named rows (``row.id``; skipped conflicts
    return nothing), and writes
    the ``dependent`` rows of those. The dependent key must be among ``returning``."""
    if not rows:
        return []
    postgres = connection.vendor == "postgresql"
    q = connection.ops.quote_name
    suffix = ""
    if ignore_conflicts:
        target = "" if ignore_conflicts is True else f"({', '.join(map(q, ignore_conflicts))}) "
        suffix += f" ON CONFLICT {target}DO NOTHING"
    if returning:
        suffix += f" RETURNING {', '.join(map(q, returning))}"
    found: list = []
    with connection.cursor() as cursor:
        if postgres and dependent is not None:
            sql, params = _insert_sql(model, columns, rows, same or {})
            keyed = [(str(row[0]), *row[1:]) for row in dependent.rows]
            after, after_params = _insert_sql(
                dependent.model,
                dependent.columns,
                keyed,
                dependent.same or {},
                after="inserted",
                key=dependent.key,
            )
            cursor.execute(
                f"WITH inserted AS ({sql}{suffix}), written AS ({after}) "  # noqa: S608
                f"SELECT * FROM inserted",
                [*params, *after_params],
            )
            return named_rows(cursor)
        batch = len(rows) if postgres else BATCH
        for start in range(0, len(rows), batch):
            sql, params = _insert_sql(model, columns, rows[start : start + batch], same or {})
            cursor.execute(sql + suffix, params)
            if returning:
                found += named_rows(cursor)
    if dependent is not None and found:
        written = {getattr(row, dependent.key) for row in found}
        insert_rows(
            dependent.model,
            dependent.columns,
            [row[1:] for row in dependent.rows if row[0] in written],
            same=dependent.same,
        )
    return found


KEY = "__key__"  # the column of a dependent row's key in its source relation


def _source(model, columns: Sequence[str], rows: Sequence[Sequence], keyed: bool):
    """``rows`` as a relation ``v`` with ``columns`` (and first ``KEY``, as text, when
    ``keyed``): one JSON parameter on PostgreSQL, a VALUES list elsewhere."""
    q = connection.ops.quote_name
    fields = {f.column: f for f in model._meta.concrete_fields}
    prep = [fields[name] for name in columns]
    if connection.vendor == "postgresql":
        typed = [f"{q(n)} {f.db_type(connection)}" for n, f in zip(columns, prep, strict=True)]
        names = [KEY, *columns] if keyed else columns
        records = [dict(zip(names, row, strict=True)) for row in rows]
        typed = [f"{q(KEY)} text", *typed] if keyed else typed
        source = f"json_to_recordset(%s::json) AS v({', '.join(typed)})"
        return source, [json.dumps(records, cls=Encoder)]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    aliases = ", ".join(f"column{i + 1} AS {q(n)}" for i, n in enumerate(columns))
    values = ", ".join([one] * len(rows))
    params = [
        field.get_db_prep_save(row[i], connection) for row in rows for i, field in enumerate(prep)
    ]
    return f"(SELECT {aliases} FROM (VALUES {values})) AS v", params  # noqa: S608


def _insert_sql(model, columns, rows, same: dict, *, after: str = "", key: str = ""):
    """INSERT ... SELECT from :func:`_source`; with ``after`` (a CTE name) and ``key``, only
    the rows whose key is in that CTE's ``key`` column (PostgreSQL)."""
    q = connection.ops.quote_name
    fields = {f.column: f for f in model._meta.concrete_fields}
    names = ", ".join(q(name) for name in (*columns, *same))
    picked = ", ".join(f"v.{q(name)}" for name in columns)
    fixed = "".join(", %s" for _ in same)
    same_values = [fields[name].get_db_prep_save(v, connection) for name, v in same.items()]
    source, params = _source(model, columns, rows, keyed=bool(after))
    if after:
        source += f" JOIN {after} ON {after}.{q(key)}::text = v.{q(KEY)}"
    # WHERE true: SQLite's parser needs a WHERE before ON CONFLICT in INSERT ... SELECT
    table = q(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) SELECT {picked}{fixed} FROM {source} WHERE true"  # noqa: S608
    return sql, [*same_values, *params]  # in the SQL's order
