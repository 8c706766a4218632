"""Forms for profiles, the contribution log, the window page and CSV import.

Forms validate and shape input; the writes go through ``contributions.services``.
"""

import zoneinfo
from datetime import date
from typing import TYPE_CHECKING, cast

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from common.ids import parse_id
from contributions.enums import (
    INELIGIBLE_EMPLOYER_CATEGORIES,
    ContributionRole,
    EmployerCategory,
    Pillar,
    Visibility,
)
from contributions.models import (
    MAX_QUANTITY,
    MAX_REACH,
    Contribution,
    ContributionKind,
    Contributor,
    TechnologyArea,
)
from contributions.validation import (
    EARLIEST_DATE,
    HTTP_URL_MESSAGE,
    ROLE_MISFIT_MESSAGE,
    check_contribution_date,
    check_http_url,
    check_role_fits_kind,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_LINKS = 10
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def employer_choices() -> list[tuple[str, "StrOrPromise"]]:
    choices: list[tuple[str, StrOrPromise]] = [("", "---------")]
    label: StrOrPromise
    for value, label in EmployerCategory.choices:
        if value in INELIGIBLE_EMPLOYER_CATEGORIES:
            label = _("%(label)s (not eligible for an award)") % {"label": label}
        choices.append((value, label))
    return choices


class AreaChoiceField(forms.ModelMultipleChoiceField):
    """Ids beyond a 64-bit integer are invalid choices before any lookup (SQLite raises an
    OverflowError comparing them; PostgreSQL would find nothing)."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).isdigit() and parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django API the stubs omit


class ProfileForm(forms.ModelForm):
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Comma-separated, e.g. English, Korean."),
    )
    links = forms.CharField(
        label=_("Public links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line (http or https), at most 10."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,  # left out (an older form, a script): the language stays as it is
        help_text=_("The language of your PDF certificates."),
    )
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_("An IANA time zone name, e.g. Asia/Seoul or America/New_York."),
    )

    class Meta:
        model = Contributor
        fields = [
            "display_name",
            "handle",
            "country",
            "region",
            "languages",
            "primary_area",
            "additional_areas",
            "employer_category",
            "employer_name",
            "date_of_birth",
            "bio",
            "links",
            "is_public",
        ]
        field_classes = {"additional_areas": AreaChoiceField}
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "additional_areas": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "is_public": _("Show your profile and public contributions at /u/<handle>/."),
        }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        areas = TechnologyArea.objects.filter(is_active=True).select_related("parent")
        cast(forms.ModelChoiceField, self.fields["primary_area"]).queryset = areas
        cast(forms.ModelMultipleChoiceField, self.fields["additional_areas"]).queryset = areas
        cast(forms.ChoiceField, self.fields["employer_category"]).choices = employer_choices()
        self.fields["employer_category"].help_text = _(
            "Microsoft employees, Microsoft contingent staff and government or state-owned "
            "company employees are not eligible for an award."
        )
        if not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages or [])
            self.initial["links"] = "\n".join(self.instance.links or [])
            self.initial["timezone"] = user.timezone
            self.initial["language"] = user.language

    def clean_handle(self) -> str:
        handle = self.cleaned_data["handle"].lower()
        taken = Contributor.objects.filter(handle__iexact=handle).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("This handle is taken. Choose another one."))
        return handle

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [part.strip()[:40] for part in raw.split(",") if part.strip()][:10]

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in (self.cleaned_data.get("links") or "").splitlines()]
        links = [line for line in lines if line]
        if len(links) > MAX_LINKS:
            raise ValidationError(_("At most 10 links."))
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address starting with http:// or https://."),
                    params={"link": link},
                ) from None
        return links

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.user.language

    def clean_timezone(self) -> str:
        name = self.cleaned_data["timezone"].strip()
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                _("Unknown time zone “%(name)s”."), params={"name": name}
            ) from None
        return name

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # BaseForm.clean returns cleaned_data
        primary = cleaned.get("primary_area")
        additional = cleaned.get("additional_areas")
        if primary and additional is not None:
            cleaned["additional_areas"] = [a for a in additional if a.pk != primary.pk]
        return cleaned


class ContributionForm(forms.ModelForm):
    """The log entry form. Its reach and quantity labels and role choices follow the kind."""

    title = forms.CharField(label=_("Title"), min_length=3, max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY, initial=1
    )
    reach = forms.IntegerField(label=_("Reach"), min_value=0, max_value=MAX_REACH, initial=0)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        error_messages={"invalid_choice": ROLE_MISFIT_MESSAGE},
    )
    url = forms.URLField(
        label=_("URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("http:// or https:// only."),
        error_messages={"invalid": HTTP_URL_MESSAGE},
    )

    class Meta:
        model = Contribution
        fields = [
            "kind",
            "technology_area",
            "title",
            "date",
            "url",
            "description",
            "role",
            "quantity",
            "reach",
            "target_audience",
            "visibility",
        ]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        kinds = list(ContributionKind.objects.filter(is_active=True))
        self.kinds = {str(k.pk): k for k in kinds}
        kind_field = cast(forms.ModelChoiceField, self.fields["kind"])
        kind_field.queryset = ContributionKind.objects.filter(is_active=True)
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose an active kind.")
        area_field = cast(forms.ModelChoiceField, self.fields["technology_area"])
        area_field.queryset = TechnologyArea.objects.filter(is_active=True).select_related("parent")
        self.fields["technology_area"].error_messages["invalid_choice"] = _(
            "Choose an active technology area."
        )
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        self.fields["date"].widget.attrs["min"] = EARLIEST_DATE.isoformat()
        self.kind = self._chosen_kind()
        self._adapt_to_kind()

    def _chosen_kind(self) -> ContributionKind | None:
        if self.is_bound:
            value = self.data.get(self.add_prefix("kind"))
        else:
            value = self.initial.get("kind") or (
                self.instance.kind_id if self.instance.pk else None
            )
            if isinstance(value, ContributionKind):
                value = value.pk
        return self.kinds.get(str(value)) if value else None

    def _adapt_to_kind(self) -> None:
        kind = self.kind
        role_field = cast(forms.ChoiceField, self.fields["role"])
        if kind is None:
            role_field.choices = [("", "---------"), *ContributionRole.choices]
            return
        role_field.choices = [("", "---------"), *kind.role_choices()]
        self.fields["reach"].label = _("Reach (%(unit)s)") % {"unit": kind.get_reach_unit_display()}
        self.fields["quantity"].label = _("Quantity (%(what)s)") % {"what": kind.quantity_label}

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url") or ""
        check_http_url(url)
        return url

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        check_contribution_date(day, today=self.today)
        return day

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # BaseForm.clean returns cleaned_data
        try:
            check_role_fits_kind(cleaned.get("role"), cleaned.get("kind"))
        except ValidationError as exc:
            self.add_error("role", exc)
        return cleaned


class ContributionFilter(django_filters.FilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=ContributionKind.objects.all()
    )
    technology_area = django_filters.ModelChoiceFilter(
        label=_("Technology area"), queryset=TechnologyArea.objects.select_related("parent")
    )
    pillar = django_filters.ChoiceFilter(
        label=_("Pillar"), field_name="kind__pillar", choices=Pillar.choices
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visibility = django_filters.ChoiceFilter(label=_("Visibility"), choices=Visibility.choices)

    class Meta:
        model = Contribution
        fields = ["kind", "technology_area", "pillar", "date_from", "date_to", "visibility"]


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and not (date(2000, 1, 1) <= day <= date(2100, 12, 31)):
            raise ValidationError(_("Choose a date between 2000 and 2100."))
        return day


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, at most 2 MB and 5,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    too_large = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            self.too_large = True
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload
