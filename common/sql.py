"""Raw SQL helpers: table names from the models, rows read by column name."""

from collections import namedtuple
from functools import lru_cache
from operator import itemgetter

from django.db import connection


def table(model) -> str:
    """The quoted table of ``model`` (from ``_meta.db_table``, never written by hand)."""
    return connection.ops.quote_name(model._meta.db_table)


@lru_cache(maxsize=256)
def _row_type(names: tuple[str, ...]):
    return namedtuple("Row", names, rename=True)


def named_rows(cursor) -> list:
    """The cursor's remaining rows as named tuples, fields named after the SELECT's columns
    (so ``SELECT e.id, c.user_id`` gives ``row.id`` and ``row.user_id``; alias what clashes)."""
    row = _row_type(tuple(column[0] for column in cursor.description))
    return [row._make(values) for values in cursor.fetchall()]


def named_row(cursor):
    """The cursor's next row as a named tuple (None when there is none)."""
    values = cursor.fetchone()
    if values is None:
        return None
    return _row_type(tuple(column[0] for column in cursor.description))._make(values)


def rows_in_order(cursor, *names: str) -> list[tuple]:
    """The cursor's rows as plain tuples with the columns named ``names``, in that order, found
    by the SELECT's column names. For hot reads (a thousand rows a page) where a named tuple
    per row costs more than the query: free when the SELECT already has that order, one
    reordering per row otherwise; a missing column is a ValueError, never a shifted read."""
    found = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    if found == list(names):
        return rows
    getter = itemgetter(*(found.index(name) for name in names))
    return [getter(row) for row in rows]
