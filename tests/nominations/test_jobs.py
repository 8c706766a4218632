import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominations.enums import NominationSource, NominationStatus, Recommendation
from nominations.jobs import DAILY_JOBS, expire_nominations, remind_reviewers
from nominations.models import ReviewAssignment
from nominations.workflow.panel import assign_reviewer, submit_review
from notifications.models import Notification, OutboxEmail
from ops.jobs import run_daily_jobs
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


def _queries(job, as_of) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        counts = job(as_of=as_of)
    return len(captured.captured_queries), counts


def test_expire_job_queries_do_not_grow_with_due_rows(mvp):
    make_nomination(nominated_by=mvp, candidate_email="first@example.com")
    one, counts_one = _queries(expire_nominations, datetime.date(2026, 6, 3))
    for n in range(6):
        make_nomination(nominated_by=mvp, candidate_email=f"c{n}@example.com")
    make_nomination(source=NominationSource.SELF, candidate=mvp.contributor)
    seven, counts_seven = _queries(expire_nominations, datetime.date(2026, 6, 3))
    assert (counts_one, counts_seven) == ({"nominations_expired": 1}, {"nominations_expired": 7})
    # update per expirable status (2), events, read, emails, notifications
    assert one == seven <= 6


def test_expire_job_audits_and_tells_like_a_transition(mvp, django_capture_on_commit_callbacks):
    staff_made = make_nomination(source=NominationSource.STAFF, candidate_email="x@example.com")
    own = make_nomination(source=NominationSource.SELF, nominated_by=mvp)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_nominations(as_of=datetime.date(2026, 6, 3)) == {"nominations_expired": 2}
    for nomination in (staff_made, own):
        nomination.refresh_from_db()
        event = nomination.events.get(to_status=NominationStatus.EXPIRED)
        assert (nomination.status, nomination.decided_by, event.actor, event.from_status) == (
            NominationStatus.EXPIRED,
            None,
            None,
            NominationStatus.SUBMITTED,
        )
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (staff_made.nominated_by.email, "Your nomination of Ada Candidate was not successful"),
            ("x@example.com", "Your MVP nomination was not successful"),
            (mvp.email, "Your MVP nomination was not successful"),
        ]
    )
    # The nominator hears in the app too; a self-nomination has no separate nominator.
    assert list(
        Notification.objects.filter(url__startswith="/nominations/").values_list("recipient", "url")
    ) == [(staff_made.nominated_by_id, f"/nominations/{staff_made.pk}/")]
    assert expire_nominations(as_of=datetime.date(2026, 6, 4)) == {"nominations_expired": 0}
    assert len(mail.outbox) == 3


def test_review_reminder_queries_do_not_grow_with_due_rows(mvp, program_staff):
    from tests.factories.nominations import make_privileged

    def assign(n):
        for _ in range(n):
            assign_reviewer(
                nomination_id=make_nomination(nominated_by=mvp).pk,
                reviewer=make_privileged(role="reviewer"),
                actor=program_staff,
                as_of=AS_OF,
            )

    assign(1)
    due = ReviewAssignment.objects.get().due_on + datetime.timedelta(days=1)
    one, counts_one = _queries(remind_reviewers, due)
    assign(6)
    seven, counts_seven = _queries(remind_reviewers, due)
    assert (counts_one, counts_seven) == ({"review_reminders": 1}, {"review_reminders": 6})
    assert one == seven <= 3  # update returning, names, notifications
