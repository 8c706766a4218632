from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """Program regions; a regional manager is program staff scoped to one of them."""

    AMERICAS = "americas", _("Americas")
    EMEA = "emea", _("Europe, Middle East and Africa")
    APAC = "apac", _("Asia Pacific")
    GREATER_CHINA = "greater_china", _("Greater China")
    INDIA = "india", _("India")
    JAPAN = "japan", _("Japan")
    KOREA = "korea", _("Korea")


class Role(models.TextChoices):
    """Roles granted by operators. Everyone is a contributor; MVP is derived from awards."""

    REVIEWER = "reviewer", _("Reviewer")
    STAFF = "staff", _("Program staff")
    REGIONAL_MANAGER = "regional_manager", _("Regional manager")


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    LOCKED_OUT = "locked_out", _("Locked out")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
