"""The candidate's part: accepting the invitation and completing the nomination (age and
employer, asked of :mod:`awards.eligibility`, the one place those rules live)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from awards.eligibility import known_ineligibility
from common.tokens import hash_token
from contributions.models import Contributor
from nominations.enums import NominationSource, NominationStatus
from nominations.models import (
    Invitation,
    Nomination,
)
from nominations.workflow.base import (
    NominationConflict,
    NominationError,
    moment_of,
    nomination_url,
    queue_nomination_email,
)
from notifications.services import notify

S = NominationStatus


@transaction.atomic
def accept_invitation(*, token: str, user: User, as_of: date) -> Nomination:
    """Use an invitation link: the signed-in person becomes the candidate. Single use."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("nomination")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise NominationError(_("This invitation link is not valid."))
    nomination = Nomination.objects.select_for_update().get(pk=invitation.nomination_id)
    if invitation.used_at is not None:
        if invitation.used_by_id == user.pk:
            return nomination
        raise NominationError(_("This invitation link has already been used."))
    if invitation.expires_at < moment_of(as_of):
        raise NominationError(_("This invitation link has expired."))
    if not nomination.is_open:
        raise NominationConflict(_("This nomination is closed."))
    if user.pk == nomination.nominated_by_id:
        raise NominationError(_("The nominator cannot accept this invitation."))
    contributor = Contributor.objects.get(user=user)
    if nomination.candidate_id and nomination.candidate_id != contributor.pk:
        raise NominationError(_("This invitation is for another person."))
    invitation.used_at = moment_of(as_of)
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    if nomination.candidate_id is None:
        nomination.candidate = contributor
        nomination.region = contributor.region
        nomination.save(update_fields=["candidate", "region"])
    return nomination


@transaction.atomic
def complete_nomination(
    *,
    nomination_id: int,
    user: User,
    date_of_birth: date,
    employer_category: str,
    as_of: date,
    employer_name: str = "",
) -> Nomination:
    """The candidate confirms age and employer and completes the nomination after reviewing
    their last 12 months. Ineligible answers are saved on the profile but the nomination
    stays incomplete (the error explains why). The nominator is told by email and in-app."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination_id)
    contributor = Contributor.objects.select_for_update().get(user=user)
    if nomination.candidate_id != contributor.pk:
        raise NominationError(_("Only the candidate can complete this nomination."))
    if not nomination.is_open:
        raise NominationConflict(_("This nomination is closed."))
    if nomination.candidate_completed_at is not None:
        raise NominationConflict(_("This nomination is already complete."))
    contributor.date_of_birth = date_of_birth
    contributor.employer_category = employer_category
    contributor.employer_name = (employer_name or "").strip()[:120]
    contributor.save(update_fields=["date_of_birth", "employer_category", "employer_name"])
    reasons = known_ineligibility(contributor=contributor, as_of=as_of)
    if reasons:
        raise NominationError(" ".join(reasons))
    nomination.candidate_completed_at = moment_of(as_of)
    nomination.region = contributor.region
    nomination.save(update_fields=["candidate_completed_at", "region"])
    if nomination.source != NominationSource.SELF:
        queue_nomination_email(
            to=nomination.nominated_by.email,
            template="completed_nominator",
            nomination=nomination,
            category="nomination_completed",
            dedupe_key=f"nomination:{nomination.pk}:completed:nominator",
        )
        notify(
            recipient=nomination.nominated_by,
            message=_("%(name)s completed your nomination.") % {"name": nomination.candidate_name},
            url=nomination_url(nomination),
        )
    return nomination
