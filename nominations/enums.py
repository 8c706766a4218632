from django.db import models
from django.utils.translation import gettext_lazy as _


class NominationSource(models.TextChoices):
    MVP = "mvp", _("Nominated by an MVP")
    SELF = "self", _("Self-application")
    STAFF = "staff", _("Nominated by program staff")


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Recommendation(models.TextChoices):
    AWARD = "award", _("Award")
    DECLINE = "decline", _("Decline")


# A nomination is open until a decision, an expiry or a withdrawal closes it.
OPEN_STATUSES = (NominationStatus.SUBMITTED, NominationStatus.IN_REVIEW)
# States after which the same candidate waits out the policy's cooldown.
COOLDOWN_STATUSES = (NominationStatus.DECLINED, NominationStatus.EXPIRED)
