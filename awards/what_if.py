"""The what-if preview of a policy change: how many people would gain or lose MVP
eligibility, counted in the database (:func:`awards.eligibility.mvp_thresholds_q` as one SQL
condition) beside the few pillar-exception holders evaluated by
:func:`awards.eligibility.mvp_checks` itself."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from awards.eligibility import Facts, mvp_checks, mvp_thresholds_q
from awards.models import EligibilityPolicy, PillarException
from awards.queries import pillar_exceptions_for
from common.sql import named_row
from contributions.enums import Pillar
from contributions.models import Contribution, Contributor
from contributions.queries import AreaTotals, rolling_window, totals_aggregates, totals_of


@dataclass(frozen=True)
class PrimaryCategoryRow:
    """One contributor's window in their primary award category, aggregated in SQL."""

    contributor_id: int
    category_id: int
    date_of_birth: date | None
    employer_category: str
    totals: AreaTotals


@dataclass(frozen=True)
class WhatIf:
    as_of: date
    current_version: int | None
    considered: int
    eligible_now: int
    eligible_proposed: int
    gain: int
    lose: int


def _grouped_window(*, as_of: date, contributor_ids=None):
    """Contributions in the window and in their person's primary award category, grouped
    per person: count, quantity, reach, distinct months and one count per pillar."""
    window = rolling_window(as_of)
    queryset = (
        Contribution.objects.filter(date__gt=window.start, date__lte=window.as_of)
        .annotate(
            area_category=Coalesce("technology_area__parent_id", "technology_area_id"),
            person_category=Coalesce(
                "contributor__primary_area__parent_id", "contributor__primary_area_id"
            ),
        )
        .filter(area_category=F("person_category"))
    )
    if contributor_ids is not None:
        queryset = queryset.filter(contributor_id__in=contributor_ids)
    return (
        queryset.values(
            "contributor_id",
            "person_category",
            "contributor__date_of_birth",
            "contributor__employer_category",
        )
        .annotate(**totals_aggregates())
        .order_by()
    )


def primary_category_rows(*, as_of: date, contributor_ids=None) -> list[PrimaryCategoryRow]:
    """Every contributor's totals in their primary award category as of ``as_of`` in ONE
    grouped query over the window (contributions joined to their kind, area and person).
    Contributors without any contribution there are not returned: no policy makes them
    eligible (at least one pillar is always required)."""
    rows = _grouped_window(as_of=as_of, contributor_ids=contributor_ids)
    return [
        PrimaryCategoryRow(
            contributor_id=row["contributor_id"],
            category_id=row["person_category"],
            date_of_birth=row["contributor__date_of_birth"],
            employer_category=row["contributor__employer_category"],
            totals=totals_of(row),
        )
        for row in rows
    ]


def _exception_holder_rows(*, as_of: date, contributor_ids: list[int]) -> list[PrimaryCategoryRow]:
    """The rows of people with a pillar exception, also those with nothing in the window (an
    exception can carry a lax policy's pillar check for them too); no query without any."""
    if not contributor_ids:
        return []
    found = {
        row.contributor_id: row
        for row in primary_category_rows(as_of=as_of, contributor_ids=contributor_ids)
    }
    people = (
        Contributor.objects.filter(pk__in=contributor_ids, primary_area__isnull=False)
        .annotate(category=Coalesce("primary_area__parent_id", "primary_area_id"))
        .values_list("pk", "category", "date_of_birth", "employer_category")
    )
    return [
        found.get(pk)
        or PrimaryCategoryRow(
            contributor_id=pk,
            category_id=category,
            date_of_birth=born,
            employer_category=employer,
            totals=AreaTotals(),
        )
        for pk, category, born, employer in people
    ]


def _passes(rule: Q) -> Case:
    return Case(When(rule, then=Value(1)), default=Value(0), output_field=IntegerField())


