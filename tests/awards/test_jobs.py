from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from awards.enums import AwardEventKind, AwardStatus, RenewalReviewStatus
from awards.jobs import (
    expire_mcc_statuses,
    expire_mvp_terms,
    expire_sql,
    open_due_renewal_reviews,
    remind_mcc_expiry,
    remind_renewal_deadlines,
)
from awards.models import Award, AwardEvent, EligibilityPolicy, RenewalReview
from awards.services import decide_renewal, open_renewal_reviews
from notifications.models import Notification, OutboxEmail
from ops.jobs import run_daily_jobs
from tests.factories.awards import make_award

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)  # MCC: last day 2026-03-31 (day 90); MVP: last day 2026-12-31
ZERO = {
    "mcc_expired": 0,
    "mvp_expired": 0,
    "renewals_opened": 0,
    "mcc_reminders": 0,
    "renewal_reminders": 0,
}


def award_counts(as_of):
    return {key: value for key, value in run_daily_jobs(as_of=as_of).items() if key in ZERO}


@pytest.mark.parametrize(("day", "status"), [(90, AwardStatus.ACTIVE), (91, AwardStatus.EXPIRED)])
def test_expire_mcc_statuses_on_day_91_not_90(day, status):
    award = make_award(kind="mcc", starts_on=START)
    counts = expire_mcc_statuses(as_of=START + timedelta(days=day - 1))
    award.refresh_from_db()
    assert award.status == status
    assert counts == {"mcc_expired": int(status == AwardStatus.EXPIRED)}


def test_expire_mcc_statuses_audits_and_tells_the_holder():
    award = make_award(kind="mcc", starts_on=START)
    expire_mcc_statuses(as_of=date(2026, 4, 1))
    event = AwardEvent.objects.get(award=award, kind=AwardEventKind.EXPIRED)
    assert (event.as_of, event.actor) == (date(2026, 4, 1), None)
    assert OutboxEmail.objects.filter(dedupe_key=f"award:{award.pk}:expired").count() == 1
    assert Notification.objects.filter(
        recipient=award.contributor.user, message__contains="has ended"
    ).exists()


def test_expire_mvp_terms_leaves_renewed_successor_active(staff):
    award = make_award(starts_on=START)
    successor = decide_renewal(
        review_id=RenewalReview.objects.create(
            award=award, opened_on=date(2026, 11, 1), update_by=date(2026, 12, 1)
        ).pk,
        actor=staff,
        renew=True,
    ).new_award
    assert expire_mvp_terms(as_of=date(2027, 1, 1)) == {"mvp_expired": 1}
    award.refresh_from_db()
    successor.refresh_from_db()
    assert (award.status, successor.status) == (AwardStatus.EXPIRED, AwardStatus.ACTIVE)
    # The renewed term carries on: no "your award ended" email for it.
    assert not OutboxEmail.objects.filter(dedupe_key=f"award:{award.pk}:expired").exists()


def test_daily_jobs_second_run_same_day_changes_nothing():
    make_award(kind="mcc", starts_on=START)
    make_award(starts_on=date(2025, 1, 1))
    make_award(starts_on=date(2025, 3, 1))  # ends 2026-02-28: renewal window open on 1 Feb
    first = award_counts(date(2026, 4, 1))
    assert first == {
        "mcc_expired": 1,
        "mvp_expired": 2,
        "renewals_opened": 0,
        "mcc_reminders": 0,
        "renewal_reminders": 0,
    }
    snapshot = (
        list(Award.objects.values_list("pk", "status").order_by("pk")),
        AwardEvent.objects.count(),
        OutboxEmail.objects.count(),
        Notification.objects.count(),
    )
    assert award_counts(date(2026, 4, 1)) == ZERO
    assert snapshot == (
        list(Award.objects.values_list("pk", "status").order_by("pk")),
        AwardEvent.objects.count(),
        OutboxEmail.objects.count(),
        Notification.objects.count(),
    )


