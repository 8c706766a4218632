"""The only moves a nomination can make: one table, read by every state change
(:func:`nominations.workflow.decisions.transition_nomination`, the expiry job). Anything
else is refused and changes nothing."""

from nominations.enums import NominationStatus

S = NominationStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.AWARDED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.AWARDED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.AWARDED: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


CLOSING = frozenset({S.AWARDED, S.DECLINED, S.EXPIRED, S.WITHDRAWN})
