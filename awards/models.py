import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Region
from awards.enums import AwardEventKind, AwardKind, AwardStatus, RenewalReviewStatus


class EligibilityPolicy(models.Model):
    """One version of the program's thresholds. Rows are never edited: a change is a new
    version, recorded with who made it and why; evaluations name the version they used."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    note = models.CharField(_("reason for the change"), max_length=500, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    min_area_contributions = models.PositiveIntegerField(
        _("contributions in the area"),
        default=6,
        help_text=_("Contributions in the award area within the 12-month window."),
    )
    min_pillars = models.PositiveSmallIntegerField(
        _("pillars"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    min_active_months = models.PositiveSmallIntegerField(
        _("active months"),
        default=6,
        validators=[MaxValueValidator(12)],
        help_text=_("Distinct months of the window with at least one contribution in the area."),
    )
    min_quantity = models.PositiveIntegerField(_("minimum quantity"), default=20)
    min_reach = models.PositiveIntegerField(_("minimum reach"), default=1000)
    renewal_days_before_term = models.PositiveSmallIntegerField(
        _("open renewal reviews this many days before a term ends"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
    )
    renewal_update_days = models.PositiveSmallIntegerField(
        _("days an MVP has to bring the log up to date"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
    )
    mcc_window_days = models.PositiveSmallIntegerField(
        _("MCC: look back this many days"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )
    mcc_min_forum_quantity = models.PositiveIntegerField(
        _("MCC: minimum forum answers"), default=30
    )
    mcc_min_forum_contributions = models.PositiveIntegerField(
        _("MCC: minimum forum entries"), default=3
    )
    mcc_expiry_reminder_days = models.PositiveSmallIntegerField(
        _("MCC: remind this many days before expiry"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    nomination_cooldown_days = models.PositiveSmallIntegerField(
        _("days before a declined or expired candidate can be nominated again"),
        default=180,
        validators=[MaxValueValidator(730)],
    )

    class Meta:
        verbose_name = _("eligibility policy")
        verbose_name_plural = _("eligibility policies")
        ordering = ["-pk"]
        get_latest_by = "pk"

    def __str__(self) -> str:
        return f"v{self.pk}"

    @property
    def version(self) -> int:
        return self.pk

    @classmethod
    def current(cls) -> "EligibilityPolicy":
        """The latest version; the defaults become version 1 on first use."""
        policy = cls.objects.order_by("-pk").first()
        return policy or cls.objects.create(note="Initial policy")

    THRESHOLD_FIELDS = (
        "min_age",
        "min_area_contributions",
        "min_pillars",
        "min_active_months",
        "min_quantity",
        "min_reach",
        "renewal_days_before_term",
        "renewal_update_days",
        "mcc_window_days",
        "mcc_min_forum_quantity",
        "mcc_min_forum_contributions",
        "mcc_expiry_reminder_days",
        "nomination_cooldown_days",
    )


class PillarException(models.Model):
    """Staff-recorded exception to the two-pillar rule for one person (and optionally area)."""

    contributor = models.ForeignKey(
        "contributions.Contributor", on_delete=models.CASCADE, related_name="pillar_exceptions"
    )
    technology_area = models.ForeignKey(
        "contributions.TechnologyArea",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for every area."),
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pillar exception")
        verbose_name_plural = _("pillar exceptions")

    def __str__(self) -> str:
        return f"{self.contributor}: {self.reason}"


def new_certificate_code() -> str:
    return secrets.token_urlsafe(12)


class AwardQuerySet(models.QuerySet):
    def active_on(self, day):
        """Awards in force on ``day``: active and within their stored term. Being an MVP
        follows this, so a term that ended yesterday stops counting before the expiry job."""
        return self.filter(status=AwardStatus.ACTIVE, starts_on__lte=day, ends_on__gte=day)


class Award(models.Model):
    """An MVP term (one technology area, one year) or an MCC status (90 days).

    ``ends_on`` is the last day of the term, computed once at grant and stored. No two active
    awards of the same kind and area for one person may overlap: an exclusion constraint on
    PostgreSQL, triggers on SQLite (see migration 0002).
    """

    contributor = models.ForeignKey(
        "contributions.Contributor", on_delete=models.PROTECT, related_name="awards"
    )
    # The holder's region and country, copied so program metrics count awards without reading
    # the contributors table. Database triggers (migration 0005) keep them equal to the
    # contributor's whenever an award gets its holder or a holder's region or country changes,
    # whoever writes; nothing in Python sets them, and nothing should. On PostgreSQL an insert
    # returns the trigger's values to the instance; on SQLite it keeps "" until read again.
    region = models.CharField(
        _("program region"),
        max_length=32,
        choices=Region.choices,
        blank=True,
        db_default="",
        editable=False,
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        db_default="",
        editable=False,
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AwardKind.choices)
    technology_area = models.ForeignKey(
        "contributions.TechnologyArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("technology area"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    certificate_code = models.CharField(
        max_length=32, unique=True, default=new_certificate_code, editable=False
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            # The expiry jobs read only active rows by end date.
            models.Index(
                fields=["kind", "ends_on"],
                name="award_active_ends",
                condition=models.Q(status="active"),
            ),
            # With the index above, the metrics page reads the few active awards not in force
            # yet (renewals granted ahead) or any more (the expiry job has not run).
            models.Index(
                fields=["kind", "starts_on"],
                name="award_active_starts",
                condition=models.Q(status="active"),
            ),
            models.Index(fields=["contributor", "status"], name="award_contributor_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="award_term_order"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=AwardKind.MVP, technology_area__isnull=False)
                    | models.Q(kind=AwardKind.MCC, technology_area__isnull=True)
                ),
                name="award_area_iff_mvp",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=AwardStatus.REVOKED, revoked_reason__gt="")
                    | ~models.Q(status=AwardStatus.REVOKED)
                ),
                name="award_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.label_of(
            kind_label=self.get_kind_display(),
            area=str(self.technology_area) if self.technology_area_id else None,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )

    @staticmethod
    def label_of(*, kind_label: str, area: str | None, starts_on, ends_on) -> str:
        """The award's name from its values, for jobs that read values instead of rows."""
        area = f" {area}" if area else ""
        return f"{kind_label}{area} {starts_on}–{ends_on}"


