"""Project-wide form rendering: Bootstrap classes on every widget, errors linked to fields.

Django 5.2 already marks invalid widgets with ``aria-invalid`` and points ``aria-describedby``
at the error list; this adds the CSS classes so every form, ours and allauth's, looks alike.
"""

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting

CHECK_WIDGETS = {"checkbox", "radio", "checkboxselectmultiple", "radioselect"}
SELECT_WIDGETS = {"select", "selectmultiple", "nullbooleanselect"}


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = type(widget).__name__.lower().removesuffix("input")
        if kind in CHECK_WIDGETS:
            css = "form-check-input"
        elif kind in SELECT_WIDGETS:
            css = "form-select"
        else:
            css = "form-control"
        if self.form.is_bound and self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField
