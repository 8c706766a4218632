from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceType(models.TextChoices):
    FEED = "feed", _("Feed (RSS, Atom, JSON Feed)")
    GITHUB = "github", _("GitHub user")
    STACKEXCHANGE = "stackexchange", _("Stack Exchange user")


class SourceStatus(models.TextChoices):
    NEVER = "never", _("Never fetched")
    OK = "ok", _("OK")
    NOT_MODIFIED = "not_modified", _("Not modified")
    ERROR = "error", _("Error")


class DraftStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")
