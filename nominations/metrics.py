"""Program metrics: the pipeline, MVP awards in force by region, area and country, and
contributions by month, read from the counts database triggers keep in nominations, awards
and contributions (nominations is the top domain app, so it sees all three)."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth

from accounts.enums import Region
from accounts.models import User
from accounts.scope import RegionScope
from awards.enums import AwardKind, AwardStatus
from awards.models import ActiveAwardCount, Award
from contributions.models import ContributionDayCount, TechnologyArea
from nominations.enums import NominationStatus
from nominations.models import NominationCount

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ProgramMetrics:
    pipeline: "tuple[tuple[StrOrPromise, int], ...]"
    awards_by_region: tuple[tuple[str, int], ...]
    awards_by_area: tuple[tuple[str, int], ...]
    awards_by_country: tuple[tuple[str, int], ...]
    contributions_by_month: tuple[tuple[str, int], ...]

    def chart_data(self) -> dict:
        def split(pairs):
            return {"labels": [str(label) for label, _ in pairs], "values": [n for _, n in pairs]}

        return {
            "pipeline": split(self.pipeline),
            "awards_by_region": split(self.awards_by_region),
            "awards_by_area": split(self.awards_by_area),
            "awards_by_country": split(self.awards_by_country),
            "contributions_by_month": split(self.contributions_by_month),
        }


def program_metrics(*, user: User, as_of: date) -> ProgramMetrics:
    """Aggregates for the metrics page (four small queries, whatever the number of awards,
    nominations or contributions). A regional manager sees their region only."""
    scope = RegionScope.for_user(user)
    labels = dict(NominationStatus.choices)
    # Counts kept by database triggers: one row per status and region, whatever the number
    # of nominations ever made.
    kept_nominations = scope.filter(NominationCount.objects.all())
    counts = dict(kept_nominations.order_by().values_list("status").annotate(total=Sum("n")))
    pipeline = tuple((labels[s], counts.get(s, 0)) for s in NominationStatus.values)

    # MVP awards in force on as_of = the active ones (counts kept by database triggers per
    # holder region, country and area: a few hundred rows) minus the active ones whose term
    # has ended (the expiry job has not run yet) or not begun (renewals granted ahead). Those
    # few are read by two partial indexes, so the cost does not grow with the awards.
    kept = scope.filter(ActiveAwardCount.objects.filter(kind=AwardKind.MVP, n__gt=0)).annotate(
        area=Subquery(
            TechnologyArea.objects.filter(pk=OuterRef("technology_area_id")).values("name")[:1]
        )
    )
    not_in_force = scope.filter(
        Award.objects.filter(kind=AwardKind.MVP, status=AwardStatus.ACTIVE).filter(
            Q(ends_on__lt=as_of) | Q(starts_on__gt=as_of)
        )
    )
    day_counts = scope.filter(
        ContributionDayCount.objects.filter(
            day__gt=as_of - relativedelta(months=12), day__lte=as_of
        )
    )
    region_labels = dict(Region.choices)

    # Areas by name, as the page shows them (two areas of one name are one line).
    in_force: dict[tuple, int] = {}
    for *key, n in kept.order_by().values_list("region", "country", "area", "n"):
        in_force[tuple(key)] = in_force.get(tuple(key), 0) + n
    for *key, n in (
        not_in_force.order_by()
        .values_list("region", "country", "technology_area__name")
        .annotate(n=Count("pk"))
    ):
        in_force[tuple(key)] = in_force.get(tuple(key), 0) - n
    by: tuple[dict, dict, dict] = ({}, {}, {})
    for keys, n in in_force.items():
        if n:
            for totals, key in zip(by, keys, strict=True):
                totals[key] = totals.get(key, 0) + n

    def ranked(totals: dict) -> list:
        return sorted(totals.items(), key=lambda item: (-item[1], item[0] or ""))

    by_region = tuple((str(region_labels.get(key, key or "—")), n) for key, n in ranked(by[0]))
    by_country = tuple((key or "—", n) for key, n in ranked(by[1]))
    by_area = tuple(ranked(by[2]))
    # Per-day counts kept by database triggers: at most 366 rows per region, whatever the
    # size of the log.
    by_month = tuple(
        (month.strftime("%Y-%m"), n)
        for month, n in day_counts.annotate(month=TruncMonth("day"))
        .order_by()
        .values_list("month")
        .annotate(n=Sum("contributions"))
        .filter(n__gt=0)
        .order_by("month")
    )
    return ProgramMetrics(
        pipeline=pipeline,
        awards_by_region=by_region,
        awards_by_area=by_area,
        awards_by_country=by_country,
        contributions_by_month=by_month,
    )
