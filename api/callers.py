"""Answers about the caller that need several apps at once (so they live in the API, the
composition layer): roles including the derived MVP status, and what staff may manage."""

from accounts.enums import Role
from accounts.scope import RegionScope
from awards.rules import is_active_mvp
from contributions.models import Contributor
from contributions.services import ensure_contributor

ROLE_ORDER = ("contributor", "mvp", Role.REVIEWER, Role.STAFF, Role.REGIONAL_MANAGER)


def roles_of(user) -> list[str]:
    held = {"contributor", *user.roles}
    if is_active_mvp(user):
        held.add("mvp")
    return [str(role) for role in ROLE_ORDER if role in held]


def contributor_of(user) -> Contributor:
    return ensure_contributor(user=user)


def can_manage(user, contributor: Contributor) -> bool:
    """Program staff manage everyone; a regional manager only the people of their region."""
    return RegionScope.for_user(user).contains(contributor.region)
