from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.enums import Region
from contributions.enums import (
    ContributionRole,
    EmployerCategory,
    Pillar,
    ReachUnit,
    TargetAudience,
    Visibility,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_QUANTITY = 1_000_000
MAX_REACH = 1_000_000_000

handle_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$",
    _("Use 1–40 lowercase letters, digits and hyphens, not starting or ending with a hyphen."),
)


class TechnologyArea(models.Model):
    """An award category (no parent) or one of its sub-areas. Seeded, edited by staff."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("award category"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("technology area")
        verbose_name_plural = _("technology areas")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.label_of(name=self.name, parent_name=self.parent.name if self.parent else None)

    @staticmethod
    def label_of(*, name: str, parent_name: str | None) -> str:
        return f"{parent_name} › {name}" if parent_name else name

    @property
    def category_id(self) -> int:
        return self.parent_id or self.pk


class ContributionKind(models.Model):
    """A kind of contribution, its pillar, the reach figure that fits it and the fitting roles."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    pillar = models.CharField(_("pillar"), max_length=16, choices=Pillar.choices)
    reach_unit = models.CharField(_("reach counts"), max_length=16, choices=ReachUnit.choices)
    quantity_label = models.CharField(
        _("quantity counts"),
        max_length=60,
        default="items",
        help_text=_("What the quantity counts, e.g. answers, posts, sessions."),
    )
    roles = models.JSONField(
        _("roles"),
        default=list,
        blank=True,
        help_text=_("The roles that fit this kind (values of ContributionRole)."),
    )
    is_forum_activity = models.BooleanField(
        _("online forum activity"),
        default=False,
        help_text=_("Counts toward the MCC forum-activity check."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("contribution kind")
        verbose_name_plural = _("contribution kinds")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def role_choices(self) -> list[tuple[str, "StrOrPromise"]]:
        labels = dict(ContributionRole.choices)
        return [(role, labels[role]) for role in self.roles if role in labels]


class Contributor(models.Model):
    """The person behind an account: profile, eligibility facts and public page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributor"
    )
    handle = models.CharField(
        _("handle"),
        max_length=40,
        unique=True,
        validators=[handle_validator],
        help_text=_("Your public address: /u/<handle>/."),
    )
    display_name = models.CharField(_("display name"), max_length=100)
    country = CountryField(_("country"), blank=True)
    region = models.CharField(
        _("program region"), max_length=32, choices=Region.choices, blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    primary_area = models.ForeignKey(
        TechnologyArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("primary technology area"),
    )
    additional_areas = models.ManyToManyField(
        TechnologyArea, blank=True, related_name="+", verbose_name=_("additional technology areas")
    )
    employer_category = models.CharField(
        _("employer category"), max_length=32, choices=EmployerCategory.choices, blank=True
    )
    employer_name = models.CharField(_("employer"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    bio = models.TextField(_("bio"), max_length=2000, blank=True)
    links = models.JSONField(_("public links"), default=list, blank=True)
    is_public = models.BooleanField(_("public profile"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="contributor_handle_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["region"], name="contributor_region"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.handle


class ContributionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def for_contributor(self, contributor):
        return self.filter(contributor=contributor)


class Contribution(models.Model):
    """One entry of a contributor's community-work log."""

    contributor = models.ForeignKey(
        Contributor, on_delete=models.CASCADE, related_name="contributions"
    )
    kind = models.ForeignKey(ContributionKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    technology_area = models.ForeignKey(
        TechnologyArea, on_delete=models.PROTECT, verbose_name=_("technology area")
    )
    title = models.CharField(_("title"), max_length=200, validators=[MinLengthValidator(3)])
    date = models.DateField(_("date"))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    canonical_url = models.CharField(max_length=500, blank=True, editable=False)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=ContributionRole.choices, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MaxValueValidator(MAX_QUANTITY)]
    )
    reach = models.PositiveIntegerField(
        _("reach"), default=0, validators=[MaxValueValidator(MAX_REACH)]
    )
    target_audience = models.CharField(
        _("target audience"), max_length=32, choices=TargetAudience.choices, blank=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-date", "-id"]
        indexes = [
            # The log, the window and keyset pagination all read (contributor, date, id).
            models.Index(fields=["contributor", "-date", "-id"], name="contribution_contrib_date"),
            models.Index(fields=["date"], name="contribution_date"),
            models.Index(
                fields=["contributor", "canonical_url", "date", "kind"],
                name="contribution_dedupe",
                condition=~models.Q(canonical_url=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__lte=MAX_QUANTITY), name="contribution_quantity_max"
            ),
            models.CheckConstraint(
                condition=models.Q(reach__lte=MAX_REACH), name="contribution_reach_max"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="contribution_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def pillar(self) -> str:
        return self.kind.pillar


class PendingImport(models.Model):
    """A CSV upload's preview, kept server-side until the person confirms or cancels it.

    One per contributor (a new upload replaces the old one); the confirm step re-validates the
    rows, so nothing here is trusted blindly. Kept out of the session so a 5,000-row preview is
    not decoded on every request."""

    contributor = models.OneToOneField(
        Contributor, on_delete=models.CASCADE, related_name="pending_import"
    )
    token = models.CharField(max_length=32)
    filename = models.CharField(max_length=100, blank=True)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self) -> str:
        return f"{self.contributor} {self.filename}"


class ContributionDayCount(models.Model):
    """How many contributions are dated on ``day`` by contributors of ``region``.

    Program metrics read this instead of counting the log, so their cost does not grow with
    it. Database triggers (migration 0005) keep it exact on every write to the log or to a
    contributor's region, whoever makes it: services, imports, the API, the admin, cascades.
    """

    day = models.DateField()
    region = models.CharField(max_length=32, blank=True)
    contributions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "region"], name="contribution_day_region"),
            models.CheckConstraint(
                condition=models.Q(contributions__gte=0), name="contribution_day_count_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region or '—'}: {self.contributions}"
