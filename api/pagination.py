"""Keyset (cursor) pagination: ``?cursor=`` → ``{"results": [...], "next": url | null}``.

The cursor is the sort key of the last row served, signed so clients cannot forge or edit it
(it stays opaque: its format may change). A page costs one query whatever its depth: no OFFSET,
no COUNT. Each list orders by a unique key ending in ``id``.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from api.errors import BadRequest
from common.cursors import decode_cursor, encode_cursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_signer = signing.Signer(salt="api.cursor")


def sign_cursor(scope: str, values: Sequence[Any]) -> str:
    """The keyset cursor (:mod:`common.cursors`) of ``values``, prefixed with the list's scope
    and signed."""
    return _signer.sign(encode_cursor([scope, *values]))


def _invalid_cursor() -> BadRequest:
    message = _("The cursor is not valid.")
    return BadRequest(message, errors={"cursor": [message]})


def unsign_cursor(cursor: str, *, scope: str, size: int) -> list[Any]:
    """The key a cursor carries; a cursor of another list (another scope) is refused."""
    try:
        values = decode_cursor(_signer.unsign(cursor))
    except signing.BadSignature:
        raise _invalid_cursor() from None
    if values is None or len(values) != size + 1 or values[0] != scope:
        raise _invalid_cursor()
    return values[1:]


def _after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering`` ("-field" descends):
    (a > x) OR (a = x AND b > y) OR ..., which the (…, id) indexes answer directly."""
    condition = Q()
    for position, spec in enumerate(ordering):
        name = spec.lstrip("-")
        lookup = "lt" if spec.startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": values[position]})
        for earlier, earlier_spec in enumerate(ordering[:position]):
            step &= Q(**{earlier_spec.lstrip("-"): values[earlier]})
        condition |= step
    return condition


def paginate(
    request,
    queryset: QuerySet,
    *,
    ordering: Sequence[str],
    cursor: str | None,
    limit: int,
    serialize: Callable[[Any], Any],
) -> dict:
    scope = f"{queryset.model._meta.label_lower}:{','.join(ordering)}"
    queryset = queryset.order_by(*ordering)
    if cursor:
        values = unsign_cursor(cursor, scope=scope, size=len(ordering))
        queryset = queryset.filter(_after(ordering, values))
    rows = list(queryset[: limit + 1])
    next_url = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        key = [getattr(last, spec.lstrip("-")) for spec in ordering]
        params = request.GET.copy()
        params["cursor"] = sign_cursor(scope, key)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"results": [serialize(row) for row in rows], "next": next_url}
