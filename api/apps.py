from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public HTTP API v1: composes every domain app, so nothing below imports it."""

    name = "api"
    label = "api"
    verbose_name = _("API")