class ActiveAwardCount(models.Model):
    """How many active awards (status ``active``, whatever their term) there are of ``kind``
    in ``region``, ``country`` and technology area: a summary of a few hundred rows, whatever
    the number of awards. Database triggers (migration 0007) keep it exact on every write to
    an award's status, kind, area or holder values, whoever makes it: the services, the expiry
    jobs' bulk updates, a holder's move, the admin, deletes, raw SQL.

    ``technology_area_id`` is 0 for an MCC status (no area), so the unique key has no NULL
    and the triggers' upsert finds the row for both kinds.
    """

    kind = models.CharField(max_length=8)
    region = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)
    technology_area_id = models.IntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "country", "technology_area_id"],
                name="active_award_count_key",
            ),
            models.CheckConstraint(condition=models.Q(n__gte=0), name="active_award_count_min"),
        ]

    def __str__(self) -> str:
        area = f" {self.technology_area_id}" if self.technology_area_id else ""
        return f"{self.kind}{area} {self.region or '—'} {self.country or '—'}: {self.n}"


class AwardEvent(models.Model):
    """Audit trail of every grant, renewal, expiry and revocation, including bulk expiries."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=AwardEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=500, blank=True)
    as_of = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("award event")
        verbose_name_plural = _("award events")
        ordering = ["created_at", "pk"]
        constraints = [
            # An award expires once: a second run of the expiry job cannot add a second row.
            models.UniqueConstraint(
                fields=["award"], condition=models.Q(kind="expired"), name="awardevent_one_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} {self.kind}"


class RenewalReview(models.Model):
    """The review of one MVP term before it ends. One per award (a unique constraint), so the
    daily job that opens them can run twice, late or after a crash and still open it once."""

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="renewal_review")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RenewalReviewStatus.choices,
        default=RenewalReviewStatus.OPEN,
    )
    opened_on = models.DateField(_("opened on"))
    update_by = models.DateField(_("log up to date by"))
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    new_award = models.OneToOneField(
        Award, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("renewal review")
        verbose_name_plural = _("renewal reviews")
        ordering = ["update_by", "pk"]
        indexes = [
            # The queue and the reminder job read only open reviews by deadline.
            models.Index(
                fields=["update_by"], name="renewal_open_due", condition=models.Q(status="open")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} ({self.get_status_display()})"