def _counts_in_sql(
    *, as_of: date, current: EligibilityPolicy, proposed: EligibilityPolicy, excluded
) -> tuple[int, int, int, int, int]:
    """(considered, now, proposed, gain, lose) over everyone but ``excluded``, counted in the
    database: the grouped window, each person's pass/fail under both policies
    (:func:`awards.eligibility.mvp_thresholds_q`), summed. One query, one row back."""
    pillars = sum(
        (
            Case(When(**{f"pillar_{p}__gt": 0}, then=Value(1)), default=Value(0))
            for p in Pillar.values
        ),
        start=Value(0),
    )
    columns = {
        "count": "n",
        "quantity": "quantity_or_0",
        "reach": "reach_or_0",
        "months": "months",
        "pillars": "pillar_count",
        "date_of_birth": "contributor__date_of_birth",
        "employer_category": "contributor__employer_category",
    }
    grouped = (
        _grouped_window(as_of=as_of)
        .exclude(contributor_id__in=excluded)
        .annotate(
            quantity_or_0=Coalesce(Sum("quantity"), 0),
            reach_or_0=Coalesce(Sum("reach"), 0),
            pillar_count=ExpressionWrapper(pillars, output_field=IntegerField()),
        )
        .annotate(
            passes_now=_passes(mvp_thresholds_q(policy=current, as_of=as_of, **columns)),
            passes_proposed=_passes(mvp_thresholds_q(policy=proposed, as_of=as_of, **columns)),
        )
    )
    inner, params = grouped.query.sql_with_params()
    # Django's own SQL for the inner query, every value a parameter.
    sql = (
        "SELECT count(*) AS considered, coalesce(sum(passes_now), 0) AS now, "  # noqa: S608
        "coalesce(sum(passes_proposed), 0) AS proposed, "
        "coalesce(sum(CASE WHEN passes_proposed > passes_now THEN 1 ELSE 0 END), 0) AS gain, "
        "coalesce(sum(CASE WHEN passes_now > passes_proposed THEN 1 ELSE 0 END), 0) AS lose "
        f"FROM ({inner}) AS per_person"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = named_row(cursor)
    return row.considered, row.now, row.proposed, row.gain, row.lose


def policy_what_if(
    *, proposed: EligibilityPolicy, as_of: date, current: EligibilityPolicy | None = None
) -> WhatIf:
    """How many contributors would gain or lose MVP eligibility in their primary award category
    as of ``as_of`` if ``proposed`` (unsaved) replaced ``current``.

    Everyone without an active pillar exception is counted in the database in one query
    (their checks as one SQL condition, so no row per person comes back); the few people with
    an exception are evaluated by :func:`awards.eligibility.mvp_checks` itself. Two queries,
    four when there are exceptions."""
    current = current or EligibilityPolicy.current()
    active_exceptions = PillarException.objects.filter(withdrawn_at__isnull=True)
    # A large IN list is avoided: exceptions are few, read them all.
    exceptions = pillar_exceptions_for(active_exceptions.values("contributor_id"))
    considered, now, proposed_count, gain, lose = _counts_in_sql(
        as_of=as_of,
        current=current,
        proposed=proposed,
        excluded=active_exceptions.values("contributor_id"),
    )
    rows = _exception_holder_rows(as_of=as_of, contributor_ids=list(exceptions))
    for row in rows:
        facts = Facts.of(
            date_of_birth=row.date_of_birth,
            employer_category=row.employer_category,
            focus_category_ids={row.category_id},
            pillar_exceptions=exceptions.get(row.contributor_id, ()),
            as_of=as_of,
        )
        before, after = (
            all(
                c.passed
                for c in mvp_checks(
                    facts=facts,
                    totals=row.totals,
                    policy=policy,
                    as_of=as_of,
                    category_id=row.category_id,
                )
            )
            for policy in (current, proposed)
        )
        now += before
        proposed_count += after
        gain += after and not before
        lose += before and not after
    return WhatIf(
        as_of=as_of,
        current_version=current.pk,
        considered=considered + len(rows),
        eligible_now=now,
        eligible_proposed=proposed_count,
        gain=gain,
        lose=lose,
    )
