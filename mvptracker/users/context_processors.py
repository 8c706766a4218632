from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contributions.rules import is_program_staff, is_reviewer


def navigation(request) -> dict:
    """The navigation a person sees depends on their roles; built once per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("home"))]
    if is_reviewer(user):
        items.append((_("Reviews"), reverse("home") + "#reviews"))
    if is_program_staff(user):
        items.append((_("Staff"), reverse("home") + "#staff"))
    if user.is_staff:
        items.append((_("Admin"), reverse("admin:index")))
    return {"nav_items": items}
