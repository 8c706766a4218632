"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.rules import is_program_staff


def nav_items(request) -> list[tuple[str, str, str]]:
    if is_program_staff(request.user):
        return [(_("Daily jobs"), reverse("ops:job_runs"), "staff")]
    return []
