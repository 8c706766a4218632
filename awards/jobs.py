"""Daily jobs of this app: (name, function(*, as_of) -> dict of counts).

Every job works from database state ("everything past its date and not yet handled as of D"),
so a second run for the same date changes nothing and counts 0, a late run catches up, and a
run after a crash finishes the work. Each reads only due rows through a partial index:
``award_active_ends`` (kind, ends_on WHERE status='active') for expiries, MCC reminders and
renewal openings, ``renewal_open_due`` (update_by WHERE status='open') for renewal reminders.

Each job is a fixed number of set-based statements whatever the number of due rows: the
state change (``UPDATE ... RETURNING`` or a bulk insert) with the read of what the messages
need (values, no model rows; one statement with the expiry and its audit rows on
PostgreSQL), then one multi-row insert of templated outbox emails (rendered at delivery;
``ON CONFLICT`` on the dedupe key) that also writes their in-app notifications on
PostgreSQL (a second insert elsewhere). A job is all or
nothing (``atomic(savepoint=False)``: inside a caller's transaction an error undoes the
caller's too, which is what the daily runner wants).
"""

import json
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AwardEventKind, AwardKind, AwardStatus, RenewalReviewStatus
from awards.models import Award, AwardEvent, EligibilityPolicy, RenewalReview
from awards.notices import award_email, certificate_url, eligibility_url, holders, labeller
from awards.services import open_renewal_reviews
from awards.webhook_data import expired_data
from common.sql import named_rows, table
from contributions.models import Contributor, TechnologyArea
from notifications.services import queue_emails, ref
from webhooks.services import emit_many

RENEWAL_REMINDER_DAYS = 7

# The expiry as SQL pieces around a relation ``expired`` of the awards just expired. On
# PostgreSQL one statement: the UPDATE and the audit INSERT are data-modifying CTEs and the
# read joins the UPDATE's RETURNING rows. Elsewhere (SQLite) the UPDATE runs alone and
# ``expired`` is a plain CTE over the ids it returned. Tables come from the models; every
# value is a parameter (hence the S608 exemptions).
EXPIRED_COLUMNS = "id, kind, starts_on, ends_on, contributor_id, technology_area_id"


def expire_sql() -> str:
    return f"""
        UPDATE {table(Award)} SET status = %s, ended_at = %s
        WHERE kind = %s AND status = %s AND ends_on < %s
        RETURNING {EXPIRED_COLUMNS}
    """  # noqa: S608


def _audit_sql() -> str:
    # One audit row each; the one-expiry-per-award constraint guards doubles.
    return f"""
        INSERT INTO {table(AwardEvent)} (kind, actor_id, reason, as_of, created_at, award_id)
        SELECT %s, NULL, %s, %s, %s, id FROM expired WHERE true
        ON CONFLICT DO NOTHING
    """  # noqa: S608


def _holders_sql() -> str:
    """The :data:`awards.notices.HOLDER` columns (by those names) of each expired award and
    whether a later term was renewed from it (a LEFT JOIN probing the unique index on
    renewed_from per row; as NOT EXISTS or renewed_by__isnull PostgreSQL chose to hash a scan
    of the whole award table)."""
    return f"""
        SELECT e.id AS pk, e.kind, e.starts_on, e.ends_on, e.contributor_id,
               c.user_id AS contributor__user_id, u.email AS contributor__user__email,
               t.name AS technology_area__name, p.name AS technology_area__parent__name,
               r.id IS NOT NULL AS renewed
        FROM expired AS e
        JOIN {table(Contributor)} AS c ON c.id = e.contributor_id
        JOIN {table(get_user_model())} AS u ON u.id = c.user_id
        LEFT JOIN {table(TechnologyArea)} AS t ON t.id = e.technology_area_id
        LEFT JOIN {table(TechnologyArea)} AS p ON p.id = t.parent_id
        LEFT JOIN {table(Award)} AS r ON r.renewed_from_id = e.id
        ORDER BY e.id
    """  # noqa: S608


def _expire(*, kind: str, as_of: date) -> list:
    """Expire the due rows (index range scan on award_active_ends), write their audit rows,
    and return the expired awards as named :func:`_holders_sql` rows."""
    now = timezone.now()
    update: list[Any] = [AwardStatus.EXPIRED, now, kind, AwardStatus.ACTIVE, as_of]
    audit: list[Any] = [AwardEventKind.EXPIRED, "Term ended", as_of, now]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH expired AS ({expire_sql()}), audit AS ({_audit_sql()}) {_holders_sql()}",
                [*update, *audit],
            )
            return named_rows(cursor)
        cursor.execute(expire_sql(), update)
        ids = json.dumps([row.id for row in named_rows(cursor)])
        expired = (
            f"WITH expired AS (SELECT {EXPIRED_COLUMNS} FROM {table(Award)} "  # noqa: S608
            f"WHERE id IN (SELECT value FROM json_each(%s)))"
        )
        cursor.execute(f"{expired} {_audit_sql()}", [ids, *audit])
        cursor.execute(f"{expired} {_holders_sql()}", [ids])
        return named_rows(cursor)


