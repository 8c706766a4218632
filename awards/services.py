"""The single, audited entry points that change awards: grant, renew, revoke."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AwardEventKind, AwardKind, AwardStatus
from awards.models import Award, AwardEvent
from contributions.models import Contributor, TechnologyArea
from mvptracker.notifications.services import notify, queue_email

MCC_TERM_DAYS = 90


class AwardError(ValueError):
    """The request makes no sense for this award (wrong kind, area, state)."""


class AwardConflict(AwardError):
    """The change would overlap an active term, or the award is no longer in that state."""


def term_end(*, kind: str, starts_on: date) -> date:
    """The last day of a term: one year for MVP, 90 days for MCC (both counting the start)."""
    if kind == AwardKind.MVP:
        # Anchored on the day before the start so a term from 29 February ends on 28 February.
        return starts_on - timedelta(days=1) + relativedelta(years=1)
    return starts_on + timedelta(days=MCC_TERM_DAYS - 1)


def _overlapping(*, contributor_id: int, kind: str, area_id: int | None, starts_on, ends_on):
    return Award.objects.filter(
        contributor_id=contributor_id,
        kind=kind,
        technology_area_id=area_id,
        status=AwardStatus.ACTIVE,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )


def _welcome(award: Award) -> None:
    user = award.contributor.user
    context = {"award": award, "contributor": award.contributor}
    queue_email(
        to=user.email,
        subject=render_to_string("awards/email/welcome_subject.txt", context).strip(),
        body=render_to_string("awards/email/welcome.txt", context),
        category="award_welcome",
        dedupe_key=f"award:{award.pk}:welcome",
    )
    notify(
        recipient=user,
        message=_("You received the %(award)s award.") % {"award": award},
        url=f"/awards/{award.pk}/certificate/",
    )


@transaction.atomic
def grant_award(
    *,
    contributor: Contributor,
    kind: str,
    starts_on: date,
    actor,
    technology_area: TechnologyArea | None = None,
    reason: str = "",
    renewed_from: Award | None = None,
) -> Award:
    """Grant an MVP term (award category required) or an MCC status (no area).

    The person's row is locked so two grants for them run one after the other; the database
    constraint is the final word on overlap. Welcome email and notification are written in the
    same transaction and sent after commit.
    """
    if kind not in AwardKind.values:
        raise AwardError(_("Unknown award kind."))
    if kind == AwardKind.MVP and technology_area is None:
        raise AwardError(_("An MVP award needs a technology area."))
    if kind == AwardKind.MVP and technology_area.parent_id is not None:
        raise AwardError(_("MVP awards are given in an award category, not a sub-area."))
    if kind == AwardKind.MCC and technology_area is not None:
        raise AwardError(_("An MCC status has no technology area."))
    Contributor.objects.select_for_update().filter(pk=contributor.pk).first()
    ends_on = term_end(kind=kind, starts_on=starts_on)
    area_id = technology_area.pk if technology_area else None
    if _overlapping(
        contributor_id=contributor.pk,
        kind=kind,
        area_id=area_id,
        starts_on=starts_on,
        ends_on=ends_on,
    ).exists():
        raise AwardConflict(
            _(
                "This person already holds an active award of this kind and area "
                "for part of that term."
            )
        )
    try:
        with transaction.atomic():
            award = Award.objects.create(
                contributor=contributor,
                kind=kind,
                technology_area=technology_area,
                starts_on=starts_on,
                ends_on=ends_on,
                granted_by=actor,
                renewed_from=renewed_from,
            )
    except IntegrityError as exc:
        raise AwardConflict(
            _(
                "This person already holds an active award of this kind and "
                "area for part of that term."
            )
        ) from exc
    AwardEvent.objects.create(
        award=award,
        kind=AwardEventKind.GRANTED,
        actor=actor,
        reason=reason[:500],
        as_of=starts_on,
    )
    _welcome(award)
    return award


@transaction.atomic
def revoke_award(*, award_id: int, actor, reason: str) -> Award:
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(_("A revocation needs a reason."))
    award = Award.objects.select_for_update().get(pk=award_id)
    if award.status != AwardStatus.ACTIVE:
        raise AwardConflict(_("Only an active award can be revoked."))
    award.status = AwardStatus.REVOKED
    award.revoked_by = actor
    award.revoked_reason = reason[:500]
    award.ended_at = timezone.now()
    award.save(update_fields=["status", "revoked_by", "revoked_reason", "ended_at"])
    AwardEvent.objects.create(
        award=award, kind=AwardEventKind.REVOKED, actor=actor, reason=reason[:500]
    )
    notify(
        recipient=award.contributor.user,
        message=_("Your %(award)s award was revoked.") % {"award": award},
    )
    return award


@transaction.atomic
def renew_award(*, award_id: int, actor, reason: str = "") -> Award:
    """A new MVP term that starts the day after the current one ends."""
    award = Award.objects.select_for_update().get(pk=award_id)
    if award.kind != AwardKind.MVP:
        raise AwardError(_("Only MVP awards are renewed."))
    if award.status == AwardStatus.REVOKED:
        raise AwardConflict(_("A revoked award cannot be renewed."))
    if Award.objects.filter(renewed_from=award).exists():
        raise AwardConflict(_("This award has already been renewed."))
    new_award = grant_award(
        contributor=award.contributor,
        kind=award.kind,
        technology_area=award.technology_area,
        starts_on=award.ends_on + timedelta(days=1),
        actor=actor,
        reason=reason,
        renewed_from=award,
    )
    AwardEvent.objects.create(
        award=award, kind=AwardEventKind.RENEWED, actor=actor, reason=reason[:500]
    )
    return new_award
