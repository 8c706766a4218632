from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from api import navigation as api_navigation
from awards import navigation as awards_navigation
from calendars import navigation as calendars_navigation
from contributions import navigation as contributions_navigation
from imports import navigation as imports_navigation
from nominations import navigation as nominations_navigation
from notifications import navigation as notifications_navigation
from ops import navigation as ops_navigation
from webhooks import navigation as webhooks_navigation

# Each app's nav_items(request) returns (label, url) for the main bar, or (label, url, group)
# with group "staff" (the program staff menu) or "account" (the person's own menu).
GROUPS = ("main", "staff", "account")


def navigation(request) -> dict:
    """The navigation a person sees depends on their roles; each app adds its own entries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_main": [], "nav_staff": [], "nav_account": []}
    grouped: dict[str, list[tuple[str, str]]] = {group: [] for group in GROUPS}
    for app in (
        contributions_navigation,
        imports_navigation,
        notifications_navigation,
        awards_navigation,
        nominations_navigation,
        ops_navigation,
        webhooks_navigation,
        api_navigation,
        calendars_navigation,
    ):
        for label, url, *group in app.nav_items(request):
            grouped[group[0] if group else "main"].append((label, url))
    grouped["account"] += [
        (_("Email addresses"), reverse("account_email")),
        (_("Password"), reverse("account_change_password")),
        (_("Two-factor authentication"), reverse("mfa_index")),
    ]
    if user.is_staff:
        grouped["staff"].append((_("Admin site"), reverse("admin:index")))
    return {f"nav_{group}": items for group, items in grouped.items()}
