"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from webhooks.rules import can_manage_webhooks


def nav_items(request) -> list[tuple[str, str, str]]:
    if can_manage_webhooks(request.user):
        return [(_("Webhooks"), reverse("webhooks:endpoints"), "staff")]
    return []
