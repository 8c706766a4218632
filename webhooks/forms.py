from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.enums import EventType


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Receiver URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("Where events are POSTed. It must be a public http or https address."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class EndpointEditForm(EndpointForm):
    enabled = forms.BooleanField(
        label=_("Enabled"),
        required=False,
        help_text=_("Deliveries wait while an endpoint is disabled and resume when enabled."),
    )
