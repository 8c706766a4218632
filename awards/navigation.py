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
        (_("My eligibility"), reverse("awards:my_eligibility")),
        (label, reverse("awards:notifications")),
    ]
    if rules.has_perm("awards.view_staff_pages", user):
        items.append((_("Awards"), reverse("awards:list")))
    return items
