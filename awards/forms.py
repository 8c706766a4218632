import hashlib
import json
from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import Region
from awards.enums import AwardKind, AwardStatus
from awards.models import EligibilityPolicy
from contributions.models import Contributor, TechnologyArea


def award_categories():
    return TechnologyArea.objects.filter(parent__isnull=True, is_active=True)


class PolicyForm(forms.ModelForm):
    """The thresholds of a new policy version, prefilled with the current ones."""

    confirmation = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = EligibilityPolicy
        fields = [*EligibilityPolicy.THRESHOLD_FIELDS, "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True

    def thresholds(self) -> dict:
        return {name: self.cleaned_data[name] for name in EligibilityPolicy.THRESHOLD_FIELDS}

    def fingerprint(self, current_version) -> str:
        """Ties a save to the preview that showed exactly these values against this version."""
        payload = json.dumps([current_version, self.thresholds()], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


class ContributorField(forms.CharField):
    """A contributor by handle or by account email."""

    def clean(self, value):
        value = super().clean(value).strip()
        person = (
            Contributor.objects.select_related("user")
            .filter(Q(handle__iexact=value) | Q(user__email__iexact=value))
            .first()
        )
        if person is None:
            raise forms.ValidationError(_("No contributor with that handle or email."))
        return person


class GrantForm(forms.Form):
    contributor = ContributorField(label=_("Contributor (handle or email)"), max_length=254)
    kind = forms.ChoiceField(label=_("Award"), choices=AwardKind.choices)
    technology_area = forms.ModelChoiceField(
        label=_("Award category (MVP only)"),
        queryset=TechnologyArea.objects.none(),
        required=False,
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["technology_area"]).queryset = award_categories()

    def clean(self):
        data = super().clean()
        assert data is not None  # BaseForm.clean returns cleaned_data
        if data.get("kind") == AwardKind.MVP and not data.get("technology_area"):
            self.add_error("technology_area", _("An MVP award needs an award category."))
        if data.get("kind") == AwardKind.MCC:
            data["technology_area"] = None
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RenewalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("renew", _("Renew")), ("not_renew", _("Do not renew"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        assert data is not None  # BaseForm.clean returns cleaned_data
        if data.get("decision") == "not_renew" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the award is not renewed."))
        return data


class AwardFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Award"), choices=[("", _("All")), *AwardKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *AwardStatus.choices], required=False
    )
    area = forms.ChoiceField(label=_("Award category"), required=False)
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All")), *Region.choices], required=False
    )
    before = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["area"]).choices = [("", _("All"))] + [
            (slug, name) for slug, name in award_categories().values_list("slug", "name")
        ]


class McCGrantForm(forms.Form):
    contributor = forms.TypedMultipleChoiceField(coerce=int, required=False)
    only = forms.IntegerField(required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be posted; the view scopes them and the service skips the unknown.
        field = cast(forms.TypedMultipleChoiceField, self.fields["contributor"])
        field.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]

    def chosen_ids(self) -> list[int]:
        only = self.cleaned_data.get("only")
        return [only] if only else list(dict.fromkeys(self.cleaned_data.get("contributor") or []))


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
