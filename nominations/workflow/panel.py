"""The review panel: conflicts of interest, assigning reviewers (by hand or by load) and
submitting reviews."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, Trim
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import RoleGrant, User
from contributions.models import Contributor
from nominations.enums import NominationStatus, Recommendation
from nominations.models import (
    Nomination,
    Review,
    ReviewAssignment,
)
from nominations.workflow.base import (
    REVIEW_DAYS,
    NominationConflict,
    NominationError,
    moment_of,
    normalise_email,
)
from nominations.workflow.decisions import transition_nomination
from notifications.services import notify

S = NominationStatus


def conflict_of_interest(*, nomination: Nomination, reviewer: User) -> str | None:
    """Why ``reviewer`` may not review ``nomination``, or None."""
    if reviewer.pk == nomination.nominated_by_id:
        return _("They made this nomination.")
    if nomination.endorsements.filter(endorser_id=reviewer.pk).exists():
        return _("They endorsed this nomination.")
    if normalise_email(reviewer.email) == nomination.candidate_email or (
        nomination.candidate and nomination.candidate.user_id == reviewer.pk
    ):
        return _("They are the candidate.")
    if nomination.candidate:
        theirs = (nomination.candidate.employer_name or "").strip().lower()
        mine = (
            (
                Contributor.objects.filter(user_id=reviewer.pk)
                .values_list("employer_name", flat=True)
                .first()
                or ""
            )
            .strip()
            .lower()
        )
        if theirs and theirs == mine:
            return _("They work for the candidate's employer.")
    return None


def reviewers_without_conflict(nomination: Nomination):
    """Panel reviewers (annotated with their open assignments) who may review ``nomination``:
    the same rules as :func:`conflict_of_interest`, as one query."""
    qs = reviewers_by_load().exclude(pk=nomination.nominated_by_id)
    qs = qs.exclude(pk__in=nomination.endorsements.values("endorser_id"))
    qs = qs.exclude(email__iexact=nomination.candidate_email)
    if nomination.candidate:
        qs = qs.exclude(pk=nomination.candidate.user_id)
        employer = (nomination.candidate.employer_name or "").strip().lower()
        if employer:
            qs = qs.annotate(employer=Lower(Trim("contributor__employer_name"))).exclude(
                employer=employer
            )
    return qs


def _assign(
    *, nomination: Nomination, reviewer: User, actor: User, as_of: date
) -> ReviewAssignment:
    if Role.REVIEWER not in reviewer.roles:
        raise NominationError(_("Only panel reviewers can be assigned."), field="reviewer")
    why = conflict_of_interest(nomination=nomination, reviewer=reviewer)
    if why:
        raise NominationError(
            _("%(reviewer)s cannot review this nomination: %(why)s")
            % {"reviewer": reviewer.email, "why": why},
            field="reviewer",
        )
    assignment, created = ReviewAssignment.objects.get_or_create(
        nomination=nomination,
        reviewer=reviewer,
        defaults={
            "assigned_by": actor,
            "assigned_at": moment_of(as_of),
            "due_on": as_of + timedelta(days=REVIEW_DAYS),
        },
    )
    if created:
        notify(
            recipient=reviewer,
            message=_("Please review the nomination of %(name)s.")
            % {"name": nomination.candidate_name},
            url=reverse("nominations:review", args=[nomination.pk]),
        )
    return assignment


def _lock_open(nomination_id: int) -> Nomination:
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("candidate")
        .get(pk=nomination_id)
    )
    if not nomination.is_open:
        raise NominationConflict(_("This nomination is closed."))
    return nomination


def _start_review(*, nomination: Nomination, actor: User, as_of: date) -> None:
    if nomination.status == S.SUBMITTED:
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=S.IN_REVIEW,
            actor=actor,
            reason=_("Reviewers assigned"),
            as_of=as_of,
        )


@transaction.atomic
def assign_reviewer(
    *, nomination_id: int, reviewer: User, actor: User, as_of: date
) -> ReviewAssignment:
    """Put a panel member on a nomination (refused on a conflict of interest). The first
    assignment moves a submitted nomination into review."""
    nomination = _lock_open(nomination_id)
    assignment = _assign(nomination=nomination, reviewer=reviewer, actor=actor, as_of=as_of)
    _start_review(nomination=nomination, actor=actor, as_of=as_of)
    return assignment


def reviewers_by_load():
    """Active panel reviewers annotated with their open assignments (on open nominations)."""
    # The panel's ids first (a few hundred role rows), so the users are read by primary key:
    # joined to the role rows, PostgreSQL's default costs preferred scanning the whole user
    # table (36 ms at 100k users). The load is one row per reviewer, kept by triggers.
    panel = list(RoleGrant.objects.filter(role=Role.REVIEWER).values_list("user_id", flat=True))
    return User.objects.filter(pk__in=panel, is_active=True).annotate(
        open_assignments=Coalesce(F("reviewer_load__open_assignments"), Value(0))
    )


@transaction.atomic
def auto_assign_reviewers(
    *, nomination_id: int, actor: User, as_of: date, panel_size: int = 3
) -> list[ReviewAssignment]:
    """Fill the panel up to ``panel_size`` with the reviewers who have the fewest open
    assignments (ties: longest-standing account first), skipping conflicts of interest."""
    nomination = _lock_open(nomination_id)
    have = set(nomination.assignments.values_list("reviewer_id", flat=True))
    needed = panel_size - len(have)
    added = []
    if needed > 0:
        candidates = (
            reviewers_without_conflict(nomination)
            .exclude(pk__in=have)
            .order_by("open_assignments", "pk")[:needed]
        )
        for reviewer in candidates:
            added.append(
                _assign(nomination=nomination, reviewer=reviewer, actor=actor, as_of=as_of)
            )
    if added:
        _start_review(nomination=nomination, actor=actor, as_of=as_of)
    return added


@transaction.atomic
def submit_review(
    *,
    nomination_id: int,
    reviewer: User,
    expertise: int,
    quality: int,
    quantity: int,
    impact: int,
    recommendation: str,
    as_of: date,
    comment: str = "",
) -> Review:
    """An assigned panel member scores a nomination (1–5 each) once."""
    nomination = _lock_open(nomination_id)
    if not nomination.assignments.filter(reviewer_id=reviewer.pk).exists():
        raise NominationError(_("You are not assigned to review this nomination."))
    why = conflict_of_interest(nomination=nomination, reviewer=reviewer)
    if why:
        raise NominationError(why)
    scores = {"expertise": expertise, "quality": quality, "quantity": quantity, "impact": impact}
    for name, value in scores.items():
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise NominationError(_("Scores are whole numbers from 1 to 5."), field=name)
    if recommendation not in Recommendation.values:
        raise NominationError(_("Recommend award or decline."), field="recommendation")
    if Review.objects.filter(nomination=nomination, reviewer=reviewer).exists():
        raise NominationConflict(_("You have already reviewed this nomination."))
    return Review.objects.create(
        nomination=nomination,
        reviewer=reviewer,
        recommendation=recommendation,
        comment=(comment or "").strip(),
        created_at=moment_of(as_of),
        **scores,
    )
