"""Permission predicates of the contribution log; role predicates come from accounts."""

import rules

from accounts.rules import is_global_staff, is_program_staff
from accounts.scope import RegionScope

is_contributor = rules.is_authenticated


# Object predicates. A "subject" is a Contributor; a contribution's subject is its contributor.


@rules.predicate
def is_own_contributor(user, contributor) -> bool:
    return bool(user and user.is_authenticated and contributor and contributor.user_id == user.pk)


@rules.predicate
def is_own_contribution(user, contribution) -> bool:
    return bool(
        user
        and user.is_authenticated
        and contribution is not None
        and contribution.contributor.user_id == user.pk
    )


@rules.predicate
def oversees_contributor(user, contributor) -> bool:
    """Global staff oversee everyone; a regional manager only contributors of their region."""
    return contributor is not None and RegionScope.for_user(user).contains(contributor.region)


@rules.predicate
def oversees_contribution(user, contribution) -> bool:
    return contribution is not None and oversees_contributor(user, contribution.contributor)


@rules.predicate
def is_public_profile(user, contributor) -> bool:
    return bool(contributor and contributor.is_public)


rules.add_perm("contributions.manage_contribution", is_own_contribution)
rules.add_perm("contributions.view_log", is_own_contributor | oversees_contributor)
rules.add_perm("contributions.verify_contribution", oversees_contribution)
rules.add_perm(
    "contributions.view_public_profile",
    is_public_profile | is_own_contributor | oversees_contributor,
)
rules.add_perm("contributions.list_contributors", is_program_staff)

# The Django admin: global program staff edit the vocabularies (deactivate rather than delete:
# rows are protected by the log) and may look at profiles and entries there.
# Superusers keep the admin they had (the rules decide every permission they declare).
is_admin_operator = is_global_staff | rules.is_superuser
rules.add_perm("contributions", is_admin_operator)
for _model in ("technologyarea", "contributionkind"):
    for _action in ("view", "add", "change"):
        rules.add_perm(f"contributions.{_action}_{_model}", is_admin_operator)
for _model in ("contributor", "contribution"):
    rules.add_perm(f"contributions.view_{_model}", is_admin_operator)