def test_renewal_review_opened_exactly_once_when_run_twice():
    award = make_award(starts_on=START)  # ends 2026-12-31; 60 days before: 2026-11-01
    assert open_due_renewal_reviews(as_of=date(2026, 10, 31)) == {"renewals_opened": 0}
    assert open_due_renewal_reviews(as_of=date(2026, 11, 1)) == {"renewals_opened": 1}
    assert open_due_renewal_reviews(as_of=date(2026, 11, 1)) == {"renewals_opened": 0}
    assert open_due_renewal_reviews(as_of=date(2026, 11, 2)) == {"renewals_opened": 0}
    review = RenewalReview.objects.get(award=award)
    assert (review.opened_on, review.update_by, review.status) == (
        date(2026, 11, 1),
        date(2026, 12, 1),
        RenewalReviewStatus.OPEN,
    )
    assert OutboxEmail.objects.filter(category="award_renewal_opened").count() == 1


def test_staff_open_renewal_reviews_is_the_jobs_path_and_clamps_to_term_end():
    # Staff opening a review early goes through the same function as the daily job: the
    # deadline never passes the term's end, the holder is told once, and the job adds nothing.
    award = make_award(starts_on=START)  # ends 2026-12-31
    other = make_award(starts_on=START)
    assert (
        open_renewal_reviews(awards=Award.objects.filter(pk=award.pk), as_of=date(2026, 12, 20))
        == 1
    )
    assert (
        open_renewal_reviews(awards=Award.objects.filter(pk=award.pk), as_of=date(2026, 12, 21))
        == 0
    )
    review = RenewalReview.objects.get(award=award)
    assert (review.opened_on, review.update_by) == (date(2026, 12, 20), date(2026, 12, 31))
    assert not RenewalReview.objects.filter(award=other).exists()
    notification = Notification.objects.get(
        recipient=award.contributor.user, message__contains="up for renewal"
    )
    assert notification.url == reverse("awards:my_eligibility")
    assert open_due_renewal_reviews(as_of=date(2026, 12, 20)) == {"renewals_opened": 1}
    assert OutboxEmail.objects.filter(category="award_renewal_opened").count() == 2


def test_renewal_review_catches_up_after_a_skipped_week():
    award = make_award(starts_on=START)
    counts = award_counts(date(2026, 11, 8))  # the job did not run from 1 to 7 November
    assert counts["renewals_opened"] == 1
    assert RenewalReview.objects.get(award=award).opened_on == date(2026, 11, 8)
    assert award_counts(date(2026, 11, 8))["renewals_opened"] == 0


def test_mcc_expiry_reminder_once_and_catches_up():
    award = make_award(kind="mcc", starts_on=START)  # ends 2026-03-31; 14 days: from 17 March
    assert remind_mcc_expiry(as_of=date(2026, 3, 16)) == {"mcc_reminders": 0}
    assert remind_mcc_expiry(as_of=date(2026, 3, 20)) == {"mcc_reminders": 1}
    assert remind_mcc_expiry(as_of=date(2026, 3, 21)) == {"mcc_reminders": 0}
    assert (
        OutboxEmail.objects.filter(dedupe_key=f"award:{award.pk}:mcc_expiry_reminder").count() == 1
    )


def test_renewal_deadline_reminder_once_a_week_before():
    award = make_award(starts_on=START)
    open_due_renewal_reviews(as_of=date(2026, 11, 1))  # update by 2026-12-01
    assert remind_renewal_deadlines(as_of=date(2026, 11, 23)) == {"renewal_reminders": 0}
    assert remind_renewal_deadlines(as_of=date(2026, 11, 24)) == {"renewal_reminders": 1}
    assert remind_renewal_deadlines(as_of=date(2026, 11, 25)) == {"renewal_reminders": 0}
    assert (
        Notification.objects.filter(
            recipient=award.contributor.user, message__startswith="Reminder"
        ).count()
        == 1
    )


def test_run_daily_jobs_command_prints_counts(capsys):
    make_award(kind="mcc", starts_on=START)
    call_command("run_daily_jobs", "--as-of", "2026-04-01")
    out = capsys.readouterr().out
    assert '"mcc_expired": 1' in out


