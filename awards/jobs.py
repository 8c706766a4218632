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

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AwardEventKind, AwardKind, AwardStatus, RenewalReviewStatus
from awards.models import Award, EligibilityPolicy, RenewalReview
from awards.webhook_data import expired_data
from contributions.models import TechnologyArea
from notifications.services import Templated, queue_emails, ref
from webhooks.services import emit_many

RENEWAL_REMINDER_DAYS = 7

# The expiry as SQL pieces around a relation ``expired`` of the awards just expired. On
# PostgreSQL one statement: the UPDATE and the audit INSERT are data-modifying CTEs and the
# read joins the UPDATE's RETURNING rows. Elsewhere (SQLite) the UPDATE runs alone and
# ``expired`` is a plain CTE over the ids it returned.
EXPIRED_COLUMNS = "id, kind, starts_on, ends_on, contributor_id, technology_area_id"
EXPIRE_SQL = f"""
    UPDATE awards_award SET status = %s, ended_at = %s
    WHERE kind = %s AND status = %s AND ends_on < %s
    RETURNING {EXPIRED_COLUMNS}
"""  # noqa: S608 -- built from constants
# One audit row each; the one-expiry-per-award constraint guards doubles.
AUDIT_SQL = """
    INSERT INTO awards_awardevent (kind, actor_id, reason, as_of, created_at, award_id)
    SELECT %s, NULL, %s, %s, %s, id FROM expired WHERE true
    ON CONFLICT DO NOTHING
"""
# The :data:`_HOLDER` columns of each expired award and whether a later term was renewed
# from it (a LEFT JOIN probing the unique index on renewed_from per row; as NOT EXISTS or
# renewed_by__isnull PostgreSQL chose to hash a scan of the whole award table).
HOLDERS_SQL = """
    SELECT e.id, e.kind, e.starts_on, e.ends_on, e.contributor_id, c.user_id, u.email,
           t.name, p.name, r.id IS NOT NULL
    FROM expired AS e
    JOIN contributions_contributor AS c ON c.id = e.contributor_id
    JOIN users_user AS u ON u.id = c.user_id
    LEFT JOIN contributions_technologyarea AS t ON t.id = e.technology_area_id
    LEFT JOIN contributions_technologyarea AS p ON p.id = t.parent_id
    LEFT JOIN awards_award AS r ON r.renewed_from_id = e.id
    ORDER BY e.id
"""

# What the messages about an award need, read as values (no model rows are built).
_HOLDER = (
    "pk",
    "kind",
    "starts_on",
    "ends_on",
    "contributor_id",
    "contributor__user_id",
    "contributor__user__email",
    "technology_area__name",
    "technology_area__parent__name",
)


def _holders(awards: QuerySet, *extra: str) -> list[tuple]:
    return list(awards.order_by("pk").values_list(*_HOLDER, *extra))


def _labeller():
    """The award's name (``str(award)``) from a :func:`_holders` row; kind names are
    translated once per job, not per row (a lazy label costs ~50 µs each time)."""
    kinds = {value: str(label) for value, label in AwardKind.choices}

    def label(row: tuple) -> str:
        _pk, kind, starts_on, ends_on, _c, _u, _e, area, parent = row[:9]
        area = TechnologyArea.label_of(name=area, parent_name=parent) if area else None
        return Award.label_of(
            kind_label=kinds[kind], area=area, starts_on=starts_on, ends_on=ends_on
        )

    return label


def _award_email(row: tuple, *, template: str, key: str, message: str, url: str, **context):
    """The templated email about one award (row from :func:`_holders`) and its in-app line."""
    pk, _kind, _s, _e, contributor_id, user_id, email = row[:7]
    return Templated(
        to=email,
        template=f"awards/email/{template}",
        context={
            "award": ref("awards.award", pk),
            "contributor": ref("contributions.contributor", contributor_id),
            **context,
        },
        category=f"award_{template}",
        dedupe_key=key,
        recipient_id=user_id,
        message=message,
        url=url,
    )


