"""What award pages read from their request: the as-of date."""

from datetime import date

from django.utils import timezone

from awards.forms import AsOfForm


def parse_as_of(request) -> date:
    form = AsOfForm(request.GET)
    if form.is_valid() and form.cleaned_data["as_of"]:
        return form.cleaned_data["as_of"]
    return timezone.localdate()
