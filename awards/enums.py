from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    MVP = "mvp", _("MVP")
    MCC = "mcc", _("MCC")


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class AwardEventKind(models.TextChoices):
    GRANTED = "granted", _("Granted")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    NOT_RENEWED = "not_renewed", _("Not renewed")


class RenewalReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RENEWED = "renewed", _("Renewed")
    NOT_RENEWED = "not_renewed", _("Not renewed")
