from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.enums import TokenScope
from api.models import TOKEN_LIFETIME


def default_expiry_day():
    return timezone.localdate() + TOKEN_LIFETIME


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “blog sync script”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.WRITE,
        required=False,  # left out: write, as before scopes existed
        widget=forms.RadioSelect,
        help_text=_("A read-only token can read through the API but change nothing."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        initial=default_expiry_day,
        required=False,  # left empty: one year
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day the token works. One year from today unless you choose."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"] or TokenScope.WRITE

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day is None:
            return default_expiry_day()
        if day < today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if day > today + 5 * TOKEN_LIFETIME + timedelta(days=1):
            raise forms.ValidationError(_("Choose a day at most five years from today."))
        return day
