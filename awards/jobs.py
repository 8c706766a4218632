"""Daily jobs of this app: (name, function(*, as_of) -> dict of counts).

Every job works from database state ("everything past its date and not yet handled as of D"),
so a second run for the same date changes nothing and counts 0, a late run catches up, and a
run after a crash finishes the work. Each reads only due rows through a partial index:
``award_active_ends`` (kind, ends_on WHERE status='active') for expiries, MCC reminders and
renewal openings, ``renewal_open_due`` (update_by WHERE status='open') for renewal reminders.
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AwardEventKind, AwardKind, AwardStatus, RenewalReviewStatus
from awards.models import Award, AwardEvent, EligibilityPolicy, RenewalReview
from awards.services import notify_award_holder, open_renewal_review
from mvptracker.notifications.models import OutboxEmail

RENEWAL_REMINDER_DAYS = 7

EXPIRE_SQL = """
    UPDATE awards_award SET status = %s, ended_at = %s
    WHERE kind = %s AND status = %s AND ends_on < %s
    RETURNING id
"""


def _expire(*, kind: str, as_of: date) -> list[int]:
    """One UPDATE of the due rows (index range scan on award_active_ends) returning their ids,
    then one audit row each by bulk_create; the one-expiry-per-award constraint guards doubles."""
    with connection.cursor() as cursor:
        cursor.execute(
            EXPIRE_SQL, [AwardStatus.EXPIRED, timezone.now(), kind, AwardStatus.ACTIVE, as_of]
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    AwardEvent.objects.bulk_create(
        [
            AwardEvent(
                award_id=pk,
                kind=AwardEventKind.EXPIRED,
                as_of=as_of,
                reason="Term ended",
            )
            for pk in ids
        ],
        ignore_conflicts=True,
    )
    return ids


def _tell_expired(ids: list[int], *, as_of: date) -> None:
    # Renewed MVP terms continue in their successor: no "your award ended" for them.
    awards = (
        Award.objects.filter(pk__in=ids, renewed_by__isnull=True)
        .select_related("contributor__user", "technology_area")
        .order_by("pk")
    )
    for award in awards:
        notify_award_holder(
            award=award,
            template="expired",
            category="award_expired",
            dedupe_key=f"award:{award.pk}:expired",
            message=_("Your %(award)s award has ended.") % {"award": award},
            url=f"/awards/{award.pk}/certificate/",
        )


@transaction.atomic
def expire_mcc_statuses(*, as_of: date) -> dict[str, int]:
    """MCC statuses whose 90 days are over: ``ends_on < as_of`` (day 91 and later)."""
    ids = _expire(kind=AwardKind.MCC, as_of=as_of)
    _tell_expired(ids, as_of=as_of)
    return {"mcc_expired": len(ids)}


@transaction.atomic
def expire_mvp_terms(*, as_of: date) -> dict[str, int]:
    """MVP terms that ended; the person becomes alumni (unless renewed into a new term)."""
    ids = _expire(kind=AwardKind.MVP, as_of=as_of)
    _tell_expired(ids, as_of=as_of)
    return {"mvp_expired": len(ids)}


def open_due_renewal_reviews(*, as_of: date) -> dict[str, int]:
    """A review for every active MVP term ending within ``renewal_days_before_term`` days that
    has none and was not renewed yet. Reads the range of ``award_active_ends`` up to
    as_of + N, so its cost follows the terms ending in the next N days, not the table."""
    policy = EligibilityPolicy.current()
    due = (
        Award.objects.filter(
            kind=AwardKind.MVP,
            status=AwardStatus.ACTIVE,
            ends_on__gte=as_of,
            ends_on__lte=as_of + timedelta(days=policy.renewal_days_before_term),
            renewal_review__isnull=True,
            renewed_by__isnull=True,
        )
        .select_related("contributor__user", "technology_area")
        .order_by("ends_on", "pk")
    )
    opened = sum(
        open_renewal_review(award=award, as_of=as_of, policy=policy) is not None for award in due
    )
    return {"renewals_opened": opened}


def _not_yet_sent(keys: list[str]) -> set[str]:
    sent = set(OutboxEmail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    return set(keys) - sent


@transaction.atomic
def remind_mcc_expiry(*, as_of: date) -> dict[str, int]:
    """MCC holders whose status ends within ``mcc_expiry_reminder_days``; once per award
    (outbox dedupe key), also when a run was skipped and the award is still in force."""
    policy = EligibilityPolicy.current()
    due = list(
        Award.objects.filter(
            kind=AwardKind.MCC,
            status=AwardStatus.ACTIVE,
            ends_on__gte=as_of,
            ends_on__lte=as_of + timedelta(days=policy.mcc_expiry_reminder_days),
        )
        .select_related("contributor__user")
        .order_by("pk")
    )
    todo = _not_yet_sent([f"award:{award.pk}:mcc_expiry_reminder" for award in due])
    sent = 0
    for award in due:
        key = f"award:{award.pk}:mcc_expiry_reminder"
        if key in todo:
            sent += (
                notify_award_holder(
                    award=award,
                    template="mcc_expiry_reminder",
                    category="award_mcc_expiry_reminder",
                    dedupe_key=key,
                    message=_("Your MCC status ends on %(day)s.")
                    % {"day": award.ends_on.isoformat()},
                    url=f"/awards/{award.pk}/certificate/",
                )
                is not None
            )
    return {"mcc_reminders": sent}


@transaction.atomic
def remind_renewal_deadlines(*, as_of: date) -> dict[str, int]:
    """MVPs whose open renewal review asks for an up-to-date log within a week; once each."""
    due = list(
        RenewalReview.objects.filter(
            status=RenewalReviewStatus.OPEN,
            update_by__gte=as_of,
            update_by__lte=as_of + timedelta(days=RENEWAL_REMINDER_DAYS),
        )
        .select_related("award__contributor__user", "award__technology_area")
        .order_by("pk")
    )
    todo = _not_yet_sent([f"renewal:{review.pk}:reminder" for review in due])
    sent = 0
    for review in due:
        key = f"renewal:{review.pk}:reminder"
        if key in todo:
            sent += (
                notify_award_holder(
                    award=review.award,
                    template="renewal_reminder",
                    category="award_renewal_reminder",
                    dedupe_key=key,
                    message=_("Reminder: bring your log up to date by %(day)s for your renewal.")
                    % {"day": review.update_by.isoformat()},
                    url="/eligibility/",
                    extra={"review": review},
                )
                is not None
            )
    return {"renewal_reminders": sent}


# Expiry first (frees people for new terms), then renewals, then reminders.
DAILY_JOBS: list = [
    ("mcc_expired", expire_mcc_statuses),
    ("mvp_expired", expire_mvp_terms),
    ("renewals_opened", open_due_renewal_reviews),
    ("mcc_reminders", remind_mcc_expiry),
    ("renewal_reminders", remind_renewal_deadlines),
]
