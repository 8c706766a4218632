"""Daily jobs of this app: (name, function(*, as_of) -> dict of counts)."""

from datetime import date

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from common.sql import named_rows, table
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
    assignments, nominations = table(ReviewAssignment), table(Nomination)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {assignments} SET reminded_on = %s "  # noqa: S608
            f"WHERE reminded_on IS NULL AND id IN ({inner}) "
            f"RETURNING reviewer_id, nomination_id, (SELECT n.candidate_name FROM {nominations} "
            f"AS n WHERE n.id = {assignments}.nomination_id) AS candidate_name",
            [as_of, *params],
        )
        reminded = sorted(named_rows(cursor), key=lambda row: (row.nomination_id, row.reviewer_id))
    if not reminded:
        return {"review_reminders": 0}
    text = _("Your review of %(name)s's nomination is overdue.")
    url = reverse("nominations:review", args=[0]).replace("/0/", "/{}/")
    notify_many(
        [
            (row.reviewer_id, text % {"name": row.candidate_name}, url.format(row.nomination_id))
            for row in reminded
        ]
    )
    return {"review_reminders": len(reminded)}


DAILY_JOBS = [
    ("expire_nominations", expire_nominations),
    ("remind_reviewers", remind_reviewers),
]
