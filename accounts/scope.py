"""Which regions a person oversees: the one answer every rule, query, view and API router asks.

Global program staff oversee every region; a regional manager the one region of their grant;
anyone else none. ``RegionScope.for_user`` reads the roles ``User`` loads once per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet

from accounts.rules import is_global_staff, is_regional_manager

if TYPE_CHECKING:
    from accounts.models import User


_QS = TypeVar("_QS", bound=QuerySet)


@dataclass(frozen=True)
class RegionScope:
    all_regions: bool = False
    region: str | None = None  # a regional manager's region; None when all or none

    @classmethod
    def for_user(cls, user: User | None) -> RegionScope:
        if not (user and user.is_authenticated):
            return NO_REGIONS
        if is_global_staff(user):
            return ALL_REGIONS
        if is_regional_manager(user) and user.managed_region:
            return cls(region=user.managed_region)
        return NO_REGIONS

    @property
    def is_empty(self) -> bool:
        """Oversees nobody (not staff, or a regional manager without a region)."""
        return not self.all_regions and not self.region

    def contains(self, region: str | None) -> bool:
        """May act on a row of ``region`` (a blank region belongs to global staff only)."""
        return self.all_regions or bool(self.region and region == self.region)

    def q(self, field: str = "region") -> Q | None:
        """The condition on ``field`` for the overseen rows, to combine with others;
        ``Q()`` (everything) for all regions, None when nothing is overseen."""
        if self.all_regions:
            return Q()
        if self.region:
            return Q(**{field: self.region})
        return None

    def filter(self, queryset: _QS, field: str = "region") -> _QS:
        """``queryset`` cut to the overseen rows, by the region in ``field``."""
        condition = self.q(field)
        if condition is None:
            return queryset.none()
        return queryset.filter(condition) if condition else queryset


ALL_REGIONS = RegionScope(all_regions=True)
NO_REGIONS = RegionScope()
