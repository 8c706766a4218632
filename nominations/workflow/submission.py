"""Nominating someone (by an MVP, by staff or oneself), joining an open nomination as an
endorsement, and inviting the candidate by email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_program_staff
from awards.enums import AwardKind
from awards.models import Award, EligibilityPolicy
from awards.rules import is_mvp_on
from common.tokens import hash_token, new_token
from contributions.models import Contributor, TechnologyArea
from nominations.enums import COOLDOWN_STATUSES, NominationSource, NominationStatus
from nominations.models import (
    Endorsement,
    Invitation,
    Nomination,
    NominationEvent,
)
from nominations.webhook_data import nomination_data
from nominations.workflow.base import (
    INVITATION_DAYS,
    NominationError,
    clean_evidence_urls,
    decision_due_for,
    moment_of,
    nomination_url,
    normalise_email,
    queue_nomination_email,
)
from notifications.services import notify
from webhooks.services import emit

S = NominationStatus


@dataclass(frozen=True)
class NominationResult:
    """What :func:`create_nomination` did: a new nomination, or an endorsement of an open one."""

    nomination: Nomination
    endorsement: Endorsement | None = None
    invitation_token: str | None = None

    @property
    def merged(self) -> bool:
        return self.endorsement is not None


def _open_nomination(*, candidate_email: str, technology_area_id: int) -> Nomination | None:
    return (
        Nomination.objects.select_for_update()
        .filter(candidate_email=candidate_email, technology_area_id=technology_area_id)
        .open()
        .first()
    )


def _check_cooldown(*, candidate_email: str, technology_area_id: int, as_of: date) -> None:
    days = EligibilityPolicy.current().nomination_cooldown_days
    if not days:
        return
    last = (
        Nomination.objects.filter(
            candidate_email=candidate_email,
            technology_area_id=technology_area_id,
            status__in=COOLDOWN_STATUSES,
            decided_at__gt=moment_of(as_of) - timedelta(days=days),
        )
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    if last is not None:
        again = timezone.localdate(last) + timedelta(days=days)
        raise NominationError(
            _(
                "This person's last nomination in this category was not successful; they can "
                "be nominated again from %(date)s."
            )
            % {"date": again.isoformat()},
            field="candidate_email",
        )


def _new_token() -> tuple[str, str]:
    token = new_token()
    return token, hash_token(token)


def _invite(*, nomination: Nomination, as_of: date) -> str:
    """Write an invitation (hash only) and email the link. Returns the raw token."""
    token, token_hash = _new_token()
    Invitation.objects.create(
        nomination=nomination,
        email=nomination.candidate_email,
        token_hash=token_hash,
        expires_at=moment_of(as_of) + timedelta(days=INVITATION_DAYS),
    )
    queue_nomination_email(
        to=nomination.candidate_email,
        template="invitation",
        nomination=nomination,
        extra={
            "path": reverse("nominations:invitation", args=[token]),
            "days": INVITATION_DAYS,
            "has_account": nomination.candidate_id is not None,
            "site_url": getattr(settings, "SITE_URL", ""),
        },
        category="nomination_invitation",
        dedupe_key=f"nomination:{nomination.pk}:invitation:{token_hash[:16]}",
    )
    return token


@transaction.atomic
def create_nomination(
    *,
    nominated_by: User,
    source: str,
    technology_area: TechnologyArea,
    reason: str,
    as_of: date,
    candidate: Contributor | None = None,
    candidate_email: str = "",
    candidate_name: str = "",
    evidence_urls: list[str] | None = None,
) -> NominationResult:
    """Nominate a candidate (an existing contributor, or name + email) in an award category.

    - ``mvp``: the nominator must be an MVP on ``as_of`` and may not name themself;
      ``self``: the nominator is the candidate; ``staff``: program staff only.
    - If the candidate already has an open nomination in the category, this becomes an
      endorsement of it (each nominator's reason kept); the partial unique constraint makes
      that safe when two people submit at once.
    - A candidate whose last nomination in the category was declined or expired waits out the
      policy's cooldown; a candidate who holds the award now cannot be nominated for it.
    - A candidate who has not completed the nomination gets an invitation link by email.
    """
    reason = (reason or "").strip()
    if not reason:
        raise NominationError(_("Say why this person should be recognised."), field="reason")
    urls = clean_evidence_urls(evidence_urls)
    if technology_area.parent_id is not None or not technology_area.is_active:
        raise NominationError(
            _("Choose an award category, not a sub-area."), field="technology_area"
        )
    if source == NominationSource.MVP and not is_mvp_on(nominated_by, as_of):
        raise NominationError(_("Only active MVPs can nominate others."))
    if source == NominationSource.STAFF and not is_program_staff(nominated_by):
        raise NominationError(_("Only program staff can nominate directly."))
    if source not in NominationSource.values:
        raise NominationError(_("Unknown nomination source."))
    if source == NominationSource.SELF:
        candidate = Contributor.objects.select_related("user").get(user=nominated_by)

    if candidate is None:
        candidate_email = normalise_email(candidate_email)
        if not candidate_email:
            raise NominationError(
                _("Enter the candidate's email address."), field="candidate_email"
            )
        user = User.objects.filter(email__iexact=candidate_email).first()
        if user is not None:
            candidate = Contributor.objects.filter(user=user).first()
    if candidate is not None:
        candidate_email = normalise_email(candidate.user.email)
        candidate_name = candidate.display_name or candidate_name
    candidate_name = (candidate_name or "").strip()[:100] or candidate_email.split("@")[0]

    if source != NominationSource.SELF and candidate_email == normalise_email(nominated_by.email):
        raise NominationError(
            _("You cannot nominate yourself here; use the self-application form."),
            field="candidate_email",
        )
    if candidate is not None and (
        Award.objects.active_on(as_of)
        .filter(contributor=candidate, kind=AwardKind.MVP, technology_area=technology_area)
        .exists()
    ):
        raise NominationError(
            _("This person is already an MVP in this award category."), field="candidate_email"
        )

    existing = _open_nomination(
        candidate_email=candidate_email, technology_area_id=technology_area.pk
    )
    if existing is None:
        if source != NominationSource.STAFF:
            _check_cooldown(
                candidate_email=candidate_email,
                technology_area_id=technology_area.pk,
                as_of=as_of,
            )
        moment = moment_of(as_of)
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    candidate=candidate,
                    candidate_email=candidate_email,
                    candidate_name=candidate_name,
                    technology_area=technology_area,
                    source=source,
                    nominated_by=nominated_by,
                    reason=reason,
                    evidence_urls=urls,
                    region=candidate.region if candidate else "",
                    submitted_at=moment,
                    decision_due=decision_due_for(as_of),
                    candidate_completed_at=None,
                )
        except IntegrityError:
            # Someone else's nomination of this person won the race: join it instead.
            existing = _open_nomination(
                candidate_email=candidate_email, technology_area_id=technology_area.pk
            )
            if existing is None:
                raise
        else:
            NominationEvent.objects.create(
                nomination=nomination,
                from_status="",
                to_status=S.SUBMITTED,
                actor=nominated_by,
                reason=_("Submitted"),
                as_of=as_of,
                created_at=moment,
            )
            emit("nomination.submitted", nomination_data(nomination), occurred_at=moment)
            token = None
            if source != NominationSource.SELF:
                token = _invite(nomination=nomination, as_of=as_of)
                queue_nomination_email(
                    to=nominated_by.email,
                    template="submitted_nominator",
                    nomination=nomination,
                    category="nomination_submitted",
                    dedupe_key=f"nomination:{nomination.pk}:submitted:nominator",
                )
            return NominationResult(nomination=nomination, invitation_token=token)
    endorsement = _endorse(
        nomination=existing, endorser=nominated_by, source=source, reason=reason, urls=urls
    )
    return NominationResult(nomination=existing, endorsement=endorsement)


def _endorse(*, nomination: Nomination, endorser: User, source: str, reason: str, urls: list[str]):
    if (
        endorser.pk == nomination.nominated_by_id
        or nomination.endorsements.filter(endorser=endorser).exists()
    ):
        raise NominationError(
            _("You have already nominated this person in this award category."),
            field="candidate_email",
        )
    if nomination.candidate and nomination.candidate.user_id == endorser.pk:
        raise NominationError(_("You cannot endorse your own nomination."))
    endorsement = Endorsement.objects.create(
        nomination=nomination, endorser=endorser, source=source, reason=reason, evidence_urls=urls
    )
    notify(
        recipient=nomination.nominated_by,
        message=_("%(name)s's nomination received another endorsement.")
        % {"name": nomination.candidate_name},
        url=nomination_url(nomination),
    )
    return endorsement
