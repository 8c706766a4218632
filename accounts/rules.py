"""Role predicates. They read the roles the user model exposes (``user.roles``,
``user.managed_region``), which ``User`` loads once per request."""

import rules

from accounts.enums import Role


@rules.predicate
def is_reviewer(user) -> bool:
    return bool(user and user.is_authenticated and Role.REVIEWER in user.roles)


@rules.predicate
def is_global_staff(user) -> bool:
    return bool(user and user.is_authenticated and Role.STAFF in user.roles)


@rules.predicate
def is_regional_manager(user) -> bool:
    return bool(user and user.is_authenticated and Role.REGIONAL_MANAGER in user.roles)


is_program_staff = is_global_staff | is_regional_manager
