"""Who may see and do what with a nomination. Views (and the API) ask ``has_perm``;
lists are scoped with :func:`nominations.queries.nominations_visible_to`."""

import rules

from accounts.rules import is_program_staff, is_reviewer
from accounts.scope import RegionScope
from awards.rules import is_active_mvp


@rules.predicate
def can_manage(user, nomination) -> bool:
    """Global staff manage every nomination; a regional manager those of their region."""
    return nomination is not None and RegionScope.for_user(user).contains(nomination.region)


@rules.predicate
def is_nominator(user, nomination) -> bool:
    return nomination is not None and nomination.nominated_by_id == user.pk


@rules.predicate
def is_candidate(user, nomination) -> bool:
    return bool(
        nomination is not None
        and nomination.candidate_id
        and nomination.candidate.user_id == user.pk
    )


@rules.predicate
def is_endorser(user, nomination) -> bool:
    return nomination is not None and nomination.endorsements.filter(endorser_id=user.pk).exists()


@rules.predicate
def is_assigned_reviewer(user, nomination) -> bool:
    return nomination is not None and nomination.assignments.filter(reviewer_id=user.pk).exists()


@rules.predicate
def is_open(user, nomination) -> bool:
    return nomination is not None and nomination.is_open


rules.add_perm("nominations.nominate", is_active_mvp)
rules.add_perm("nominations.apply", rules.is_authenticated)
rules.add_perm("nominations.nominate_as_staff", is_program_staff)
rules.add_perm("nominations.view_queue", is_program_staff)
rules.add_perm("nominations.view_reviews", is_reviewer)
rules.add_perm(
    "nominations.view_nomination",
    rules.is_authenticated
    & (
        can_manage
        | is_nominator
        | is_candidate
        | is_endorser
        | (is_reviewer & is_assigned_reviewer)
    ),
)
rules.add_perm("nominations.manage_nomination", rules.is_authenticated & can_manage)
rules.add_perm("nominations.decide_nomination", rules.is_authenticated & can_manage & is_open)
rules.add_perm("nominations.withdraw_nomination", rules.is_authenticated & is_nominator & is_open)
rules.add_perm("nominations.complete_nomination", rules.is_authenticated & is_candidate & is_open)
rules.add_perm(
    "nominations.review_nomination",
    rules.is_authenticated & is_reviewer & is_assigned_reviewer & is_open,
)
