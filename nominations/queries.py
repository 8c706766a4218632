"""Reads for nomination pages and the staff queue (typed results); program metrics are in
:mod:`nominations.metrics`."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.rules import is_reviewer
from accounts.scope import RegionScope
from common.cursors import decode_cursor, encode_cursor
from contributions.queries import WindowSummary, window_summary
from nominations.enums import NominationSource, NominationStatus
from nominations.models import (
    CRITERIA,
    Endorsement,
    Nomination,
    Review,
    ReviewAssignment,
    ReviewerLoad,
)

QUEUE_PAGE_SIZE = 50
SORTS = {
    # name: (ordering fields for keyset; the last is always the primary key)
    "due": ("decision_due", "pk"),
    "-due": ("-decision_due", "-pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
}


def nominations_visible_to(user: User) -> QuerySet:
    """Global staff see all; a regional manager their region; a reviewer what is assigned to
    them; anyone what they nominated, endorsed or are the candidate of."""
    if not (user and user.is_authenticated):
        return Nomination.objects.none()
    region_scope = RegionScope.for_user(user)
    if region_scope.all_regions:
        return Nomination.objects.all()
    visible = (
        Q(nominated_by=user)
        | Q(candidate__user=user)
        | Q(pk__in=Endorsement.objects.filter(endorser=user).values("nomination_id"))
    )
    overseen = region_scope.q("region")
    if overseen is not None:
        visible |= overseen
    if is_reviewer(user):
        visible |= Q(assignments__reviewer=user)
    return Nomination.objects.filter(visible).distinct()


def queue_scope(user: User) -> QuerySet:
    """The staff queue's nominations: those of the regions ``user`` oversees."""
    return RegionScope.for_user(user).filter(Nomination.objects.all())


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    area: int | None = None
    region: str = ""
    source: str = ""
    days_left: int | None = None  # decision due within this many days


