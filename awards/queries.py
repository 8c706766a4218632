"""Reads of the awards app, returning typed results. Set-based: one GROUP BY for everyone,
never a loop of per-person summaries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from accounts.scope import ALL_REGIONS, RegionScope
from awards.eligibility import (
    Evaluation,
    Facts,
    ForumActivity,
    evaluate,
    mcc_window,
    mvp_checks,
)
from awards.enums import AwardKind, AwardStatus, RenewalReviewStatus
from awards.models import Award, EligibilityPolicy, PillarException, RenewalReview
from contributions.enums import INELIGIBLE_EMPLOYER_CATEGORIES
from contributions.models import Contribution, Contributor, TechnologyArea
from contributions.queries import (
    AreaTotals,
    WindowSummary,
    rolling_window,
    totals_aggregates,
    totals_of,
    window_summary,
)

PAGE_SIZE = 50


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


def category_totals_for(*, targets) -> dict[tuple[int, int | None], AreaTotals]:
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
    rows = (
        Contribution.objects.annotate(
            area_category=Coalesce("technology_area__parent_id", "technology_area_id")
        )
        .filter(condition)
        .values("contributor_id", "area_category")
        .annotate(**totals_aggregates())
        .order_by()
    )
    return {(row["contributor_id"], row["area_category"]): totals_of(row) for row in rows}


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
    exceptions = pillar_exceptions_for([person.pk for person in people])
    rows = []
    for review, award in zip(reviews, awards, strict=True):
        person = award.contributor
        facts = Facts.of(
            date_of_birth=person.date_of_birth,
            employer_category=person.employer_category,
            focus_category_ids=focus.get(person.pk, ()),
            pillar_exceptions=exceptions.get(person.pk, ()),
            as_of=award.ends_on,
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


# ---------------------------------------------------------------- one person's evaluation


def forum_activity(*, contributor_id: int, as_of: date, days: int) -> ForumActivity:
    first_day, last_day = mcc_window(as_of=as_of, days=days)
    row = Contribution.objects.filter(
        contributor_id=contributor_id,
        kind__is_forum_activity=True,
        date__gte=first_day,
        date__lte=last_day,
    ).aggregate(n=Count("id"), quantity=Sum("quantity"))
    return ForumActivity(
        first_day=first_day, last_day=last_day, count=row["n"], quantity=row["quantity"] or 0
    )


def pillar_exceptions_for(contributor_ids) -> dict[int, tuple[tuple[int | None, str], ...]]:
    """The active pillar exceptions of each contributor (ids or a subquery of them), as
    :attr:`Facts.pillar_exceptions`: (award category id, reason). One query."""
    found: dict[int, list] = {}
    for contributor_id, area_id, parent_id, reason in PillarException.objects.filter(
        withdrawn_at__isnull=True, contributor_id__in=contributor_ids
    ).values_list("contributor_id", "technology_area_id", "technology_area__parent_id", "reason"):
        found.setdefault(contributor_id, []).append((parent_id or area_id, reason))
    return {key: tuple(value) for key, value in found.items()}


def facts_for(*, contributor: Contributor, as_of: date, focus_category_ids) -> Facts:
    return Facts.of(
        date_of_birth=contributor.date_of_birth,
        employer_category=contributor.employer_category,
        focus_category_ids=focus_category_ids,
        pillar_exceptions=pillar_exceptions_for([contributor.pk]).get(contributor.pk, ()),
        as_of=as_of,
    )


def primary_category_id(contributor: Contributor) -> int | None:
    if not contributor.primary_area_id:
        return None
    parent_id = (
        TechnologyArea.objects.filter(pk=contributor.primary_area_id)
        .values_list("parent_id", flat=True)
        .first()
    )
    return parent_id or contributor.primary_area_id


def evaluate_contributor(
    *,
    contributor: Contributor,
    award_kind: str,
    category: TechnologyArea | None = None,
    as_of: date,
    policy: EligibilityPolicy | None = None,
    summary: WindowSummary | None = None,
) -> Evaluation:
    """Gather the facts and the summary, then :func:`evaluate`. At most seven queries for
    MVP (policy, primary category, exceptions, the three of the window summary) and four for
    MCC, whatever the size of the log. Without ``category`` an MVP is evaluated in the
    person's primary award category. A page that already holds the window summary for the
    same person and date passes it in ``summary`` so it is not computed twice."""
    policy = policy or EligibilityPolicy.current()
    measured: WindowSummary | ForumActivity
    if award_kind == AwardKind.MVP:
        category_id = category.category_id if category else primary_category_id(contributor)
        if summary is None or summary.window.as_of != as_of:
            summary = window_summary(contributor=contributor, as_of=as_of)
        measured = summary
        facts = facts_for(
            contributor=contributor,
            as_of=as_of,
            focus_category_ids=summary.focus_category_ids,
        )
    else:
        category_id = None
        measured = forum_activity(
            contributor_id=contributor.pk, as_of=as_of, days=policy.mcc_window_days
        )
        facts = facts_for(contributor=contributor, as_of=as_of, focus_category_ids=())
    return evaluate(
        facts=facts,
        summary=measured,
        policy=policy,
        as_of=as_of,
        award_kind=award_kind,
        category_id=category_id,
    )
