"""Sources of contributions (a feed, a GitHub user, a Stack Exchange user) and the drafts their
fetches suggest. A draft is unique per contributor, canonical URL and kind in the database, so a
re-fetch, two workers or a dismissed item coming back can never make a second one."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.models import (
    MAX_QUANTITY,
    MAX_REACH,
    Contribution,
    ContributionKind,
    Contributor,
    TechnologyArea,
)
from imports.enums import DraftStatus, SourceStatus, SourceType

# After this many failed fetches in a row a source is paused and its owner told.
MAX_CONSECUTIVE_FAILURES = 10
DEFAULT_INTERVAL_HOURS = 24
MIN_INTERVAL_HOURS = 1


class Source(models.Model):
    contributor = models.ForeignKey(
        Contributor, on_delete=models.CASCADE, related_name="import_sources"
    )
    type = models.CharField(_("type"), max_length=16, choices=SourceType.choices)
    url = models.URLField(_("feed address"), max_length=500, blank=True)
    handle = models.CharField(_("GitHub login"), max_length=39, blank=True)
    site = models.CharField(_("Stack Exchange site"), max_length=100, blank=True)
    user_id = models.CharField(_("Stack Exchange user id"), max_length=20, blank=True)
    default_kind = models.ForeignKey(
        ContributionKind, on_delete=models.PROTECT, verbose_name=_("kind"), related_name="+"
    )
    technology_area = models.ForeignKey(
        TechnologyArea,
        on_delete=models.PROTECT,
        verbose_name=_("technology area"),
        related_name="+",
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    interval_hours = models.PositiveSmallIntegerField(
        _("fetch every (hours)"), default=DEFAULT_INTERVAL_HOURS
    )
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status = models.CharField(
        max_length=16, choices=SourceStatus.choices, default=SourceStatus.NEVER, editable=False
    )
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    consecutive_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    next_fetch_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set when "Fetch now" queues a fetch, cleared when the fetch ends: the page polls it.
    fetch_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_fetch_at"], name="source_due", condition=models.Q(enabled=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contributor", "type", "url", "handle", "site", "user_id"],
                name="source_unique_per_contributor",
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=SourceType.values), name="source_type_valid"
            ),
            models.CheckConstraint(
                condition=(
                    (models.Q(type=SourceType.FEED) & ~models.Q(url=""))
                    | (models.Q(type=SourceType.GITHUB) & ~models.Q(handle=""))
                    | (
                        models.Q(type=SourceType.STACKEXCHANGE)
                        & ~models.Q(site="")
                        & ~models.Q(user_id="")
                    )
                ),
                name="source_has_its_address",
            ),
            models.CheckConstraint(
                condition=models.Q(interval_hours__gte=MIN_INTERVAL_HOURS),
                name="source_at_most_hourly",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.type == SourceType.GITHUB:
            return f"GitHub: {self.handle}"
        if self.type == SourceType.STACKEXCHANGE:
            return f"{self.site}: {self.user_id}"
        return self.url

    @property
    def interval(self) -> timedelta:
        return timedelta(hours=max(self.interval_hours, MIN_INTERVAL_HOURS))

    def is_fetching(self, *, now) -> bool:
        # A queued fetch whose worker vanished stops counting after ten minutes.
        return bool(self.fetch_queued_at and now - self.fetch_queued_at < timedelta(minutes=10))


class Draft(models.Model):
    """A suggested contribution. Accepting creates one contribution and keeps the link here
    (``contribution``; the contribution reaches it as ``contribution.import_draft``), so the
    lower ``contributions`` app needs no field pointing up to this one."""

    contributor = models.ForeignKey(
        Contributor, on_delete=models.CASCADE, related_name="import_drafts"
    )
    # Deleting a source removes its pending drafts (services.delete_source); accepted and
    # dismissed ones stay, so what was decided is remembered.
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    status = models.CharField(
        max_length=16, choices=DraftStatus.choices, default=DraftStatus.PENDING
    )
    url = models.URLField(_("URL"), max_length=500)
    canonical_url = models.CharField(max_length=500, editable=False)
    kind = models.ForeignKey(
        ContributionKind, on_delete=models.PROTECT, verbose_name=_("kind"), related_name="+"
    )
    technology_area = models.ForeignKey(
        TechnologyArea,
        on_delete=models.PROTECT,
        verbose_name=_("technology area"),
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), max_length=5000, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    reach = models.PositiveIntegerField(_("reach"), default=0)
    edited = models.BooleanField(default=False)
    contribution = models.OneToOneField(
        Contribution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_draft",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-date", "-id"]
        indexes = [
            # The inbox: one person's pending drafts, newest first, keyset-paginated.
            models.Index(fields=["contributor", "status", "-date", "-id"], name="draft_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contributor", "canonical_url", "kind"], name="draft_unique_item"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DraftStatus.values), name="draft_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DraftStatus.ACCEPTED)
                | models.Q(decided_at__isnull=False),
                name="draft_accepted_has_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__lte=MAX_QUANTITY) & models.Q(reach__lte=MAX_REACH),
                name="draft_numbers_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"
