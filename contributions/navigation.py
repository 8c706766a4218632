"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_program_staff

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def nav_items(request) -> list[tuple["StrOrPromise", ...]]:
    items = [
        (_("My contributions"), reverse("contributions:list")),
        (_("My 12 months"), reverse("contributions:window")),
        (_("Profile"), reverse("contributions:profile"), "account"),
    ]
    if is_program_staff(request.user):
        items.append((_("Contributors"), reverse("contributions:contributors"), "staff"))
    return items
