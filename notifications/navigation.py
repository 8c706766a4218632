"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Notification


def nav_items(request) -> list[tuple[str, str]]:
    # One indexed count of the person's unread notifications per page.
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    label = _("Notifications (%(count)s)") % {"count": unread} if unread else _("Notifications")
    return [(label, reverse("notifications:list"))]
