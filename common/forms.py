"""Project-wide form rendering: Bootstrap classes on every widget, errors linked to fields.

Django 5.2 already marks invalid widgets with ``aria-invalid`` and points ``aria-describedby``
at the error list; this adds the CSS classes so every form, ours and allauth's, looks alike.

Forms render with Django's Jinja2 form renderer and its built-in widget templates (the same
markup as the Django-language ones): a field with its label, widget and attributes is a
handful of tiny templates, and Jinja2 renders them several times faster, 5-17 ms of a form
page. Pages, partials and emails are Jinja2 too, in the same engine (README "Templates").
A widget that ships only Django-language templates (the admin's) renders through those.
"""

from django.forms import BoundField
from django.forms.renderers import Jinja2, TemplatesSetting
from django.template import TemplateDoesNotExist, engines
from django.utils.functional import cached_property

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


class FormRenderer(Jinja2):
    """Forms render with the pages' own Jinja2 engine (settings.TEMPLATES "jinja2"): the
    project's form templates in templates/jinja2/forms/, Django's widget templates after them."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField

    @cached_property
    def engine(self):
        return engines["jinja2"]

    @cached_property
    def django_templates(self) -> TemplatesSetting:
        return TemplatesSetting()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.django_templates.get_template(template_name)
