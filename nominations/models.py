from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Region
from nominations.enums import (
    OPEN_STATUSES,
    NominationSource,
    NominationStatus,
    Recommendation,
)

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
CRITERIA = ("expertise", "quality", "quantity", "impact")


class NominationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Nomination(models.Model):
    """A candidate put forward for an MVP award in one award category.

    ``decision_due`` (submission date + 3 calendar months) is computed once and stored; the
    daily job expires open nominations past it. At most one open nomination per candidate
    email and category: a second one becomes an :class:`Endorsement` of the first.
    """

    candidate = models.ForeignKey(
        "contributions.Contributor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("candidate"),
    )
    candidate_email = models.EmailField(_("candidate email"))
    candidate_name = models.CharField(_("candidate name"), max_length=100)
    technology_area = models.ForeignKey(
        "contributions.TechnologyArea",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("award category"),
    )
    source = models.CharField(_("source"), max_length=8, choices=NominationSource.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="nominations_made",
        verbose_name=_("nominated by"),
    )
    reason = models.TextField(_("why"), max_length=5000)
    evidence_urls = models.JSONField(_("evidence links"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.SUBMITTED,
    )
    region = models.CharField(
        _("program region"), max_length=32, choices=Region.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decision_due = models.DateField(_("decision due"))
    candidate_completed_at = models.DateTimeField(_("completed by the candidate"), null=True)
    decided_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    decision_reason = models.CharField(_("decision reason"), max_length=1000, blank=True)
    award = models.OneToOneField(
        "awards.Award",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nomination",
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # Makes the endorsement merge race-safe: the second insert fails and is re-read.
            models.UniqueConstraint(
                fields=["candidate_email", "technology_area"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="nomination_one_open_per_candidate_area",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=NominationStatus.values),
                name="nomination_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=NominationStatus.AWARDED)
                | models.Q(award__isnull=False),
                name="nomination_awarded_has_award",
            ),
        ]
        indexes = [
            # The queue's keyset order and the expiry job's scan.
            models.Index(fields=["decision_due", "id"], name="nomination_due"),
            models.Index(fields=["status", "region"], name="nomination_status_region"),
            models.Index(fields=["-submitted_at", "-id"], name="nomination_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_name} ({self.technology_area})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Endorsement(models.Model):
    """A further nominator's support for an open nomination; each keeps their own reason."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="endorsements"
    )
    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements"
    )
    source = models.CharField(max_length=8, choices=NominationSource.choices)
    reason = models.TextField(_("why"), max_length=5000)
    evidence_urls = models.JSONField(_("evidence links"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "endorser"], name="endorsement_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endorser} → {self.nomination_id}"


class NominationEvent(models.Model):
    """Every change of a nomination's state: who, when, why (creation has no from-state)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=NominationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=NominationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=1000, blank=True)
    as_of = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.from_status} → {self.to_status}"


class Invitation(models.Model):
    """A single-use link for the candidate. Only a hash of the token is stored."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.nomination_id})"


class ReviewAssignment(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("review due"))
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "reviewer"], name="assignment_one_per_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ← {self.nomination_id}"


class Review(models.Model):
    """One panel member's scores (1–5 per criterion) and recommendation."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nomination_reviews"
    )
    expertise = models.PositiveSmallIntegerField(
        _("technical expertise"), validators=SCORE_VALIDATORS
    )
    quality = models.PositiveSmallIntegerField(_("quality"), validators=SCORE_VALIDATORS)
    quantity = models.PositiveSmallIntegerField(_("quantity"), validators=SCORE_VALIDATORS)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=SCORE_VALIDATORS)
    recommendation = models.CharField(
        _("recommendation"), max_length=8, choices=Recommendation.choices
    )
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "reviewer"], name="review_one_per_reviewer"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"review_{name}_1_5",
                )
                for name in CRITERIA
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.nomination_id}"

    @property
    def mean(self) -> float:
        return sum(getattr(self, name) for name in CRITERIA) / len(CRITERIA)


class ReviewerLoad(models.Model):
    """Per reviewer: assignments on open nominations, and the number and score total of their
    reviews. The reviewer picker and the severity figures read one row per reviewer instead
    of counting everyone's whole history. Database triggers (migration 0003) keep it exact
    on every write to assignments, reviews or a nomination's status, whoever makes it.
    """

    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="reviewer_load",
    )
    open_assignments = models.IntegerField(default=0)
    reviews = models.IntegerField(default=0)
    # The sum of every review's four criterion scores: mean = score_total / (4 * reviews).
    score_total = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(open_assignments__gte=0, reviews__gte=0, score_total__gte=0),
                name="reviewer_load_min",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id}: {self.open_assignments} open"


class NominationCount(models.Model):
    """How many nominations are in ``status`` in ``region``: the metrics page's pipeline reads
    these few rows instead of grouping the whole nomination history. Database triggers
    (migration 0005) keep it exact on every write to a nomination's status or region, whoever
    makes it: the workflow, the daily expiry's bulk update, the admin, deletes, raw SQL.
    """

    status = models.CharField(max_length=16)
    region = models.CharField(max_length=32, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "region"], name="nomination_count_key"),
            models.CheckConstraint(condition=models.Q(n__gte=0), name="nomination_count_min"),
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.region or '—'}: {self.n}"
