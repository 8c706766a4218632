from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.models import ContributionKind, TechnologyArea
from imports.models import Source


class SourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("feed address"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Source
        fields = [
            "type",
            "url",
            "handle",
            "site",
            "user_id",
            "default_kind",
            "technology_area",
            "interval_hours",
            "enabled",
        ]
        help_texts = {
            "url": _(
                "For a feed: the RSS, Atom or JSON Feed address (a YouTube channel's feed too)."
            ),
            "handle": _("For GitHub: the login, as in github.com/LOGIN."),
            "site": _("For Stack Exchange: the site, for example stackoverflow or superuser."),
            "user_id": _("For Stack Exchange: the number in your profile's address."),
            "default_kind": _("The kind each suggested contribution gets."),
            "interval_hours": _("Daily by default; at most once an hour."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_kind"].queryset = ContributionKind.objects.filter(is_active=True)
        self.fields["technology_area"].queryset = TechnologyArea.objects.filter(
            is_active=True
        ).select_related("parent")
        self.fields["interval_hours"].min_value = 1
        self.fields["interval_hours"].widget.attrs["min"] = 1

    def _post_clean(self):
        # The service checks the address (and resolves the host); the form checks the fields.
        pass
