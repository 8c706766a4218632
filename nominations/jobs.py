"""Daily jobs of this app: (name, function(*, as_of) -> dict of counts)."""

from datetime import date

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from nominations.enums import OPEN_STATUSES
from nominations.models import Nomination, ReviewAssignment
from nominations.workflow.decisions import expire_overdue_nominations
from notifications.services import notify_many


def expire_nominations(*, as_of: date) -> dict[str, int]:
    """Close open nominations with no decision three months after submission."""
    return {"nominations_expired": expire_overdue_nominations(as_of=as_of)}


@transaction.atomic(savepoint=False)
def remind_reviewers(*, as_of: date) -> dict[str, int]:
    """Remind each reviewer once about every overdue review (state-driven: ``reminded_on``).

    One ``UPDATE ... WHERE id IN (the overdue, unreviewed assignments) RETURNING`` marks them
    (a concurrent run waits on the row locks, then finds them reminded) and returns the
    candidates' names (a subquery per row on the nomination's primary key), then one bulk
    insert of the notifications."""
    overdue = (
        ReviewAssignment.objects.filter(
            due_on__lt=as_of,
            reminded_on__isnull=True,
            nomination__status__in=OPEN_STATUSES,
        )
        .exclude(nomination__reviews__reviewer=F("reviewer"))
        .values("pk")
    )
    inner, params = overdue.query.sql_with_params()
    table = connection.ops.quote_name(ReviewAssignment._meta.db_table)
    nominations = connection.ops.quote_name(Nomination._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET reminded_on = %s WHERE reminded_on IS NULL AND id IN ({inner}) "  # noqa: S608
            f"RETURNING reviewer_id, nomination_id, (SELECT n.candidate_name FROM {nominations} "
            f"AS n WHERE n.id = {table}.nomination_id)",
            [as_of, *params],
        )
        reminded = sorted(cursor.fetchall(), key=lambda row: (row[1], row[0]))
    if not reminded:
        return {"review_reminders": 0}
    text = _("Your review of %(name)s's nomination is overdue.")
    url = reverse("nominations:review", args=[0]).replace("/0/", "/{}/")
    notify_many(
        [
            (reviewer_id, text % {"name": name}, url.format(nomination_id))
            for reviewer_id, nomination_id, name in reminded
        ]
    )
    return {"review_reminders": len(reminded)}


DAILY_JOBS = [
    ("expire_nominations", expire_nominations),
    ("remind_reviewers", remind_reviewers),
]
