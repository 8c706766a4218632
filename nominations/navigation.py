"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def nav_items(request) -> list[tuple[str, str]]:
    user = request.user
    items = [(_("Nominations"), reverse("nominations:mine"))]
    if user.has_perm("nominations.view_reviews"):
        items.append((_("My reviews"), reverse("nominations:my_reviews")))
    if user.has_perm("nominations.view_queue"):
        items.append((_("Nomination queue"), reverse("nominations:queue")))
    return items
