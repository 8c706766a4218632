"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def nav_items(request) -> list[tuple["StrOrPromise", ...]]:
    return [(_("API tokens"), reverse("api_tokens"), "account")]