@dataclass(frozen=True)
class QueueRow:
    id: int
    candidate_name: str
    candidate_email: str
    area_name: str
    region: str
    source: str
    status: str
    submitted_at: datetime
    decision_due: date
    days_left: int
    endorsements: int
    reviews: int
    completed: bool
    status_label: str
    source_label: str


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    next_cursor: str | None
    sort: str


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(nomination=OuterRef("pk"), **filters)
            .order_by()
            .values("nomination")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def filtered_queue(*, user: User, filters: QueueFilters, as_of: date) -> QuerySet:
    qs = queue_scope(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.area:
        qs = qs.filter(technology_area_id=filters.area)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.days_left is not None:
        qs = qs.filter(decision_due__lte=as_of + timedelta(days=filters.days_left))
    return qs


def _after(sort: str, values) -> Q:
    """Keyset condition: rows strictly after ``values`` in the sort order."""
    first, _pk = SORTS[sort]
    field = first.lstrip("-")
    op = "lt" if first.startswith("-") else "gt"
    value, last_pk = values
    return Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": last_pk})


def nomination_queue(
    *,
    user: User,
    filters: QueueFilters,
    as_of: date,
    sort: str = "due",
    cursor: str = "",
    limit: int = QUEUE_PAGE_SIZE,
) -> QueuePage:
    """One page of the staff queue, in one query whatever its size (keyset pagination)."""
    sort = sort if sort in SORTS else "due"
    qs = filtered_queue(user=user, filters=filters, as_of=as_of)
    values = decode_cursor(cursor) if cursor else None
    if values and len(values) == 2:
        qs = qs.filter(_after(sort, values))
    qs = (
        qs.annotate(
            n_endorsements=_count(Endorsement),
            n_reviews=_count(Review),
            area_name=F("technology_area__name"),
        )
        .order_by(*SORTS[sort])
        .values(
            "pk",
            "candidate_name",
            "candidate_email",
            "area_name",
            "region",
            "source",
            "status",
            "submitted_at",
            "decision_due",
            "n_endorsements",
            "n_reviews",
            "candidate_completed_at",
        )[: limit + 1]
    )
    rows = list(qs)
    status_labels = dict(NominationStatus.choices)
    source_labels = dict(NominationSource.choices)
    page = tuple(
        QueueRow(
            id=row["pk"],
            candidate_name=row["candidate_name"],
            candidate_email=row["candidate_email"],
            area_name=row["area_name"],
            region=row["region"],
            source=row["source"],
            status=row["status"],
            submitted_at=row["submitted_at"],
            decision_due=row["decision_due"],
            days_left=(row["decision_due"] - as_of).days,
            endorsements=row["n_endorsements"],
            reviews=row["n_reviews"],
            completed=row["candidate_completed_at"] is not None,
            status_label=str(status_labels.get(row["status"], row["status"])),
            source_label=str(source_labels.get(row["source"], row["source"])),
        )
        for row in rows[:limit]
    )
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        key = (
            last.decision_due if SORTS[sort][0].lstrip("-") == "decision_due" else last.submitted_at
        )
        next_cursor = encode_cursor([key.isoformat(), last.id])
    return QueuePage(rows=page, next_cursor=next_cursor, sort=sort)


# --- the nominee page ----------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionStats:
    name: str
    mean: float | None
    median: float | None


@dataclass(frozen=True)
class ReviewerSeverity:
    reviewer_id: int
    reviews: int
    mean: float
    severity: float  # their mean minus the panel mean: negative = stricter than usual


def score_stats(reviews) -> tuple[CriterionStats, ...]:
    stats = []
    for name in CRITERIA:
        values = [getattr(review, name) for review in reviews]
        stats.append(
            CriterionStats(
                name=name,
                mean=round(statistics.fmean(values), 2) if values else None,
                median=statistics.median(values) if values else None,
            )
        )
    return tuple(stats)


def reviewer_severity(reviewer_ids) -> dict[int, ReviewerSeverity]:
    """Each reviewer's usual severity over all their reviews: their mean score minus the
    mean of every review by anyone. Two small queries over the per-reviewer totals that
    database triggers keep (``ReviewerLoad``), so the cost does not grow with history."""
    panel = ReviewerLoad.objects.aggregate(reviews=Sum("reviews"), total=Sum("score_total"))
    if not panel["reviews"]:
        return {}
    panel_mean = panel["total"] / (len(CRITERIA) * panel["reviews"])
    rows = ReviewerLoad.objects.filter(reviewer_id__in=list(reviewer_ids), reviews__gt=0).values(
        "reviewer_id", "reviews", "score_total"
    )
    result = {}
    for row in rows:
        mean = row["score_total"] / (len(CRITERIA) * row["reviews"])
        result[row["reviewer_id"]] = ReviewerSeverity(
            reviewer_id=row["reviewer_id"],
            reviews=row["reviews"],
            mean=round(mean, 2),
            severity=round(mean - panel_mean, 2),
        )
    return result


# --- one nomination ------------------------------------------------------------------------


@dataclass(frozen=True)
class NominationPage:
    nomination: Nomination
    endorsements: tuple
    events: tuple
    assignments: tuple
    reviews: tuple
    stats: tuple[CriterionStats, ...]
    severity: dict
    summary: WindowSummary | None
    days_left: int

    def chart_data(self) -> dict:
        if self.summary is None:
            return {"labels": [], "values": []}
        months = self.summary.by_month
        return {
            "labels": [month.strftime("%Y-%m") for month, _n in months],
            "values": [n for _month, n in months],
        }


def nomination_page(*, nomination: Nomination, as_of: date, with_panel: bool) -> NominationPage:
    """Everything the nomination page shows, in a fixed number of queries. ``with_panel``
    adds reviews, their statistics and the reviewers' usual severity (staff only)."""
    reviews: tuple[Review, ...] = ()
    severity: dict = {}
    if with_panel:
        reviews = tuple(nomination.reviews.select_related("reviewer"))
        severity = reviewer_severity({review.reviewer_id for review in reviews})
    return NominationPage(
        nomination=nomination,
        endorsements=tuple(nomination.endorsements.select_related("endorser")),
        events=tuple(nomination.events.select_related("actor")),
        assignments=tuple(nomination.assignments.select_related("reviewer")) if with_panel else (),
        reviews=reviews,
        stats=score_stats(reviews),
        severity=severity,
        summary=window_summary(contributor=nomination.candidate, as_of=as_of)
        if nomination.candidate
        else None,
        days_left=(nomination.decision_due - as_of).days,
    )


@dataclass(frozen=True)
class MyNominations:
    made: tuple
    endorsed: tuple
    received: tuple


def nominations_for_user(user: User) -> MyNominations:
    base = Nomination.objects.select_related("technology_area")
    return MyNominations(
        made=tuple(base.filter(nominated_by=user)),
        endorsed=tuple(base.filter(endorsements__endorser=user)),
        received=tuple(base.filter(candidate__user=user)),
    )


def assignments_for_reviewer(user: User) -> tuple:
    return tuple(
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("nomination", "nomination__technology_area")
        .annotate(done=Count("nomination__reviews", filter=Q(nomination__reviews__reviewer=user)))
        .order_by("due_on", "pk")
    )
