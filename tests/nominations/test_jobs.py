import datetime

import pytest

from mvptracker.notifications.models import Notification, OutboxEmail
from mvptracker.ops.jobs import run_daily_jobs
from nominations.enums import NominationStatus, Recommendation
from nominations.jobs import DAILY_JOBS, expire_nominations, remind_reviewers
from nominations.models import ReviewAssignment
from nominations.workflow import assign_reviewer, submit_review
from tests.factories.nominations import AS_OF, make_nomination

pytestmark = pytest.mark.django_db


def test_daily_jobs_are_registered():
    assert [name for name, _fn in DAILY_JOBS] == ["expire_nominations", "remind_reviewers"]


def test_expire_job_counts_and_tells_both_people(mvp):
    nomination = make_nomination(nominated_by=mvp)
    assert expire_nominations(as_of=datetime.date(2026, 6, 2)) == {"nominations_expired": 0}
    assert expire_nominations(as_of=datetime.date(2026, 6, 3)) == {"nominations_expired": 1}
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.EXPIRED
    assert nomination.events.last().actor is None
    assert set(
        OutboxEmail.objects.filter(category="nomination_expired").values_list("to", flat=True)
    ) == {mvp.email, nomination.candidate.user.email}


def test_expire_job_runs_through_the_daily_runner(mvp):
    make_nomination(nominated_by=mvp)
    counts = run_daily_jobs(as_of=datetime.date(2026, 7, 1), trigger="test")
    assert counts["nominations_expired"] == 1


def test_review_reminders_once_per_overdue_unreviewed_assignment(
    mvp, program_staff, panel_reviewer
):
    from tests.factories.nominations import make_privileged

    done_reviewer = make_privileged(role="reviewer")
    nomination = make_nomination(nominated_by=mvp)
    for person in (panel_reviewer, done_reviewer):
        assign_reviewer(
            nomination_id=nomination.pk, reviewer=person, actor=program_staff, as_of=AS_OF
        )
    submit_review(
        nomination_id=nomination.pk,
        reviewer=done_reviewer,
        expertise=3,
        quality=3,
        quantity=3,
        impact=3,
        recommendation=Recommendation.DECLINE,
        as_of=AS_OF,
    )
    due = ReviewAssignment.objects.get(reviewer=panel_reviewer).due_on
    assert remind_reviewers(as_of=due) == {"review_reminders": 0}
    assert remind_reviewers(as_of=due + datetime.timedelta(days=1)) == {"review_reminders": 1}
    assert remind_reviewers(as_of=due + datetime.timedelta(days=2)) == {"review_reminders": 0}
    assert (
        Notification.objects.filter(recipient=panel_reviewer, message__contains="overdue").count()
        == 1
    )
    assert not Notification.objects.filter(
        recipient=done_reviewer, message__contains="overdue"
    ).exists()
