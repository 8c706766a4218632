"""Reads of the awards app, returning typed results. Set-based: one GROUP BY for everyone,
never a loop of per-person summaries."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from accounts.scope import ALL_REGIONS, RegionScope
from awards.eligibility import Evaluation, Facts, mcc_window, mvp_checks, mvp_thresholds_q
from awards.enums import AwardKind, AwardStatus, RenewalReviewStatus
from awards.models import Award, EligibilityPolicy, PillarException, RenewalReview
from contributions.enums import INELIGIBLE_EMPLOYER_CATEGORIES, Pillar
from contributions.models import Contribution, Contributor
from contributions.queries import AreaTotals, rolling_window
from contributions.services import age_on

PAGE_SIZE = 50


# ---------------------------------------------------------------- what-if of a policy change


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
    pillar_counts = {
        f"pillar_{pillar}": Count("id", filter=Q(kind__pillar=pillar)) for pillar in Pillar.values
    }
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
        .annotate(
            n=Count("id"),
            total_quantity=Sum("quantity"),
            total_reach=Sum("reach"),
            months=Count(TruncMonth("date"), distinct=True),
            **pillar_counts,
        )
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
            totals=AreaTotals(
                count=row["n"],
                quantity=row["total_quantity"] or 0,
                reach=row["total_reach"] or 0,
                pillars=frozenset(p for p in Pillar.values if row[f"pillar_{p}"]),
                active_months=row["months"],
            ),
        )
        for row in rows
    ]


def _exceptions_by_contributor(contributor_ids) -> dict[int, tuple]:
    found: dict[int, list] = {}
    for contributor_id, area_id, parent_id, reason in PillarException.objects.filter(
        withdrawn_at__isnull=True, contributor_id__in=contributor_ids
    ).values_list("contributor_id", "technology_area_id", "technology_area__parent_id", "reason"):
        category = parent_id or area_id
        found.setdefault(contributor_id, []).append((category, reason))
    return {key: tuple(value) for key, value in found.items()}


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
        "SELECT count(*), coalesce(sum(passes_now), 0), coalesce(sum(passes_proposed), 0), "  # noqa: S608
        "coalesce(sum(CASE WHEN passes_proposed > passes_now THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN passes_now > passes_proposed THEN 1 ELSE 0 END), 0) "
        f"FROM ({inner}) AS per_person"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


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
    exceptions = _exceptions_by_contributor(active_exceptions.values("contributor_id"))
    considered, now, proposed_count, gain, lose = _counts_in_sql(
        as_of=as_of,
        current=current,
        proposed=proposed,
        excluded=active_exceptions.values("contributor_id"),
    )
    rows = _exception_holder_rows(as_of=as_of, contributor_ids=list(exceptions))
    for row in rows:
        facts = Facts(
            age=age_on(date_of_birth=row.date_of_birth, on=as_of) if row.date_of_birth else None,
            employer_category=row.employer_category,
            focus_category_ids=frozenset({row.category_id}),
            pillar_exceptions=exceptions.get(row.contributor_id, ()),
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


# ---------------------------------------------------------------- MCC candidates


@dataclass(frozen=True)
class MccCandidate:
    contributor_id: int
    handle: str
    display_name: str
    region: str
    forum_contributions: int
    forum_quantity: int


def mcc_candidates(
    *,
    as_of: date,
    policy: EligibilityPolicy,
    scope: RegionScope = ALL_REGIONS,
    after_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[MccCandidate]:
    """Contributors whose forum activity over the policy's look-back meets the MCC thresholds
    and who hold no MCC in force on ``as_of``: one grouped query (HAVING on the thresholds),
    keyset-paginated by contributor id. Ineligible employers are left out."""
    first_day, last_day = mcc_window(as_of=as_of, days=policy.mcc_window_days)
    active_mcc = Award.objects.active_on(as_of).filter(
        kind=AwardKind.MCC, contributor_id=OuterRef("contributor_id")
    )
    queryset = Contribution.objects.filter(
        kind__is_forum_activity=True, date__gte=first_day, date__lte=last_day
    ).exclude(contributor__employer_category__in=INELIGIBLE_EMPLOYER_CATEGORIES)
    queryset = scope.filter(queryset, "contributor__region")
    if after_id is not None:
        queryset = queryset.filter(contributor_id__gt=after_id)
    rows = (
        queryset.values(
            "contributor_id",
            "contributor__handle",
            "contributor__display_name",
            "contributor__region",
        )
        .annotate(n=Count("id"), total_quantity=Sum("quantity"))
        .filter(
            n__gte=policy.mcc_min_forum_contributions,
            total_quantity__gte=policy.mcc_min_forum_quantity,
        )
        .filter(~Exists(active_mcc))
        .order_by("contributor_id")[:limit]
    )
    return [
        MccCandidate(
            contributor_id=row["contributor_id"],
            handle=row["contributor__handle"],
            display_name=row["contributor__display_name"],
            region=row["contributor__region"],
            forum_contributions=row["n"],
            forum_quantity=row["total_quantity"] or 0,
        )
        for row in rows
    ]


# ---------------------------------------------------------------- lists


def awards_for_staff(
    *,
    scope: RegionScope = ALL_REGIONS,
    kind: str = "",
    status: str = "",
    category_slug: str = "",
    filter_region: str = "",
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[Award]:
    """Newest grants first, keyset-paginated on the id. ``scope`` is whom the viewer oversees;
    ``filter_region`` is the page's own filter."""
    queryset = Award.objects.select_related("contributor", "technology_area").order_by("-pk")
    # The award's own copy of its holder's region (kept by triggers): no join to filter.
    queryset = scope.filter(queryset, "region")
    if filter_region:
        queryset = queryset.filter(region=filter_region)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if category_slug:
        queryset = queryset.filter(technology_area__slug=category_slug)
    if before_id is not None:
        queryset = queryset.filter(pk__lt=before_id)
    return list(queryset[:limit])


