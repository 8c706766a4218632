"""Work that is due for every daily job, and an audit of the whole database that counts each
effect the jobs owe as lost (missing) or duplicated (more than once).

The audit is state-based, like the jobs: it does not trust the jobs' own counts, it looks at
what is due as of a day and at what exists.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count
from django.utils import timezone

from accounts.enums import Role
from awards.enums import AwardEventKind, AwardKind, AwardStatus, RenewalReviewStatus
from awards.jobs import RENEWAL_REMINDER_DAYS
from awards.models import Award, AwardEvent, EligibilityPolicy, RenewalReview
from contributions.jobs import PENDING_IMPORT_DAYS
from contributions.models import PendingImport
from nominations.enums import OPEN_STATUSES, NominationSource, NominationStatus
from nominations.models import Nomination, NominationEvent, ReviewAssignment
from nominations.workflow.panel import assign_reviewer
from notifications.models import Notification, OutboxEmail
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import make_nomination, make_privileged


@dataclass
class DueWork:
    """Rows due for each job as of ``today``, in job order (the last of each is the one a
    fault test blocks on)."""

    mcc_due: list = field(default_factory=list)
    mvp_due: list = field(default_factory=list)
    renewal_due: list = field(default_factory=list)
    mcc_remind: list = field(default_factory=list)
    review_remind: list = field(default_factory=list)
    nominations_overdue: list = field(default_factory=list)
    assignments_overdue: list = field(default_factory=list)
    stale_imports: list = field(default_factory=list)


def mvp_start_for_end(end: date) -> date:
    """The start of the MVP term whose last day is ``end``."""
    return end + timedelta(days=1) - relativedelta(years=1)


def seed_due_work(*, today: date, staff, count: int = 2, offset_days: int = 0) -> DueWork:
    """``count`` rows due for each daily job as of ``today``. ``offset_days`` moves every
    due date that many days later (so they fall due only ``offset_days`` after today)."""
    day = today + timedelta(days=offset_days)
    work = DueWork()
    for _ in range(count):
        work.mcc_due.append(make_award(kind="mcc", starts_on=day - timedelta(days=100)))
        work.mvp_due.append(make_award(starts_on=mvp_start_for_end(day - timedelta(days=20))))
        work.renewal_due.append(make_award(starts_on=mvp_start_for_end(day + timedelta(days=10))))
        work.mcc_remind.append(make_award(kind="mcc", starts_on=day - timedelta(days=85)))
        award = make_award(starts_on=mvp_start_for_end(day + timedelta(days=20)))
        work.review_remind.append(
            RenewalReview.objects.create(
                award=award, opened_on=day - timedelta(days=20), update_by=day + timedelta(days=3)
            )
        )
        work.nominations_overdue.append(
            make_nomination(
                nominated_by=staff,
                source=NominationSource.STAFF,
                as_of=day - relativedelta(months=3) - timedelta(days=1),
            )
        )
        assigned_on = day - timedelta(days=20)
        nomination = make_nomination(
            nominated_by=staff, source=NominationSource.STAFF, as_of=assigned_on
        )
        work.assignments_overdue.append(
            assign_reviewer(
                nomination_id=nomination.pk,
                reviewer=make_privileged(role=Role.REVIEWER),
                actor=staff,
                as_of=assigned_on,
            )
        )
        stale = PendingImport.objects.create(contributor=ContributorFactory(), token="t")
        PendingImport.objects.filter(pk=stale.pk).update(
            created_at=timezone.now() - timedelta(days=PENDING_IMPORT_DAYS + 1 - offset_days)
        )
        work.stale_imports.append(stale)
    return work


@dataclass
class Audit:
    lost: int = 0
    duplicated: int = 0
    problems: list = field(default_factory=list)
    effects: int = 0

    def expect(self, what: str, actual: int, expected: int = 1) -> None:
        self.effects += expected
        if actual < expected:
            self.lost += expected - actual
            self.problems.append(f"lost: {what} ({actual} of {expected})")
        elif actual > expected:
            self.duplicated += actual - expected
            self.problems.append(f"duplicated: {what} ({actual}, expected {expected})")


def _keys_present(keys) -> Counter:
    return Counter(
        OutboxEmail.objects.filter(dedupe_key__in=list(keys)).values_list("dedupe_key", flat=True)
    )


def _notifications(*, contains: str) -> Counter:
    return Counter(
        Notification.objects.filter(message__contains=contains).values_list(
            "recipient_id", flat=True
        )
    )


def audit_daily_effects(*, today: date, delivered=None) -> Audit:
    """Every effect the daily jobs owe as of ``today``, counted once per row it is about.

    ``delivered``: (to, subject) of every message the mail server accepted; each sent outbox
    email must appear there exactly once.
    """
    audit = Audit()
    policy = EligibilityPolicy.current()

    # Expiry: nothing active past its end; one audit row, one email, one notification each.
    for pk in Award.objects.filter(status=AwardStatus.ACTIVE, ends_on__lt=today).values_list(
        "pk", flat=True
    ):
        audit.expect(f"expiry of award {pk}", 0)
    expired = Award.objects.filter(status=AwardStatus.EXPIRED)
    events = dict(
        AwardEvent.objects.filter(kind=AwardEventKind.EXPIRED)
        .values_list("award_id")
        .annotate(n=Count("pk"))
    )
    for pk in expired.values_list("pk", flat=True):
        audit.expect(f"expiry audit row of award {pk}", events.get(pk, 0))
    told = list(expired.filter(renewed_by__isnull=True).values_list("pk", "contributor__user_id"))
    keys = _keys_present(f"award:{pk}:expired" for pk, _ in told)
    for pk, _ in told:
        audit.expect(f"expiry email of award {pk}", keys[f"award:{pk}:expired"])
    _expect_per_recipient(audit, "expiry notification", told, _notifications(contains="has ended"))

    # Renewal reviews: one per MVP term ending within the policy's days, not renewed.
    due = Award.objects.filter(
        kind=AwardKind.MVP,
        status=AwardStatus.ACTIVE,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=policy.renewal_days_before_term),
        renewed_by__isnull=True,
    )
    reviews = Counter(RenewalReview.objects.values_list("award_id", flat=True))
    for pk in due.values_list("pk", flat=True):
        audit.expect(f"renewal review of award {pk}", reviews[pk])
    opened = list(
        RenewalReview.objects.filter(opened_on__gte=today - timedelta(days=3)).values_list(
            "award_id", "award__contributor__user_id"
        )
    )
    keys = _keys_present(f"award:{pk}:renewal_opened" for pk, _ in opened)
    for pk, _ in opened:
        audit.expect(f"renewal email of award {pk}", keys[f"award:{pk}:renewal_opened"])
    _expect_per_recipient(
        audit, "renewal notification", opened, _notifications(contains="up for renewal")
    )

    # MCC reminders: once per status ending within the reminder days.
    reminded = list(
        Award.objects.filter(
            kind=AwardKind.MCC,
            status=AwardStatus.ACTIVE,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=policy.mcc_expiry_reminder_days),
        ).values_list("pk", "contributor__user_id")
    )
    keys = _keys_present(f"award:{pk}:mcc_expiry_reminder" for pk, _ in reminded)
    for pk, _ in reminded:
        audit.expect(f"MCC reminder of award {pk}", keys[f"award:{pk}:mcc_expiry_reminder"])
    _expect_per_recipient(
        audit, "MCC reminder notification", reminded, _notifications(contains="MCC status ends")
    )

    # Renewal deadline reminders: once per open review due within a week.
    open_reviews = list(
        RenewalReview.objects.filter(
            status=RenewalReviewStatus.OPEN,
            update_by__gte=today,
            update_by__lte=today + timedelta(days=RENEWAL_REMINDER_DAYS),
        ).values_list("pk", "award__contributor__user_id")
    )
    keys = _keys_present(f"renewal:{pk}:reminder" for pk, _ in open_reviews)
    for pk, _ in open_reviews:
        audit.expect(f"renewal reminder of review {pk}", keys[f"renewal:{pk}:reminder"])
    _expect_per_recipient(
        audit,
        "renewal reminder notification",
        open_reviews,
        _notifications(contains="Reminder: bring your log"),
    )

    # Nominations: none open past its decision date; one expiry event and two emails each.
    for pk in Nomination.objects.open().filter(decision_due__lt=today).values_list("pk", flat=True):
        audit.expect(f"expiry of nomination {pk}", 0)
    expired_nominations = list(
        Nomination.objects.filter(status=NominationStatus.EXPIRED).values_list("pk", flat=True)
    )
    events = Counter(
        NominationEvent.objects.filter(to_status=NominationStatus.EXPIRED).values_list(
            "nomination_id", flat=True
        )
    )
    keys = _keys_present(
        f"nomination:{pk}:expired:{role}"
        for pk in expired_nominations
        for role in ("nominator", "candidate")
    )
    for pk in expired_nominations:
        audit.expect(f"expiry event of nomination {pk}", events[pk])
        for role in ("nominator", "candidate"):
            audit.expect(
                f"expiry email of nomination {pk} to the {role}",
                keys[f"nomination:{pk}:expired:{role}"],
            )

    # Overdue reviews: each reminded once.
    overdue = ReviewAssignment.objects.filter(
        due_on__lt=today, nomination__status__in=OPEN_STATUSES, nomination__reviews__isnull=True
    )
    for pk in overdue.filter(reminded_on__isnull=True).values_list("pk", flat=True):
        audit.expect(f"reminder of review assignment {pk}", 0)
    reminded_assignments = list(
        ReviewAssignment.objects.filter(reminded_on__isnull=False).values_list("pk", "reviewer_id")
    )
    _expect_per_recipient(
        audit,
        "overdue review notification",
        reminded_assignments,
        _notifications(contains="is overdue"),
    )

    # Stale import previews are gone.
    cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=PENDING_IMPORT_DAYS), time())
    )
    for pk in PendingImport.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True):
        audit.expect(f"purge of import preview {pk}", 0)

    # Email: every outbox row sent, and accepted by the mail server exactly once.
    for pk in OutboxEmail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        audit.expect(f"delivery of outbox email {pk}", 0)
    if delivered is not None:
        owed = Counter(
            (to, " ".join(subject.split()))
            for to, subject in OutboxEmail.objects.filter(sent_at__isnull=False).values_list(
                "to", "subject"
            )
        )
        got = Counter(delivered)
        for key in owed.keys() | got.keys():
            audit.expect(f"SMTP delivery of {key}", got[key], owed[key])
    return audit


def _expect_per_recipient(audit: Audit, what: str, rows, actual: Counter) -> None:
    """One notification per row, counted per recipient (a person may be owed several)."""
    owed = Counter(recipient for _, recipient in rows)
    for recipient in owed.keys() | actual.keys():
        audit.expect(f"{what} to user {recipient}", actual[recipient], owed[recipient])


def seed_work_falling_due_on(*, day: date, staff) -> None:
    """One row for each job that is not due the day before ``day`` and is due on ``day``."""
    make_award(kind="mcc", starts_on=day - timedelta(days=90))  # last day: day - 1
    policy = EligibilityPolicy.current()
    ending = make_award(starts_on=mvp_start_for_end(day - timedelta(days=1)))
    # Its renewal was reviewed (and refused) two months ago, as the renewal job would have.
    RenewalReview.objects.create(
        award=ending,
        opened_on=day - timedelta(days=policy.renewal_days_before_term + 1),
        update_by=day - timedelta(days=30),
        status=RenewalReviewStatus.NOT_RENEWED,
    )
    make_award(starts_on=mvp_start_for_end(day + timedelta(days=policy.renewal_days_before_term)))
    make_award(
        kind="mcc",
        starts_on=day + timedelta(days=policy.mcc_expiry_reminder_days) - timedelta(days=89),
    )
    award = make_award(
        starts_on=mvp_start_for_end(
            day + timedelta(days=policy.renewal_days_before_term + RENEWAL_REMINDER_DAYS + 30)
        )
    )
    RenewalReview.objects.create(
        award=award,
        opened_on=day - timedelta(days=20),
        update_by=day + timedelta(days=RENEWAL_REMINDER_DAYS),
    )
    make_nomination(
        nominated_by=staff,
        source=NominationSource.STAFF,
        as_of=day - timedelta(days=1) - relativedelta(months=3),
    )
    assigned_on = day - timedelta(days=15)  # due on day - 1
    nomination = make_nomination(
        nominated_by=staff, source=NominationSource.STAFF, as_of=assigned_on
    )
    assign_reviewer(
        nomination_id=nomination.pk,
        reviewer=make_privileged(role=Role.REVIEWER),
        actor=staff,
        as_of=assigned_on,
    )
    stale = PendingImport.objects.create(contributor=ContributorFactory(), token="t")
    cutoff = datetime.combine(day - timedelta(days=PENDING_IMPORT_DAYS), time())
    PendingImport.objects.filter(pk=stale.pk).update(
        created_at=timezone.make_aware(cutoff) - timedelta(hours=1)
    )


def due_counts(*, day: date) -> dict[str, int]:
    """How many rows each job has left to do as of ``day`` (0 everywhere once caught up)."""
    policy = EligibilityPolicy.current()
    cutoff = timezone.make_aware(
        datetime.combine(day - timedelta(days=PENDING_IMPORT_DAYS), time())
    )
    return {
        "expiries": Award.objects.filter(status=AwardStatus.ACTIVE, ends_on__lt=day).count(),
        "renewals": Award.objects.filter(
            kind=AwardKind.MVP,
            status=AwardStatus.ACTIVE,
            ends_on__gte=day,
            ends_on__lte=day + timedelta(days=policy.renewal_days_before_term),
            renewed_by__isnull=True,
            renewal_review__isnull=True,
        ).count(),
        "nominations": Nomination.objects.open().filter(decision_due__lt=day).count(),
        "review reminders": ReviewAssignment.objects.filter(
            due_on__lt=day,
            reminded_on__isnull=True,
            nomination__status__in=OPEN_STATUSES,
            nomination__reviews__isnull=True,
        ).count(),
        "imports": PendingImport.objects.filter(created_at__lt=cutoff).count(),
    }
