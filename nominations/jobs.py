"""Daily jobs of this app: (name, function(*, as_of) -> dict of counts)."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from mvptracker.notifications.services import notify
from nominations.enums import OPEN_STATUSES
from nominations.models import ReviewAssignment
from nominations.workflow import expire_overdue_nominations


def expire_nominations(*, as_of: date) -> dict[str, int]:
    """Close open nominations with no decision three months after submission."""
    return {"nominations_expired": expire_overdue_nominations(as_of=as_of)}


def remind_reviewers(*, as_of: date) -> dict[str, int]:
    """Remind each reviewer once about every overdue review (state-driven: ``reminded_on``)."""
    with transaction.atomic():
        overdue = list(
            ReviewAssignment.objects.select_for_update(of=("self",))
            .select_related("nomination", "reviewer")
            .filter(
                due_on__lt=as_of,
                reminded_on__isnull=True,
                nomination__status__in=OPEN_STATUSES,
            )
            .exclude(nomination__reviews__reviewer=F("reviewer"))
        )
        for assignment in overdue:
            notify(
                recipient=assignment.reviewer,
                message=_("Your review of %(name)s's nomination is overdue.")
                % {"name": assignment.nomination.candidate_name},
                url=reverse("nominations:review", args=[assignment.nomination_id]),
            )
        ReviewAssignment.objects.filter(pk__in=[a.pk for a in overdue]).update(reminded_on=as_of)
    return {"review_reminders": len(overdue)}


DAILY_JOBS = [
    ("expire_nominations", expire_nominations),
    ("remind_reviewers", remind_reviewers),
]
