"""Award-derived predicates. Being an MVP is never a flag: it is an award in force today."""

import rules
from django.utils import timezone

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