def open_renewal_reviews(
    *,
    scope: RegionScope = ALL_REGIONS,
    after: tuple[date, int] | None = None,
    limit: int = PAGE_SIZE,
) -> list[RenewalReview]:
    """The renewal queue: open reviews, nearest deadline first (keyset on deadline, id)."""
    queryset = (
        RenewalReview.objects.filter(status=RenewalReviewStatus.OPEN)
        .exclude(award__status=AwardStatus.REVOKED)
        .select_related("award__contributor__primary_area", "award__technology_area")
    )
    queryset = scope.filter(queryset, "award__region")
    if after is not None:
        day, pk = after
        queryset = queryset.filter(Q(update_by__gt=day) | Q(update_by=day, pk__gt=pk))
    return list(queryset.order_by("update_by", "pk")[:limit])


@dataclass(frozen=True)
class Badge:
    kind: str
    label: str
    status: str  # "active" or "alumni"
    award_id: int


def badges_for(*, contributor: Contributor, as_of: date) -> list[Badge]:
    """Active MVP badges per area and the MCC status; "MVP alumni" for an area whose MVP
    term expired and is not active any more; nothing for revoked awards. One query."""
    awards = list(
        Award.objects.filter(contributor=contributor)
        .exclude(status=AwardStatus.REVOKED)
        .select_related("technology_area")
        .order_by("-ends_on", "-pk")
    )
    badges: list[Badge] = []
    active_areas: set[int] = set()
    for award in awards:
        if award.status == AwardStatus.ACTIVE and award.starts_on <= as_of <= award.ends_on:
            label = str(award.technology_area) if award.kind == AwardKind.MVP else ""
            badges.append(Badge(award.kind, label, "active", award.pk))
            if award.kind == AwardKind.MVP:
                active_areas.add(award.technology_area_id)
    alumni_areas: set[int] = set()
    for award in awards:
        if (
            award.kind == AwardKind.MVP
            and (award.status == AwardStatus.EXPIRED or award.ends_on < as_of)
            and award.technology_area_id not in active_areas
            and award.technology_area_id not in alumni_areas
        ):
            alumni_areas.add(award.technology_area_id)
            badges.append(Badge(award.kind, str(award.technology_area), "alumni", award.pk))
    return badges


