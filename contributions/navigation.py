"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_program_staff


def nav_items(request) -> list[tuple[str, str]]:
    items = [
        (_("My contributions"), reverse("contributions:list")),
        (_("My 12 months"), reverse("contributions:window")),
        (_("Profile"), reverse("contributions:profile"), "account"),
    ]
    if is_program_staff(request.user):
        items.append((_("Contributors"), reverse("contributions:contributors"), "staff"))
    return items