def _expire(*, kind: str, as_of: date) -> list[tuple]:
    """Expire the due rows (index range scan on award_active_ends), write their audit rows,
    and return the expired awards as :data:`HOLDERS_SQL` rows."""
    now = timezone.now()
    update = [AwardStatus.EXPIRED, now, kind, AwardStatus.ACTIVE, as_of]
    audit = [AwardEventKind.EXPIRED, "Term ended", as_of, now]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH expired AS ({EXPIRE_SQL}), audit AS ({AUDIT_SQL}) {HOLDERS_SQL}",
                [*update, *audit],
            )
            return cursor.fetchall()
        cursor.execute(EXPIRE_SQL, update)
        ids = json.dumps([row[0] for row in cursor.fetchall()])
        expired = (
            f"WITH expired AS (SELECT {EXPIRED_COLUMNS} FROM awards_award "  # noqa: S608
            f"WHERE id IN (SELECT value FROM json_each(%s)))"
        )
        cursor.execute(f"{expired} {AUDIT_SQL}", [ids, *audit])
        cursor.execute(f"{expired} {HOLDERS_SQL}", [ids])
        return cursor.fetchall()


def _tell_expired(rows: list[tuple]) -> None:
    emit_many("award.expired", [expired_data(row) for row in rows], occurred_at=timezone.now())
    # Renewed MVP terms continue in their successor: no "your award ended" for them.
    text = _("Your %(award)s award has ended.")
    label = _labeller()
    queue_emails(
        _award_email(
            row,
            template="expired",
            key=f"award:{row[0]}:expired",
            message=text % {"award": label(row)},
            url=f"/awards/{row[0]}/certificate/",
        )
        for row in rows
        if not row[-1]
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
    has none and was not renewed yet. Reads the range of ``award_active_ends`` up to
    as_of + N, so its cost follows the terms ending in the next N days, not the table.

    Set-based (one read, one insert of reviews, one of emails, one of notifications); the
    unique review per award is the final word on a concurrent run, and the email's dedupe
    key gates the email and the notification, so nobody is told twice."""
    policy = EligibilityPolicy.current()
    rows = _holders(
        Award.objects.filter(
            kind=AwardKind.MVP,
            status=AwardStatus.ACTIVE,
            ends_on__gte=as_of,
            ends_on__lte=as_of + timedelta(days=policy.renewal_days_before_term),
            renewal_review__isnull=True,
            renewed_by__isnull=True,
        )
    )
    if not rows:
        return {"renewals_opened": 0}
    update_days = timedelta(days=policy.renewal_update_days)
    update_by = {row[0]: min(as_of + update_days, row[3]) for row in rows}
    RenewalReview.objects.bulk_create(
        [
            RenewalReview(award_id=pk, opened_on=as_of, update_by=day)
            for pk, day in update_by.items()
        ],
        ignore_conflicts=True,
    )
    text = _("Your %(award)s term is up for renewal: bring your log up to date by %(day)s.")
    label = _labeller()
    queued = queue_emails(
        _award_email(
            row,
            template="renewal_opened",
            key=f"award:{row[0]}:renewal_opened",
            message=text % {"award": label(row), "day": update_by[row[0]].isoformat()},
            url="/eligibility/",
            review=ref("awards.renewalreview", award_id=row[0]),
        )
        for row in rows
    )
    return {"renewals_opened": len(queued)}


@transaction.atomic(savepoint=False)
def remind_mcc_expiry(*, as_of: date) -> dict[str, int]:
    """MCC holders whose status ends within ``mcc_expiry_reminder_days``; once per award
    (outbox dedupe key), also when a run was skipped and the award is still in force."""
    policy = EligibilityPolicy.current()
    rows = _holders(
        Award.objects.filter(
            kind=AwardKind.MCC,
            status=AwardStatus.ACTIVE,
            ends_on__gte=as_of,
            ends_on__lte=as_of + timedelta(days=policy.mcc_expiry_reminder_days),
        )
    )
    text = _("Your MCC status ends on %(day)s.")
    queued = queue_emails(
        _award_email(
            row,
            template="mcc_expiry_reminder",
            key=f"award:{row[0]}:mcc_expiry_reminder",
            message=text % {"day": row[3].isoformat()},
            url=f"/awards/{row[0]}/certificate/",
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
    rows = _holders(
        Award.objects.filter(renewal_review__in=reviews),
        "renewal_review__pk",
        "renewal_review__update_by",
    )
    text = _("Reminder: bring your log up to date by %(day)s for your renewal.")
    queued = queue_emails(
        _award_email(
            row,
            template="renewal_reminder",
            key=f"renewal:{row[9]}:reminder",
            message=text % {"day": row[10].isoformat()},
            url="/eligibility/",
            review=ref("awards.renewalreview", row[9]),
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