@dataclass(frozen=True)
class RenewalRow:
    review: RenewalReview
    evaluation: Evaluation


def category_totals_for(*, targets) -> dict[tuple[int, int], AreaTotals]:
    """Totals of several (contributor id, award category id, as-of date) targets, each over its
    own rolling window, in ONE grouped query (one OR-ed condition per target; pages are small)."""
    if not targets:
        return {}
    condition = Q()
    for contributor_id, category_id, as_of in targets:
        window = rolling_window(as_of)
        condition |= Q(
            contributor_id=contributor_id,
            area_category=category_id,
            date__gt=window.start,
            date__lte=window.as_of,
        )
    pillar_counts = {
        f"pillar_{pillar}": Count("id", filter=Q(kind__pillar=pillar)) for pillar in Pillar.values
    }
    rows = (
        Contribution.objects.annotate(
            area_category=Coalesce("technology_area__parent_id", "technology_area_id")
        )
        .filter(condition)
        .values("contributor_id", "area_category")
        .annotate(
            n=Count("id"),
            total_quantity=Sum("quantity"),
            total_reach=Sum("reach"),
            months=Count(TruncMonth("date"), distinct=True),
            **pillar_counts,
        )
        .order_by()
    )
    return {
        (row["contributor_id"], row["area_category"]): AreaTotals(
            count=row["n"],
            quantity=row["total_quantity"] or 0,
            reach=row["total_reach"] or 0,
            pillars=frozenset(p for p in Pillar.values if row[f"pillar_{p}"]),
            active_months=row["months"],
        )
        for row in rows
    }


def _focus_categories(contributors) -> dict[int, set[int]]:
    focus: dict[int, set[int]] = {}
    for person in contributors:
        if person.primary_area_id:
            focus.setdefault(person.pk, set()).add(
                person.primary_area.parent_id or person.primary_area_id
            )
    through = Contributor.additional_areas.through
    for contributor_id, area_id, parent_id in through.objects.filter(
        contributor_id__in=[person.pk for person in contributors]
    ).values_list("contributor_id", "technologyarea_id", "technologyarea__parent_id"):
        focus.setdefault(contributor_id, set()).add(parent_id or area_id)
    return focus


def renewal_queue_rows(
    *, reviews: list[RenewalReview], policy: EligibilityPolicy
) -> list[RenewalRow]:
    """Each MVP's last 12 months up to the term's end against the policy, for a page of the
    queue in three queries whatever its length (totals, additional areas, exceptions)."""
    awards = [review.award for review in reviews]
    totals = category_totals_for(
        targets=[(a.contributor_id, a.technology_area_id, a.ends_on) for a in awards]
    )
    people = [award.contributor for award in awards]
    focus = _focus_categories(people)
    exceptions = _exceptions_by_contributor([person.pk for person in people])
    rows = []
    for review, award in zip(reviews, awards, strict=True):
        person = award.contributor
        facts = Facts(
            age=(
                age_on(date_of_birth=person.date_of_birth, on=award.ends_on)
                if person.date_of_birth
                else None
            ),
            employer_category=person.employer_category,
            focus_category_ids=frozenset(focus.get(person.pk, ())),
            pillar_exceptions=exceptions.get(person.pk, ()),
        )
        checks = mvp_checks(
            facts=facts,
            totals=totals.get((person.pk, award.technology_area_id), AreaTotals()),
            policy=policy,
            as_of=award.ends_on,
            category_id=award.technology_area_id,
        )
        rows.append(
            RenewalRow(
                review=review,
                evaluation=Evaluation(
                    award_kind=AwardKind.MVP,
                    category_id=award.technology_area_id,
                    as_of=award.ends_on,
                    policy_version=policy.pk,
                    checks=checks,
                ),
            )
        )
    return rows
