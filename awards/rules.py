"""Award-derived predicates. Being an MVP is never a flag: it is an award in force today."""

import rules
from django.utils import timezone

from accounts.rules import is_global_staff, is_program_staff
from accounts.scope import RegionScope
from awards.enums import AwardKind
from awards.models import Award


def is_mvp_on(user, day) -> bool:
    if not (user and user.is_authenticated):
        return False
    return (
        Award.objects.active_on(day)
        .filter(kind=AwardKind.MVP, contributor__user_id=user.pk)
        .exists()
    )


@rules.predicate
def is_active_mvp(user) -> bool:
    # Cached per user object (one request), read from the database on every request.
    cached = getattr(user, "_is_active_mvp", None)
    if cached is None:
        cached = is_mvp_on(user, timezone.localdate())
        if user is not None and user.is_authenticated:
            user._is_active_mvp = cached
    return cached


@rules.predicate
def oversees_contributor(user, contributor) -> bool:
    """Global staff manage everyone; a regional manager only contributors of their region."""
    return contributor is not None and RegionScope.for_user(user).contains(contributor.region)


@rules.predicate
def is_award_owner(user, award) -> bool:
    return bool(
        award is not None and user.is_authenticated and award.contributor.user_id == user.pk
    )


@rules.predicate
def oversees_award(user, award) -> bool:
    return award is not None and oversees_contributor(user, award.contributor)


rules.add_perm("awards.view_staff_pages", is_program_staff)
rules.add_perm("awards.change_policy", is_global_staff)
rules.add_perm("awards.manage_contributor", oversees_contributor)
rules.add_perm("awards.manage_award", oversees_award)
rules.add_perm("awards.view_certificate", is_award_owner | oversees_award)