def test_expiry_reads_only_due_rows_through_the_partial_index():
    """5,000 active MCC terms far from their end and one due: the plan of the expiry UPDATE
    is a range scan of award_active_ends, so the rows that are not due are never read."""
    due = make_award(kind="mcc", starts_on=START)
    Award.objects.bulk_create(
        Award(
            contributor=due.contributor,
            kind="mcc",
            starts_on=date(2027, 1, 1) + timedelta(days=90 * n),
            ends_on=date(2027, 1, 1) + timedelta(days=90 * n + 89),
        )
        for n in range(5000)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE awards_award")
            cursor.execute(
                "EXPLAIN " + expire_sql(),
                ["expired", timezone.now(), "mcc", "active", date(2026, 4, 1)],
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "award_active_ends" in plan, plan
        assert "Seq Scan" not in plan, plan
    assert expire_mcc_statuses(as_of=date(2026, 4, 1)) == {"mcc_expired": 1}


def _queries(job, as_of) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        counts = job(as_of=as_of)
    return len(captured.captured_queries), counts


# (job, kind, as_of, queries it may take): a fixed number, whatever the number of due rows
JOB_QUERIES = [
    # update, events, read, webhook listeners, emails, notes
    (expire_mcc_statuses, "mcc", date(2026, 4, 1), 6),
    (expire_mvp_terms, "mvp", date(2027, 1, 1), 6),
    (open_due_renewal_reviews, "mvp", date(2026, 11, 1), 5),  # + the policy
    (remind_mcc_expiry, "mcc", date(2026, 3, 20), 4),
]


@pytest.mark.parametrize(("job", "kind", "as_of", "most"), JOB_QUERIES)
def test_award_job_queries_do_not_grow_with_due_rows(job, kind, as_of, most):
    EligibilityPolicy.current()  # the first read of the policy may create it
    make_award(kind=kind, starts_on=START)
    one, counts_one = _queries(job, as_of)
    for _ in range(6):
        make_award(kind=kind, starts_on=START)
    seven, counts_seven = _queries(job, as_of)
    assert list(counts_one.values()) == [1]
    assert list(counts_seven.values()) == [6]
    assert one == seven <= most


def test_renewal_reminder_queries_do_not_grow_with_due_rows():
    def due_reviews(n):
        for _ in range(n):
            open_due_renewal_reviews(as_of=date(2026, 11, 1))  # no-op for those already open
            make_award(starts_on=START)
        open_due_renewal_reviews(as_of=date(2026, 11, 1))

    due_reviews(1)
    one, counts_one = _queries(remind_renewal_deadlines, date(2026, 11, 24))
    due_reviews(6)
    seven, counts_seven = _queries(remind_renewal_deadlines, date(2026, 11, 24))
    assert (counts_one, counts_seven) == ({"renewal_reminders": 1}, {"renewal_reminders": 6})
    assert one == seven <= 3


def test_job_emails_are_rendered_at_delivery_in_the_queued_language(
    django_capture_on_commit_callbacks,
):
    award = make_award(kind="mcc", starts_on=START)
    award.contributor.display_name = "Ada Lovelace"
    award.contributor.save(update_fields=["display_name"])
    mail.outbox.clear()
    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        expire_mcc_statuses(as_of=date(2026, 4, 1))
    email = OutboxEmail.objects.get(dedupe_key=f"award:{award.pk}:expired")
    assert (email.template, email.language) == ("awards/email/expired", "ko")
    assert [m.to for m in mail.outbox] == [[award.contributor.user.email]]
    sent = mail.outbox[0]
    assert sent.subject == f"{award} 어워드가 종료되었습니다"
    assert "Ada Lovelace님, 안녕하세요." in sent.body
    assert "커뮤니티에 기여해 주셔서 감사합니다" in sent.body
    email.refresh_from_db()  # the outbox keeps what was sent
    assert (email.subject, email.body, email.sent_at is not None) == (
        sent.subject,
        sent.body,
        True,
    )


def test_renewal_opened_email_reads_the_review_at_delivery(django_capture_on_commit_callbacks):
    award = make_award(starts_on=START)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert open_due_renewal_reviews(as_of=date(2026, 11, 1)) == {"renewals_opened": 1}
    [sent] = mail.outbox
    update_by = RenewalReview.objects.get(award=award).update_by
    assert sent.subject == f"Your {award} award is up for renewal"
    assert date_format(update_by) in sent.body
    assert Notification.objects.filter(
        recipient=award.contributor.user, message__contains=update_by.isoformat()
    ).exists()
