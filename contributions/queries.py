"""Reads of the contribution log, returning typed results.

The rolling window is defined here, in :func:`rolling_window`, and nowhere else.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import Cast, TruncMonth

from accounts.scope import RegionScope
from common.cursors import decode_cursor, encode_cursor
from common.sql import rows_in_order
from contributions.enums import Pillar
from contributions.models import Contribution, Contributor, TechnologyArea

LEAVING_HORIZON_DAYS = 30


@dataclass(frozen=True)
class Window:
    """The contributions an evaluation as of ``as_of`` counts: dated in ``(start, as_of]``."""

    as_of: date
    start: date  # exclusive

    @property
    def first_day(self) -> date:
        return self.start + timedelta(days=1)

    @property
    def last_day(self) -> date:
        return self.as_of

    def __contains__(self, day: date) -> bool:
        return self.start < day <= self.as_of

    def months(self) -> list[date]:
        """First days of every calendar month the window touches, oldest first."""
        month = self.first_day.replace(day=1)
        months = []
        while month <= self.as_of:
            months.append(month)
            month += relativedelta(months=1)
        return months


def rolling_window(as_of: date) -> Window:
    """The window as of D is ``(D − 12 calendar months, D]``.

    Calendar months clamp at month ends: as of 2024-02-29 the window starts after 2023-02-28,
    and as of 2025-02-28 it starts after 2024-02-28 (so 2024-02-29 is still inside).
    """
    return Window(as_of=as_of, start=as_of - relativedelta(months=12))


@lru_cache(maxsize=4096)
def leaves_window_on(day: date) -> date:
    """The first as-of date whose window no longer contains a contribution dated ``day``.

    Pure and asked for every row leaving the window (hundreds per page for an active
    person, a few dozen distinct days): remembered per day."""
    candidate = day + relativedelta(months=12)
    while day in rolling_window(candidate):
        candidate += timedelta(days=1)
    return candidate


class Cell(NamedTuple):
    """Contributions of one pillar, one technology area and one month of the window.

    A named tuple: a busy person's window has ~1,000 cells, and a frozen dataclass cost
    2.5 µs each to build (``object.__setattr__`` per field) against 0.3 µs."""

    pillar: str
    area_id: int
    category_id: int
    month: date
    count: int  # type: ignore[assignment]  # deliberately shadows tuple.count
    quantity: int
    reach: int


@dataclass(frozen=True)
class AreaTotals:
    count: int = 0
    quantity: int = 0
    reach: int = 0
    pillars: frozenset[str] = frozenset()
    active_months: int = 0


def totals_aggregates() -> dict:
    """The aggregates behind :class:`AreaTotals`, for a grouped ``values(...)`` queryset of
    contributions: count, quantity, reach, distinct months and one count per pillar. Read the
    rows back with :func:`totals_of`; every grouped-totals read goes through this pair."""
    return {
        "n": Count("id"),
        "total_quantity": Sum("quantity"),
        "total_reach": Sum("reach"),
        "months": Count(TruncMonth("date"), distinct=True),
        **{f"pillar_{p}": Count("id", filter=Q(kind__pillar=p)) for p in Pillar.values},
    }


def totals_of(row: dict) -> AreaTotals:
    """The :class:`AreaTotals` of one row grouped with :func:`totals_aggregates`."""
    return AreaTotals(
        count=row["n"],
        quantity=row["total_quantity"] or 0,
        reach=row["total_reach"] or 0,
        pillars=frozenset(p for p in Pillar.values if row[f"pillar_{p}"]),
        active_months=row["months"],
    )


@dataclass(frozen=True)
class LeavingContribution:
    id: int
    title: str
    date: date
    leaves_on: datetime.date  # the field above shadows the name `date` in the class body


@dataclass(frozen=True)
class WindowSummary:
    window: Window
    cells: tuple[Cell, ...]
    focus_category_ids: frozenset[int]
    leaving: tuple[LeavingContribution, ...] = ()

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def quantity(self) -> int:
        return sum(cell.quantity for cell in self.cells)

    @property
    def reach(self) -> int:
        return sum(cell.reach for cell in self.cells)

    @property
    def by_pillar(self) -> dict[str, int]:
        totals = dict.fromkeys(Pillar.values, 0)
        for cell in self.cells:
            totals[cell.pillar] += cell.count
        return totals

    @property
    def by_area(self) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for cell in self.cells:
            totals[cell.area_id] += cell.count
        return dict(totals)

    @property
    def by_month(self) -> list[tuple[date, int]]:
        totals = dict.fromkeys(self.window.months(), 0)
        for cell in self.cells:
            totals[cell.month] = totals.get(cell.month, 0) + cell.count
        return sorted(totals.items())

    @property
    def focus_count(self) -> int:
        return sum(c.count for c in self.cells if c.category_id in self.focus_category_ids)

    @property
    def focus_share(self) -> float:
        """Share of the window's contributions that are in the person's focus areas (0–1)."""
        return self.focus_count / self.total if self.total else 0.0

    def totals_for_category(self, category_id: int) -> AreaTotals:
        """What counts toward an award in one category: its own and its sub-areas' work."""
        cells = [c for c in self.cells if c.category_id == category_id]
        return AreaTotals(
            count=sum(c.count for c in cells),
            quantity=sum(c.quantity for c in cells),
            reach=sum(c.reach for c in cells),
            pillars=frozenset(c.pillar for c in cells if c.count),
            active_months=len({c.month for c in cells if c.count}),
        )


