import pytest

from accounts.enums import Role
from nominations.queries import reviewer_severity, score_stats
from nominations.workflow.panel import assign_reviewer, submit_review
from tests.factories.nominations import AS_OF, make_nomination, make_privileged

pytestmark = pytest.mark.django_db


def review(nomination, reviewer, staff, score):
    assign_reviewer(nomination_id=nomination.pk, reviewer=reviewer, actor=staff, as_of=AS_OF)
    return submit_review(
        nomination_id=nomination.pk,
        reviewer=reviewer,
        expertise=score,
        quality=score,
        quantity=score,
        impact=score,
        recommendation="award",
        as_of=AS_OF,
    )


def test_score_stats_mean_and_median_per_criterion(program_staff):
    nomination = make_nomination()
    reviews = [
        review(nomination, make_privileged(role=Role.REVIEWER), program_staff, score)
        for score in (1, 2, 5)
    ]
    stats = {stat.name: (stat.mean, stat.median) for stat in score_stats(reviews)}
    assert stats == dict.fromkeys(("expertise", "quality", "quantity", "impact"), (2.67, 2))
    assert [stat.mean for stat in score_stats([])] == [None] * 4


def test_reviewer_severity_is_their_mean_minus_the_panel_mean(program_staff):
    strict, lenient = (make_privileged(role=Role.REVIEWER) for _ in range(2))
    for _ in range(2):
        nomination = make_nomination()
        review(nomination, strict, program_staff, 2)
        review(nomination, lenient, program_staff, 4)
    severity = reviewer_severity([strict.pk, lenient.pk])
    assert (severity[strict.pk].severity, severity[strict.pk].reviews) == (-1.0, 2)
    assert severity[lenient.pk].severity == 1.0