def _tell_expired(rows: list[Any]) -> None:  # named tuples built at run time
    emit_many("award.expired", [expired_data(row) for row in rows], occurred_at=timezone.now())
    # Renewed MVP terms continue in their successor: no "your award ended" for them.
    text = _("Your %(award)s award has ended.")
    label = labeller()
    queue_emails(
        award_email(
            row,
            template="expired",
            key=f"award:{row.pk}:expired",
            message=text % {"award": label(row)},
            url=certificate_url(row.pk),
        )
        for row in rows
        if not row.renewed
    )


@transaction.atomic(savepoint=False)
def expire_mcc_statuses(*, as_of: date) -> dict[str, int]:
    """MCC statuses whose 90 days are over: ``ends_on < as_of`` (day 91 and later)."""
    expired = _expire(kind=AwardKind.MCC, as_of=as_of)
    _tell_expired(expired)
    return {"mcc_expired": len(expired)}


@transaction.atomic(savepoint=False)
def expire_mvp_terms(*, as_of: date) -> dict[str, int]:
    """MVP terms that ended; the person becomes alumni (unless renewed into a new term)."""
    expired = _expire(kind=AwardKind.MVP, as_of=as_of)
    _tell_expired(expired)
    return {"mvp_expired": len(expired)}


@transaction.atomic(savepoint=False)
def open_due_renewal_reviews(*, as_of: date) -> dict[str, int]:
    """A review for every active MVP term ending within ``renewal_days_before_term`` days that
    has none and was not renewed yet (:func:`awards.services.open_renewal_reviews`). Reads the
    range of ``award_active_ends`` up to as_of + N, so its cost follows the terms ending in the
    next N days, not the table."""
    policy = EligibilityPolicy.current()
    due = Award.objects.filter(
        kind=AwardKind.MVP,
        status=AwardStatus.ACTIVE,
        ends_on__gte=as_of,
        ends_on__lte=as_of + timedelta(days=policy.renewal_days_before_term),
        renewed_by__isnull=True,
    )
    return {"renewals_opened": open_renewal_reviews(awards=due, as_of=as_of, policy=policy)}


@transaction.atomic(savepoint=False)
def remind_mcc_expiry(*, as_of: date) -> dict[str, int]:
    """MCC holders whose status ends within ``mcc_expiry_reminder_days``; once per award
    (outbox dedupe key), also when a run was skipped and the award is still in force."""
    policy = EligibilityPolicy.current()
    rows = holders(
        Award.objects.filter(
            kind=AwardKind.MCC,
            status=AwardStatus.ACTIVE,
            ends_on__gte=as_of,
            ends_on__lte=as_of + timedelta(days=policy.mcc_expiry_reminder_days),
        )
    )
    text = _("Your MCC status ends on %(day)s.")
    queued = queue_emails(
        award_email(
            row,
            template="mcc_expiry_reminder",
            key=f"award:{row.pk}:mcc_expiry_reminder",
            message=text % {"day": row.ends_on.isoformat()},
            url=certificate_url(row.pk),
        )
        for row in rows
    )
    return {"mcc_reminders": len(queued)}


@transaction.atomic(savepoint=False)
def remind_renewal_deadlines(*, as_of: date) -> dict[str, int]:
    """MVPs whose open renewal review asks for an up-to-date log within a week; once each."""
    reviews = RenewalReview.objects.filter(
        status=RenewalReviewStatus.OPEN,
        update_by__gte=as_of,
        update_by__lte=as_of + timedelta(days=RENEWAL_REMINDER_DAYS),
    )
    rows = holders(
        Award.objects.filter(renewal_review__in=reviews),
        "renewal_review__pk",
        "renewal_review__update_by",
    )
    text = _("Reminder: bring your log up to date by %(day)s for your renewal.")
    url = eligibility_url()
    queued = queue_emails(
        award_email(
            row,
            template="renewal_reminder",
            key=f"renewal:{row.renewal_review__pk}:reminder",
            message=text % {"day": row.renewal_review__update_by.isoformat()},
            url=url,
            review=ref("awards.renewalreview", row.renewal_review__pk),
        )
        for row in rows
    )
    return {"renewal_reminders": len(queued)}


# Expiry first (frees people for new terms), then renewals, then reminders.
DAILY_JOBS: list = [
    ("mcc_expired", expire_mcc_statuses),
    ("mvp_expired", expire_mvp_terms),
    ("renewals_opened", open_due_renewal_reviews),
    ("mcc_reminders", remind_mcc_expiry),
    ("renewal_reminders", remind_renewal_deadlines),
]
