from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awards import navigation as awards_navigation
from contributions import navigation as contributions_navigation
from mvptracker.api import navigation as api_navigation
from nominations import navigation as nominations_navigation


def navigation(request) -> dict:
    """The navigation a person sees depends on their roles; each app adds its own entries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("home"))]
    for app in (
        contributions_navigation,
        awards_navigation,
        nominations_navigation,
        api_navigation,
    ):
        items.extend(app.nav_items(request))
    if user.is_staff:
        items.append((_("Admin"), reverse("admin:index")))
    return {"nav_items": items}
