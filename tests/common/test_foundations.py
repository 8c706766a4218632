"""The no-domain helpers every app shares: token hash, CSV formula guard, keyset cursors and
raw-SQL rows read by name."""

import hashlib
from datetime import date

import pytest
from django.db import connection

from accounts.models import User
from common.cursors import decode_cursor, encode_cursor
from common.ids import parse_id
from common.spreadsheets import formula_safe
from common.sql import named_row, named_rows, rows_in_order, table
from common.tokens import hash_token


def test_hash_token_is_the_sha256_hex_digest():
    assert hash_token("mvpt_secret") == hashlib.sha256(b"mvpt_secret").hexdigest()
    assert len(hash_token("x")) == 64
    assert hash_token("a") != hash_token("b")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-3", "'-3"),
        ("ok", "ok"),
        (None, None),
        (7, 7),
        (date(2026, 1, 2), date(2026, 1, 2)),
    ],
)
def test_formula_safe_quotes_only_formula_text(value, expected):
    assert formula_safe(value) == expected


def test_cursor_round_trip_carries_plain_values_without_padding():
    cursor = encode_cursor([date(2026, 2, 28), 41, "title"])
    assert "=" not in cursor
    assert decode_cursor(cursor) == ["2026-02-28", 41, "title"]


@pytest.mark.parametrize("cursor", ["", "not base64!", "eyJhIjogMX0", "bnVsbA"])
def test_decode_cursor_refuses_what_is_not_a_cursor(cursor):
    # "eyJhIjogMX0" is {"a": 1} (not a list), "bnVsbA" is null.
    assert decode_cursor(cursor) is None


@pytest.mark.django_db
def test_named_rows_read_columns_by_name():
    User.objects.create_user(email="named@example.com", password="x", timezone="Asia/Seoul")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT email, timezone AS zone FROM {table(User)} WHERE email = %s",  # noqa: S608
            ["named@example.com"],
        )
        rows = named_rows(cursor)
        cursor.execute(f"SELECT count(*) AS n FROM {table(User)}")  # noqa: S608
        counted = named_row(cursor)
    assert [(row.email, row.zone) for row in rows] == [("named@example.com", "Asia/Seoul")]
    assert counted.n >= 1
    assert table(User) == connection.ops.quote_name(User._meta.db_table)


@pytest.mark.django_db
def test_rows_in_order_finds_columns_by_name_whatever_the_select_order():
    User.objects.create_user(email="order@example.com", password="x", timezone="UTC")
    sql = f"SELECT timezone, email FROM {table(User)} WHERE email = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, ["order@example.com"])
        as_selected = rows_in_order(cursor, "timezone", "email")
        cursor.execute(sql, ["order@example.com"])
        reordered = rows_in_order(cursor, "email", "timezone")
        cursor.execute(sql, ["order@example.com"])
        with pytest.raises(ValueError, match="missing"):
            rows_in_order(cursor, "email", "missing")
    assert [tuple(row) for row in as_selected] == [("UTC", "order@example.com")]
    assert [tuple(row) for row in reordered] == [("order@example.com", "UTC")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
        ("999999999999999999999999999999", None),
        ("-1", None),
        ("4 2", None),
        ("", None),
        (None, None),
        (7, 7),
    ],
)
def test_parse_id_accepts_only_digits_within_a_bigint(text, expected):
    assert parse_id(text) == expected
