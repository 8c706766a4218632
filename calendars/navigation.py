"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext as _


def nav_items(request) -> list[tuple[str, str, str]]:
    return [(_("Calendar feed"), reverse("calendars:settings"), "account")]
