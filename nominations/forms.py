from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import Region
from contributions.enums import EmployerCategory
from contributions.models import TechnologyArea
from nominations.enums import NominationSource, NominationStatus, Recommendation


def award_categories():
    return TechnologyArea.objects.filter(parent__isnull=True, is_active=True).order_by(
        "sort_order", "name"
    )


class EvidenceField(forms.CharField):
    """One http/https link per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines()]
        return [line for line in lines if line]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class NominationForm(forms.Form):
    """An MVP's (or staff member's) nomination. Workflow errors are added to the field they
    are about by the view."""

    candidate_name = forms.CharField(label=_("Candidate's name"), max_length=100)
    candidate_email = forms.EmailField(
        label=_("Candidate's email"),
        help_text=_(
            "If they already have an account we link it; otherwise we email them an "
            "invitation to complete the nomination."
        ),
    )
    technology_area = forms.ModelChoiceField(
        label=_("Award category"), queryset=TechnologyArea.objects.none()
    )
    reason = forms.CharField(
        label=_("Why should they be recognised?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_urls = EvidenceField(
        label=_("Evidence links"),
        required=False,
        help_text=_("One http or https link per line: posts, talks, answers, repositories."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["technology_area"]).queryset = award_categories()


class ApplicationForm(forms.Form):
    technology_area = forms.ModelChoiceField(
        label=_("Award category"), queryset=TechnologyArea.objects.none()
    )
    reason = forms.CharField(
        label=_("Why should you be recognised?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_urls = EvidenceField(
        label=_("Evidence links"),
        required=False,
        help_text=_("One http or https link per line: posts, talks, answers, repositories."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["technology_area"]).queryset = award_categories()


class CompletionForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("You must be 18 or older."),
    )
    employer_category = forms.ChoiceField(
        label=_("Employer category"), choices=EmployerCategory.choices
    )
    employer_name = forms.CharField(label=_("Employer"), max_length=120, required=False)
    reviewed = forms.BooleanField(
        label=_("I have reviewed my contributions of the last 12 months and they are up to date.")
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(NominationStatus.AWARDED, _("Award")), (NominationStatus.DECLINED, _("Decline"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class BulkDecisionForm(DecisionForm):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], label=_("Nominations"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be posted; the view scopes them to what the person may decide.
        field = cast(forms.TypedMultipleChoiceField, self.fields["ids"])
        field.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=1000, required=False)


class AssignForm(forms.Form):
    reviewer: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=None, required=False
    )
    auto = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["reviewer"]).queryset = reviewers


SCORES = [("", "—")] + [(n, str(n)) for n in range(1, 6)]


class ReviewForm(forms.Form):
    expertise = forms.TypedChoiceField(label=_("Technical expertise"), choices=SCORES, coerce=int)
    quality = forms.TypedChoiceField(label=_("Quality"), choices=SCORES, coerce=int)
    quantity = forms.TypedChoiceField(label=_("Quantity"), choices=SCORES, coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=SCORES, coerce=int)
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.choices)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *NominationStatus.choices]
    )
    area = forms.ModelChoiceField(
        label=_("Award category"),
        required=False,
        queryset=TechnologyArea.objects.none(),
        empty_label=_("Any"),
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any")), *Region.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any")), *NominationSource.choices]
    )
    days_left = forms.IntegerField(
        label=_("Due within (days)"), required=False, min_value=-3650, max_value=3650
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("due", _("Due date, soonest first")),
            ("-due", _("Due date, latest first")),
            ("-submitted", _("Newest first")),
            ("submitted", _("Oldest first")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = award_categories()