def focus_category_ids(contributor: Contributor) -> frozenset[int]:
    """The award categories of the person's primary and additional areas."""
    additional = Contributor.additional_areas.through.objects.filter(
        contributor_id=contributor.pk
    ).values("technologyarea_id")
    rows = TechnologyArea.objects.filter(
        Q(pk=contributor.primary_area_id) | Q(pk__in=additional)
    ).values_list("pk", "parent_id")
    return frozenset(parent_id or pk for pk, parent_id in rows)


CELL_COLUMNS = ("pillar", "area_id", "parent_id", "month", "n", "total_quantity", "total_reach")


def window_cells(*, contributor_id: int, window: Window) -> tuple[Cell, ...]:
    rows = (
        Contribution.objects.filter(
            contributor_id=contributor_id, date__gt=window.start, date__lte=window.as_of
        )
        .values(
            pillar=F("kind__pillar"),
            area_id=F("technology_area_id"),
            parent_id=F("technology_area__parent_id"),
        )
        .annotate(
            # As a date in SQL: PostgreSQL's date_trunc gives a timestamp, which psycopg
            # would parse and Django convert back.
            month=Cast(TruncMonth("date"), DateField()),
            n=Count("id"),
            total_quantity=Sum("quantity"),
            total_reach=Sum("reach"),
        )
        .order_by()
    )
    # The ORM's SQL run on a plain cursor: Django's per-row converters cost more than the
    # query for a busy person's ~1,000 cells (13.6 against 8.3 ms), and so would a named
    # tuple per row; the columns are found by the names above. PostgreSQL answers the month
    # as a date; SQLite as ISO text.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = rows_in_order(cursor, *CELL_COLUMNS)
    return tuple(
        Cell(
            pillar,
            area_id,
            parent_id or area_id,
            month if isinstance(month, date) else date.fromisoformat(month),
            n,
            quantity or 0,
            reach or 0,
        )
        for pillar, area_id, parent_id, month, n, quantity, reach in fetched
    )


def leaving_contributions(
    *, contributor_id: int, window: Window, horizon_days: int = LEAVING_HORIZON_DAYS
) -> tuple[LeavingContribution, ...]:
    """Contributions in the window that leave it within ``horizon_days`` after as-of."""
    later = rolling_window(window.as_of + timedelta(days=horizon_days))
    rows = (
        Contribution.objects.filter(
            contributor_id=contributor_id, date__gt=window.start, date__lte=later.start
        )
        .order_by("date", "id")
        .values_list("id", "title", "date")
    )
    return tuple(
        LeavingContribution(id=pk, title=title, date=day, leaves_on=leaves_window_on(day))
        for pk, title, day in rows
    )


def window_summary(*, contributor: Contributor, as_of: date) -> WindowSummary:
    """Everything the window page, the summary API and eligibility need, in three queries
    whatever the size of the log."""
    window = rolling_window(as_of)
    return WindowSummary(
        window=window,
        cells=window_cells(contributor_id=contributor.pk, window=window),
        focus_category_ids=focus_category_ids(contributor),
        leaving=leaving_contributions(contributor_id=contributor.pk, window=window),
    )


# The contribution log, paginated by keyset: each page asks for one row more than it shows to
# know whether there is a next page, so no COUNT ever runs over the log.

LOG_PAGE_SIZE = 25
SORTS = {
    "date": "date",
    "title": "title",
    "reach": "reach",
    "quantity": "quantity",
}


@dataclass(frozen=True)
class LogPage:
    items: tuple[Contribution, ...]
    next_cursor: str | None
    sort: str
    descending: bool


def cursor_after(cursor: str, field: str):
    """The (value, id) a cursor points after, or None when it is not one of ours."""
    values = decode_cursor(cursor)
    if values is None or len(values) != 2:
        return None
    value, pk = values
    try:
        if field == "date":
            value = date.fromisoformat(value)
        elif field in ("reach", "quantity"):
            value = int(value)
        elif not isinstance(value, str):
            return None
        return value, int(pk)
    except (ValueError, TypeError):
        return None


def contributions_page(
    queryset,
    *,
    sort: str = "date",
    descending: bool = True,
    cursor: str = "",
    page_size: int = LOG_PAGE_SIZE,
) -> LogPage:
    """One page of ``queryset`` ordered by ``sort`` then id, starting after ``cursor``.

    One query whatever the size of the log."""
    field = SORTS.get(sort, "date")
    after = cursor_after(cursor, field) if cursor else None
    if after is not None:
        value, pk = after
        op = "lt" if descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": pk})
        )
    prefix = "-" if descending else ""
    rows = list(
        queryset.select_related("kind", "technology_area__parent", "verified_by").order_by(
            f"{prefix}{field}", f"{prefix}id"
        )[: page_size + 1]
    )
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, field), last.pk])
    return LogPage(items=tuple(rows), next_cursor=next_cursor, sort=field, descending=descending)


def public_contributions(contributor: Contributor):
    return Contribution.objects.for_contributor(contributor).public()


@dataclass(frozen=True)
class ContributorPage:
    items: tuple[Contributor, ...]
    next_cursor: int | None


def contributors_for_staff(
    *, scope: RegionScope, search: str = "", after_id: int = 0, page_size: int = 50
) -> ContributorPage:
    """Contributors a staff member may open: those of the regions they oversee."""
    queryset = scope.filter(Contributor.objects.select_related("user").order_by("id"))
    if search:
        queryset = queryset.filter(
            Q(handle__icontains=search)
            | Q(display_name__icontains=search)
            | Q(user__email__icontains=search)
        )
    rows = list(queryset.filter(id__gt=after_id)[: page_size + 1])
    next_cursor = rows[page_size - 1].pk if len(rows) > page_size else None
    return ContributorPage(items=tuple(rows[:page_size]), next_cursor=next_cursor)
