"""The single, audited entry points that change awards: grant, renew, revoke."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AwardEventKind, AwardKind, AwardStatus, RenewalReviewStatus
from awards.models import Award, AwardEvent, EligibilityPolicy, RenewalReview
from awards.notices import award_email, certificate_url, eligibility_url, holders, labeller
from awards.webhook_data import award_data
from contributions.models import Contributor, TechnologyArea
from notifications.services import Templated, notify, queue_emails, ref
from webhooks.services import emit

if TYPE_CHECKING:
    from accounts.models import User

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
    """The welcome email (rendered at delivery, like every award email) and its in-app line."""
    user = award.contributor.user
    queue_emails(
        [
            Templated(
                to=user.email,
                template="awards/email/welcome",
                context={
                    "award": ref("awards.award", award.pk),
                    "contributor": ref("contributions.contributor", award.contributor_id),
                },
                category="award_welcome",
                dedupe_key=f"award:{award.pk}:welcome",
                recipient_id=user.pk,
                message=_("You received the %(award)s award.") % {"award": award},
                url=certificate_url(award.pk),
            )
        ]
    )


@transaction.atomic
def grant_award(
    *,
    contributor: Contributor,
    kind: str,
    starts_on: date,
    actor: "User | None",
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
    if kind == AwardKind.MVP and technology_area and technology_area.parent_id is not None:
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
    emit("award.granted", award_data(award), occurred_at=timezone.now())
    return award


@transaction.atomic
def revoke_award(*, award_id: int, actor: "User | None", reason: str) -> Award:
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
    emit("award.revoked", award_data(award), occurred_at=award.ended_at)
    notify(
        recipient=award.contributor.user,
        message=_("Your %(award)s award was revoked.") % {"award": award},
    )
    return award


@transaction.atomic
def renew_award(*, award_id: int, actor: "User | None", reason: str = "") -> Award:
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
    emit("award.renewed", award_data(new_award, renewed_from_id=award.pk))
    return new_award


@transaction.atomic
def change_policy(*, actor: "User", note: str, **thresholds) -> EligibilityPolicy:
    """Save a new policy version (rows are never edited): who, when, why and every value."""
    note = (note or "").strip()
    if not note:
        raise AwardError(_("Say why the policy changes."))
    unknown = set(thresholds) - set(EligibilityPolicy.THRESHOLD_FIELDS)
    if unknown:
        raise AwardError(f"Unknown policy fields: {sorted(unknown)}")
    current = EligibilityPolicy.current()
    values = {name: getattr(current, name) for name in EligibilityPolicy.THRESHOLD_FIELDS}
    values.update(thresholds)
    policy = EligibilityPolicy(created_by=actor, note=note[:500], **values)
    policy.full_clean()
    policy.save()
    return policy


@dataclass(frozen=True)
class BulkGrantResult:
    granted: tuple[Award, ...]
    skipped: tuple[tuple[int, str], ...]  # (contributor id, why)


def grant_mcc_to_many(
    *, contributor_ids, starts_on: date, actor: "User", reason: str = ""
) -> BulkGrantResult:
    """Grant an MCC to each person, each in its own transaction through :func:`grant_award`,
    so one conflict skips that person and not the others."""
    granted, skipped = [], []
    people = Contributor.objects.in_bulk(list(contributor_ids))
    for contributor_id in contributor_ids:
        contributor = people.get(contributor_id)
        if contributor is None:
            skipped.append((contributor_id, _("Unknown contributor.")))
            continue
        try:
            granted.append(
                grant_award(
                    contributor=contributor,
                    kind=AwardKind.MCC,
                    starts_on=starts_on,
                    actor=actor,
                    reason=reason,
                )
            )
        except AwardError as exc:
            skipped.append((contributor_id, str(exc)))
    return BulkGrantResult(granted=tuple(granted), skipped=tuple(skipped))


@transaction.atomic(savepoint=False)
def open_renewal_reviews(
    *, awards: QuerySet[Award], as_of: date, policy: EligibilityPolicy | None = None
) -> int:
    """Open the renewal review of every term in ``awards`` that has none yet and ask its
    holder to bring the log up to date by ``as_of`` + ``renewal_update_days`` (never past the
    term's end). The daily job passes the terms due (:func:`awards.jobs.open_due_renewal_reviews`),
    staff any term. Returns how many holders were told.

    Set-based (one read, one insert of reviews, one of emails with their notifications); the
    unique review per award is the final word on a concurrent run, and the email's dedupe
    key gates the email and the notification, so nobody is told twice."""
    policy = policy or EligibilityPolicy.current()
    rows = holders(awards.filter(renewal_review__isnull=True))
    if not rows:
        return 0
    update_days = timedelta(days=policy.renewal_update_days)
    update_by = {row.pk: min(as_of + update_days, row.ends_on) for row in rows}
    RenewalReview.objects.bulk_create(
        [
            RenewalReview(award_id=pk, opened_on=as_of, update_by=day)
            for pk, day in update_by.items()
        ],
        ignore_conflicts=True,
    )
    text = _("Your %(award)s term is up for renewal: bring your log up to date by %(day)s.")
    label = labeller()
    url = eligibility_url()
    queued = queue_emails(
        award_email(
            row,
            template="renewal_opened",
            key=f"award:{row.pk}:renewal_opened",
            message=text % {"award": label(row), "day": update_by[row.pk].isoformat()},
            url=url,
            review=ref("awards.renewalreview", award_id=row.pk),
        )
        for row in rows
    )
    return len(queued)


@transaction.atomic
def decide_renewal(
    *, review_id: int, actor: "User", renew: bool, reason: str = ""
) -> RenewalReview:
    """Renew (a new term from the day after the current one ends) or not (the award runs out
    and the person becomes alumni when it expires). Both are audited on the award."""
    review = RenewalReview.objects.select_for_update().select_related("award").get(pk=review_id)
    if review.status != RenewalReviewStatus.OPEN:
        raise AwardConflict(_("This renewal review has already been decided."))
    reason = (reason or "").strip()
    if renew:
        review.new_award = renew_award(award_id=review.award_id, actor=actor, reason=reason)
        review.status = RenewalReviewStatus.RENEWED
    else:
        if not reason:
            raise AwardError(_("Say why the award is not renewed."))
        AwardEvent.objects.create(
            award=review.award, kind=AwardEventKind.NOT_RENEWED, actor=actor, reason=reason[:500]
        )
        review.status = RenewalReviewStatus.NOT_RENEWED
        notify(
            recipient=review.award.contributor.user,
            message=_("Your %(award)s award will not be renewed; it ends on %(day)s.")
            % {"award": review.award, "day": review.award.ends_on.isoformat()},
        )
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.decision_reason = reason[:500]
    review.save(
        update_fields=["status", "new_award", "decided_by", "decided_at", "decision_reason"]
    )
    return review
