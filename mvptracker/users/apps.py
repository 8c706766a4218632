from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "mvptracker.users"
    label = "users"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from mvptracker.users import signals  # noqa: F401
