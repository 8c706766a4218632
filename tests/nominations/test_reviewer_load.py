"""``ReviewerLoad`` stays exactly what counting the history gives (database triggers,
migration 0003), and the reviewer picker and severity figures read from it give the same
answers as the old queries over the whole history."""

import datetime
import statistics

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.test import RequestFactory
from django.urls import reverse

from accounts.enums import Role
from nominations.enums import OPEN_STATUSES, NominationStatus
from nominations.jobs import expire_nominations
from nominations.models import CRITERIA, Nomination, Review, ReviewAssignment, ReviewerLoad
from nominations.queries import reviewer_severity
from nominations.workflow.decisions import transition_nomination, withdraw_nomination
from nominations.workflow.panel import (
    assign_reviewer,
    auto_assign_reviewers,
    reviewers_by_load,
    submit_review,
)
from tests.factories.nominations import AS_OF, make_mvp, make_nomination, make_privileged

pytestmark = pytest.mark.django_db

SCORES = {"expertise": 4, "quality": 3, "quantity": 5, "impact": 2, "recommendation": "award"}


def from_the_history() -> dict[int, tuple[int, int, int]]:
    """(open assignments, reviews, score total) per reviewer, counted the old way."""
    result: dict[int, list[int]] = {}
    for reviewer_id, n in (
        ReviewAssignment.objects.filter(nomination__status__in=OPEN_STATUSES)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result.setdefault(reviewer_id, [0, 0, 0])[0] = n
    for review in Review.objects.all():
        row = result.setdefault(review.reviewer_id, [0, 0, 0])
        row[1] += 1
        row[2] += sum(getattr(review, name) for name in CRITERIA)
    return {key: tuple(value) for key, value in result.items()}


def kept() -> dict[int, tuple[int, int, int]]:
    return {
        row.reviewer_id: (row.open_assignments, row.reviews, row.score_total)
        for row in ReviewerLoad.objects.all()
        if (row.open_assignments, row.reviews, row.score_total) != (0, 0, 0)
    }


def assert_exact():
    assert kept() == from_the_history()


def old_picker():
    """The picker's query before ReviewerLoad: every reviewer's whole history, counted."""
    return (
        get_user_model()
        .objects.filter(rolegrant__role=Role.REVIEWER, is_active=True)
        .annotate(
            open_assignments=Count(
                "review_assignments",
                filter=Q(review_assignments__nomination__status__in=OPEN_STATUSES),
            )
        )
    )


@pytest.fixture
def panel():
    return [make_privileged(role=Role.REVIEWER) for _ in range(4)]


def test_reviewer_load_follows_the_workflow(program_staff, panel, mvp):
    first = make_nomination(nominated_by=mvp)
    second = make_nomination(nominated_by=mvp)
    for reviewer in panel[:3]:
        assign_reviewer(nomination_id=first.pk, reviewer=reviewer, actor=program_staff, as_of=AS_OF)
    auto_assign_reviewers(nomination_id=second.pk, actor=program_staff, as_of=AS_OF)
    assert_exact()
    submit_review(nomination_id=first.pk, reviewer=panel[0], as_of=AS_OF, **SCORES)
    assert kept()[panel[0].pk] == (2, 1, 14)
    assert_exact()
    transition_nomination(
        nomination_id=first.pk,
        to_status=NominationStatus.DECLINED,
        actor=program_staff,
        reason="Not yet",
        as_of=AS_OF,
    )
    assert_exact()
    withdraw_nomination(nomination_id=second.pk, actor=mvp, as_of=AS_OF)
    assert_exact()
    assert {row[0] for row in kept().values()} == {0}  # nothing open any more
    assert kept()[panel[0].pk] == (0, 1, 14)  # closing keeps the review history


def test_reviewer_load_follows_the_expiry_job(program_staff, panel, mvp):
    nomination = make_nomination(nominated_by=mvp)
    auto_assign_reviewers(nomination_id=nomination.pk, actor=program_staff, as_of=AS_OF)
    assert sum(row[0] for row in kept().values()) == 3
    assert expire_nominations(as_of=datetime.date(2026, 6, 3)) == {"nominations_expired": 1}
    assert_exact()
    assert sum(row[0] for row in kept().values()) == 0


def test_reviewer_load_follows_deletes_and_the_admin(rf: RequestFactory, program_staff, panel, mvp):
    nomination = make_nomination(nominated_by=mvp)
    auto_assign_reviewers(nomination_id=nomination.pk, actor=program_staff, as_of=AS_OF)
    reviewer = nomination.assignments.first().reviewer
    submit_review(nomination_id=nomination.pk, reviewer=reviewer, as_of=AS_OF, **SCORES)
    request = rf.post("/")
    request.user = program_staff
    site._registry[Review].delete_queryset(request, Review.objects.filter(reviewer=reviewer))
    assert_exact()
    Review.objects.create(nomination=nomination, reviewer=reviewer, **SCORES)
    Review.objects.filter(reviewer=reviewer).update(impact=5)
    assert kept()[reviewer.pk][1:] == (1, 17)
    ReviewAssignment.objects.filter(reviewer=reviewer).delete()
    assert_exact()
    Nomination.objects.filter(pk=nomination.pk).update(status=NominationStatus.EXPIRED)
    assert_exact()
    Nomination.objects.filter(pk=nomination.pk).update(status=NominationStatus.IN_REVIEW)
    assert_exact()
    nomination.delete()  # cascades to assignments and reviews
    assert kept() == {}
    assert_exact()


def test_reviewer_picker_gives_the_same_choices_as_counting_history(program_staff, panel):
    inactive = make_privileged(role=Role.REVIEWER, is_active=False)
    nominations = [make_nomination(nominated_by=make_mvp()) for _ in range(4)]
    loads = {panel[0]: nominations, panel[1]: nominations[:2], panel[2]: nominations[3:]}
    for reviewer, assigned in loads.items():
        for nomination in assigned:
            assign_reviewer(
                nomination_id=nomination.pk, reviewer=reviewer, actor=program_staff, as_of=AS_OF
            )
    assign_reviewer(
        nomination_id=nominations[2].pk, reviewer=inactive, actor=program_staff, as_of=AS_OF
    )
    transition_nomination(
        nomination_id=nominations[0].pk,
        to_status=NominationStatus.DECLINED,
        actor=program_staff,
        reason="Not yet",
        as_of=AS_OF,
    )

    def choices(qs):
        return list(qs.order_by("open_assignments", "pk").values_list("pk", "open_assignments"))

    assert choices(reviewers_by_load()) == choices(old_picker())
    assert dict(choices(reviewers_by_load())) == {
        panel[0].pk: 3,
        panel[1].pk: 1,
        panel[2].pk: 1,
        panel[3].pk: 0,
    }
    # The nominee page's picker: the same people as the old query minus conflicts and the
    # already assigned, in the same order.
    program_staff.refresh_from_db()
    target = nominations[1]
    response = _staff_client(program_staff).get(reverse("nominations:detail", args=[target.pk]))
    offered = list(response.context["assign_form"].fields["reviewer"].queryset)
    taken = set(target.assignments.values_list("reviewer_id", flat=True))
    expected = [
        person
        for person in old_picker().order_by("email")
        if person.pk not in taken and person.pk != target.nominated_by_id
    ]
    assert offered == expected
    assert [getattr(person, "open_assignments", None) for person in offered] == [
        person.open_assignments for person in expected
    ]


def _staff_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_reviewer_severity_matches_the_mean_over_every_review(program_staff, panel):
    scores = {panel[0]: [1, 2, 2], panel[1]: [5, 4], panel[2]: [3]}
    for reviewer, values in scores.items():
        for value in values:
            nomination = make_nomination(nominated_by=make_mvp())
            assign_reviewer(
                nomination_id=nomination.pk, reviewer=reviewer, actor=program_staff, as_of=AS_OF
            )
            submit_review(
                nomination_id=nomination.pk,
                reviewer=reviewer,
                expertise=value,
                quality=value,
                quantity=max(1, value - 1),
                impact=value,
                recommendation="award",
                as_of=AS_OF,
            )
    overall = {
        review.pk: sum(getattr(review, name) for name in CRITERIA) / 4
        for review in Review.objects.all()
    }
    panel_mean = statistics.fmean(overall.values())
    severity = reviewer_severity([person.pk for person in panel])
    assert set(severity) == {panel[0].pk, panel[1].pk, panel[2].pk}  # panel[3] has no reviews
    for person in panel[:3]:
        mine = [overall[r.pk] for r in Review.objects.filter(reviewer=person)]
        assert severity[person.pk].reviews == len(mine)
        assert severity[person.pk].mean == round(statistics.fmean(mine), 2)
        assert severity[person.pk].severity == round(statistics.fmean(mine) - panel_mean, 2)
