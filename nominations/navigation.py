"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from typing import TYPE_CHECKING

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def nav_items(request) -> list[tuple["StrOrPromise", ...]]:
    user = request.user
    items: list[tuple[StrOrPromise, ...]] = [(_("Nominations"), reverse("nominations:mine"))]
    if rules.has_perm("nominations.view_reviews", user):
        items.append((_("My reviews"), reverse("nominations:my_reviews")))
    if rules.has_perm("nominations.view_queue", user):
        items += [
            (_("Nomination queue"), reverse("nominations:queue"), "staff"),
            (_("Program metrics"), reverse("nominations:metrics"), "staff"),
        ]
    return items
