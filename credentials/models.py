import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The Bitstring Status List's minimum size (131,072 entries = 16 KB): a list that small
# would let an observer tell which few credentials were issued.
STATUS_LIST_MIN_ENTRIES = 131_072


class CredentialHolder(models.Model):
    """A contributor's stable credential subject identifier: random, so a credential names
    its holder without their email address or database id."""

    contributor = models.OneToOneField(
        "contributions.Contributor", on_delete=models.CASCADE, related_name="+"
    )
    subject_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("credential holder")
        verbose_name_plural = _("credential holders")

    def __str__(self) -> str:
        return self.subject_id

    @property
    def subject_id(self) -> str:
        return f"urn:uuid:{self.subject_uuid}"


class AwardCredential(models.Model):
    """The award's credential: its position in the revocation status list, allocated once,
    and the key that signed it (so the JWKS keeps that key while the credential is in force).

    The status bit itself is not stored: the status list is built from the revoked awards'
    indexes when it is served, so revoking an award (in ``awards``) needs nothing from here.
    """

    award = models.OneToOneField("awards.Award", on_delete=models.CASCADE, related_name="+")
    status_index = models.PositiveIntegerField(unique=True, editable=False)
    kid = models.CharField(_("signing key id"), max_length=64)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("award credential")
        verbose_name_plural = _("award credentials")

    def __str__(self) -> str:
        return f"{self.award_id}#{self.status_index}"


class SigningKey(models.Model):
    """A public key that has signed credentials, kept after rotation: the JWKS lists it until
    the last credential it signed is past its ``validUntil``."""

    kid = models.CharField(max_length=64, unique=True)
    public_jwk = models.JSONField()
    first_used_at = models.DateTimeField(default=timezone.now)
    signs_until = models.DateField(
        help_text=_("The latest validUntil of a credential this key signed.")
    )

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.kid
