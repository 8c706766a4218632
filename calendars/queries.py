"""What a person's calendar holds, as dated entries: the end of each of their awards'
terms, their open renewal review's "log up to date by" day, the decision due day of the
open nominations they made (and, for program staff, of every open nomination in their
scope), and the due day of each review assigned to them and not yet written.

Entries name things by kind, area and number, never by a person's name or email: the feed
is a bearer URL that calendar services copy to their own servers."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.rules import is_program_staff
from accounts.scope import RegionScope
from awards.enums import AwardStatus, RenewalReviewStatus
from awards.models import Award, RenewalReview
from nominations.enums import OPEN_STATUSES
from nominations.models import Nomination, ReviewAssignment


@dataclass(frozen=True)
class Entry:
    uid: str  # stable across fetches, so calendar clients update rather than duplicate
    day: date
    summary: str
    description: str
    path: str  # the page about it on this site


def entries_for(user) -> list[Entry]:
    """Five queries, whatever the number of entries."""
    entries = []
    awards = Award.objects.filter(contributor__user=user, status=AwardStatus.ACTIVE)
    for award in awards.select_related("technology_area__parent").order_by("ends_on", "pk"):
        entries.append(
            Entry(
                uid=f"award-{award.pk}-term-end",
                day=award.ends_on,
                summary=_("%(award)s: last day of the term") % {"award": award},
                description=_("Your award's term ends on this day."),
                path=reverse("awards:certificate", args=[award.pk]),
            )
        )
    reviews = RenewalReview.objects.filter(
        award__contributor__user=user, status=RenewalReviewStatus.OPEN
    )
    for review in reviews.order_by("update_by", "pk"):
        entries.append(
            Entry(
                uid=f"renewal-{review.pk}-update-by",
                day=review.update_by,
                summary=_("Renewal review: bring your log up to date"),
                description=_("Your renewal review reads your log as it is on this day."),
                path=reverse("awards:my_eligibility"),
            )
        )
    open_nominations = Nomination.objects.filter(status__in=OPEN_STATUSES)
    due = open_nominations.filter(nominated_by=user)
    if is_program_staff(user):
        due = due | RegionScope.for_user(user).filter(open_nominations)
    for nomination in due.select_related("technology_area").order_by("decision_due", "pk"):
        entries.append(
            Entry(
                uid=f"nomination-{nomination.pk}-decision-due",
                day=nomination.decision_due,
                summary=_("Decision due: nomination #%(id)s (%(area)s)")
                % {"id": nomination.pk, "area": nomination.technology_area.name},
                description=_("A decision on this nomination is due by this day."),
                path=reverse("nominations:detail", args=[nomination.pk]),
            )
        )
    assignments = (
        ReviewAssignment.objects.filter(reviewer=user, nomination__status__in=OPEN_STATUSES)
        .exclude(nomination__reviews__reviewer=user)
        .select_related("nomination__technology_area")
        .order_by("due_on", "pk")
    )
    for assignment in assignments:
        entries.append(
            Entry(
                uid=f"review-{assignment.pk}-due",
                day=assignment.due_on,
                summary=_("Review due: nomination #%(id)s (%(area)s)")
                % {
                    "id": assignment.nomination_id,
                    "area": assignment.nomination.technology_area.name,
                },
                description=_("Your review of this nomination is due by this day."),
                path=reverse("nominations:review", args=[assignment.nomination_id]),
            )
        )
    return entries
