from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    AWARD_GRANTED = "award.granted", _("An award was granted")
    AWARD_RENEWED = "award.renewed", _("An MVP award was renewed")
    AWARD_EXPIRED = "award.expired", _("An award's term ended")
    AWARD_REVOKED = "award.revoked", _("An award was revoked")
    NOMINATION_SUBMITTED = "nomination.submitted", _("A nomination was submitted")
    NOMINATION_DECIDED = "nomination.decided", _("A nomination was decided")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
