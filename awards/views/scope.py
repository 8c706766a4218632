"""What every award page needs from its request: the viewer's region scope, the as-of date."""

from datetime import date

from django.utils import timezone

from accounts.rules import is_global_staff
from awards.forms import AsOfForm


def scope_region(user) -> str | None:
    """None for global staff (every region); a regional manager's region otherwise."""
    return None if is_global_staff(user) else (user.managed_region or "-")


def parse_as_of(request) -> date:
    form = AsOfForm(request.GET)
    if form.is_valid() and form.cleaned_data["as_of"]:
        return form.cleaned_data["as_of"]
    return timezone.localdate()
