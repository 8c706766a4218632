"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

import rules
from django.urls import reverse
from django.utils.translation import gettext as _

from mvptracker.notifications.models import Notification


def nav_items(request) -> list[tuple[str, str]]:
    user = request.user
    # One indexed count of the person's unread notifications per page.
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    label = _("Notifications (%(count)s)") % {"count": unread} if unread else _("Notifications")
    items = [
        (label, reverse("awards:notifications")),
        (_("My eligibility"), reverse("awards:my_eligibility"), "account"),
    ]
    if rules.has_perm("awards.view_staff_pages", user):
        items += [
            (_("Awards"), reverse("awards:list"), "staff"),
            (_("MCC candidates"), reverse("awards:mcc_candidates"), "staff"),
            (_("Renewals"), reverse("awards:renewals"), "staff"),
            (_("Daily jobs"), reverse("awards:job_runs"), "staff"),
        ]
    if rules.has_perm("awards.change_policy", user):
        items.append((_("Eligibility policy"), reverse("awards:policy"), "staff"))
    return items
