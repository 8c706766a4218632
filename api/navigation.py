"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def nav_items(request) -> list[tuple[str, str]]:
    return [(_("API tokens"), reverse("api_tokens"), "account")]
