"""Navigation entries of the import hub (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def nav_items(request) -> list[tuple[str, str]]:
    return [
        (_("Inbox"), reverse("imports:inbox")),
        (_("Sources"), reverse("imports:sources"), "account"),
    ]
