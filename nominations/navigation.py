"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def nav_items(request) -> list[tuple[str, str]]:
    user = request.user
    items = [(_("Nominations"), reverse("nominations:mine"))]
    if rules.has_perm("nominations.view_reviews", user):
        items.append((_("My reviews"), reverse("nominations:my_reviews")))
    if rules.has_perm("nominations.view_queue", user):
        items += [
            (_("Nomination queue"), reverse("nominations:queue"), "staff"),
            (_("Program metrics"), reverse("nominations:metrics"), "staff"),
        ]
    return items
