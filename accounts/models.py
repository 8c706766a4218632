from functools import cached_property
from typing import ClassVar, cast

import rules
from django.conf import settings
from django.contrib.auth.models import (  # type: ignore[attr-defined]  # _user_has_perm: private
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
    _user_has_perm,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Region, Role, SecurityEventKind


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = cast("User", self.model(email=self.normalize_email(email).lower(), **extra))
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Email is the login; everything about the person lives in their profile."""

    email = models.EmailField(_("email address"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Can log into the Django admin. Program roles are granted separately."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # What the site writes to the person in when no request says otherwise: the PDF
    # certificate (and, in time, their emails). Set from the language they signed up in.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def has_perm(self, perm, obj=None) -> bool:
        """Django's "a superuser has every permission", except the program's own (declared
        with django-rules): those are about who someone is — an MVP, the owner, the
        candidate, an assigned reviewer — and a superuser is none of these by being one.
        See ``accounts.backends``."""
        if self.is_active and self.is_superuser and not rules.perm_exists(perm):
            return True
        return _user_has_perm(self, perm, obj)

    @cached_property
    def role_grants(self) -> tuple["RoleGrant", ...]:
        """Loaded once per request; the role predicates read this."""
        return tuple(self.rolegrant_set.all())

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.role_grants)

    @property
    def managed_region(self) -> str | None:
        for grant in self.role_grants:
            if grant.role == Role.REGIONAL_MANAGER:
                return grant.region
        return None


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_one_per_role"),
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.REGIONAL_MANAGER, region__gt="")
                    | (~models.Q(role=Role.REGIONAL_MANAGER) & models.Q(region=""))
                ),
                name="rolegrant_region_iff_regional_manager",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.region}".strip()


class SecurityEvent(models.Model):
    """Append-only audit of account events: logins, failures, lockouts, role changes."""

    kind = models.CharField(max_length=32, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    identifier = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="secevent_user_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.identifier}"
