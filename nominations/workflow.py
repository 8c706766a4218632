"""Every write on nominations: create (or endorse), invite and complete, assign and review,
and the one locked, audited state change :func:`transition_nomination`.

All functions are keyword-only, take ``as_of`` (the caller reads the clock) and write emails
to the outbox inside the transaction, so they go out only if it commits.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, Trim
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.rules import is_program_staff
from awards.enums import AwardKind
from awards.models import Award, EligibilityPolicy
from awards.rules import is_mvp_on
from awards.services import AwardError, grant_award
from common.bulk import insert_rows
from contributions.enums import INELIGIBLE_EMPLOYER_CATEGORIES
from contributions.models import Contributor, TechnologyArea
from nominations.enums import (
    COOLDOWN_STATUSES,
    NominationSource,
    NominationStatus,
    Recommendation,
)
from nominations.models import (
    Endorsement,
    Invitation,
    Nomination,
    NominationEvent,
    Review,
    ReviewAssignment,
)
from nominations.webhook_data import nomination_data
from notifications.services import Templated, notify, queue_email, queue_emails, ref
from webhooks.services import emit

S = NominationStatus
DECISION_MONTHS = 3
INVITATION_DAYS = 30
REVIEW_DAYS = 14
MAX_EVIDENCE_URLS = 10

# The only moves a nomination can make. Anything else is refused and changes nothing.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.AWARDED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.AWARDED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.AWARDED: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Moves that close a nomination record who closed it and when.
CLOSING = frozenset({S.AWARDED, S.DECLINED, S.EXPIRED, S.WITHDRAWN})


class NominationError(ValueError):
    """The request breaks a nomination rule. ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NominationConflict(NominationError):
    """The nomination is no longer in a state that allows this (e.g. already decided)."""


@dataclass(frozen=True)
class NominationResult:
    """What :func:`create_nomination` did: a new nomination, or an endorsement of an open one."""

    nomination: Nomination
    endorsement: Endorsement | None = None
    invitation_token: str | None = None

    @property
    def merged(self) -> bool:
        return self.endorsement is not None


def decision_due_for(submitted_on: date) -> date:
    """Three calendar months after submission (clamped at month ends)."""
    return submitted_on + relativedelta(months=DECISION_MONTHS)


def _moment(as_of: date) -> datetime:
    """The time stamp for a change made as of ``as_of``: now, unless as_of is another day."""
    now = timezone.now()
    if timezone.localdate(now) == as_of:
        return now
    return timezone.make_aware(datetime.combine(as_of, time(12)))


def clean_evidence_urls(urls) -> list[str]:
    cleaned = []
    for url in urls or []:
        url = (url or "").strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise NominationError(
                _("Evidence links must be http or https addresses."), field="evidence_urls"
            )
        if url not in cleaned:
            cleaned.append(url[:500])
    if len(cleaned) > MAX_EVIDENCE_URLS:
        raise NominationError(
            _("At most %(n)d evidence links.") % {"n": MAX_EVIDENCE_URLS}, field="evidence_urls"
        )
    return cleaned


def age_on(date_of_birth: date, day: date) -> int:
    return relativedelta(day, date_of_birth).years


def ineligibility_reasons(*, contributor: Contributor, as_of: date) -> list[str]:
    """Why this person cannot hold an award (age, employer); empty if nothing is known
    against them. Shown to the candidate instead of failing later."""
    policy = EligibilityPolicy.current()
    reasons = []
    if contributor.date_of_birth and age_on(contributor.date_of_birth, as_of) < policy.min_age:
        reasons.append(
            _(
                "You must be at least %(age)d years old. Students under 18 can join the "
                "Microsoft Learn Student Ambassadors program instead."
            )
            % {"age": policy.min_age}
        )
    if contributor.employer_category in INELIGIBLE_EMPLOYER_CATEGORIES:
        reasons.append(
            _(
                "Employees of Microsoft, Microsoft contingent staff and government or "
                "state-owned employees cannot receive the award."
            )
        )
    return reasons


# --- notifications -------------------------------------------------------------------------


def _email(*, to: str, template: str, context: dict, category: str, dedupe_key: str) -> None:
    if not to:
        return
    queue_email(
        to=to,
        subject=render_to_string(f"nominations/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"nominations/email/{template}.txt", context),
        category=category,
        dedupe_key=dedupe_key,
    )


def _nomination_url(nomination: Nomination) -> str:
    return reverse("nominations:detail", args=[nomination.pk])


def _candidate_email(nomination: Nomination) -> str:
    if nomination.candidate_id:
        return nomination.candidate.user.email
    return nomination.candidate_email


def _outcome_recipients(
    *, status: str, source: str, nominator_email: str, candidate_email: str
) -> list[tuple[str, str]]:
    """(role, address) of everyone told how a nomination ended with ``status`` (awarding
    sends its own welcome to the candidate through grant_award; a withdrawal tells no one)."""
    if status == S.WITHDRAWN:
        return []
    if source == NominationSource.SELF:
        return [("candidate", candidate_email)]
    recipients = [("nominator", nominator_email)]
    if status != S.AWARDED:
        recipients.append(("candidate", candidate_email))
    return recipients


def _outcome_message(*, candidate_name: str, status_label: str) -> str:
    return _("Your nomination of %(name)s: %(status)s.") % {
        "name": candidate_name,
        "status": status_label,
    }


def _tell_outcome(nomination: Nomination) -> None:
    """Tell nominator and candidate how the nomination ended."""
    context = {"nomination": nomination}
    status = nomination.status
    recipients = _outcome_recipients(
        status=status,
        source=nomination.source,
        nominator_email=nomination.nominated_by.email,
        candidate_email=_candidate_email(nomination),
    )
    for role, address in recipients:
        _email(
            to=address,
            template=f"{status}_{role}",
            context=context,
            category=f"nomination_{status}",
            dedupe_key=f"nomination:{nomination.pk}:{status}:{role}",
        )
    if recipients and nomination.source != NominationSource.SELF:
        notify(
            recipient=nomination.nominated_by,
            message=_outcome_message(
                candidate_name=nomination.candidate_name,
                status_label=nomination.get_status_display(),
            ),
            url=_nomination_url(nomination),
        )


# --- creating and endorsing ----------------------------------------------------------------


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


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
            decided_at__gt=_moment(as_of) - timedelta(days=days),
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
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invite(*, nomination: Nomination, as_of: date) -> str:
    """Write an invitation (hash only) and email the link. Returns the raw token."""
    token, token_hash = _new_token()
    Invitation.objects.create(
        nomination=nomination,
        email=nomination.candidate_email,
        token_hash=token_hash,
        expires_at=_moment(as_of) + timedelta(days=INVITATION_DAYS),
    )
    _email(
        to=nomination.candidate_email,
        template="invitation",
        context={
            "nomination": nomination,
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
    nominated_by,
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
        candidate_email = _normalise_email(candidate_email)
        if not candidate_email:
            raise NominationError(
                _("Enter the candidate's email address."), field="candidate_email"
            )
        User = get_user_model()
        user = User.objects.filter(email__iexact=candidate_email).first()
        if user is not None:
            candidate = Contributor.objects.filter(user=user).first()
    if candidate is not None:
        candidate_email = _normalise_email(candidate.user.email)
        candidate_name = candidate.display_name or candidate_name
    candidate_name = (candidate_name or "").strip()[:100] or candidate_email.split("@")[0]

    if source != NominationSource.SELF and candidate_email == _normalise_email(nominated_by.email):
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
        moment = _moment(as_of)
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
                _email(
                    to=nominated_by.email,
                    template="submitted_nominator",
                    context={"nomination": nomination},
                    category="nomination_submitted",
                    dedupe_key=f"nomination:{nomination.pk}:submitted:nominator",
                )
            return NominationResult(nomination=nomination, invitation_token=token)
    endorsement = _endorse(
        nomination=existing, endorser=nominated_by, source=source, reason=reason, urls=urls
    )
    return NominationResult(nomination=existing, endorsement=endorsement)


def _endorse(*, nomination: Nomination, endorser, source: str, reason: str, urls: list[str]):
    if (
        endorser.pk == nomination.nominated_by_id
        or nomination.endorsements.filter(endorser=endorser).exists()
    ):
        raise NominationError(
            _("You have already nominated this person in this award category."),
            field="candidate_email",
        )
    if nomination.candidate_id and nomination.candidate.user_id == endorser.pk:
        raise NominationError(_("You cannot endorse your own nomination."))
    endorsement = Endorsement.objects.create(
        nomination=nomination, endorser=endorser, source=source, reason=reason, evidence_urls=urls
    )
    notify(
        recipient=nomination.nominated_by,
        message=_("%(name)s's nomination received another endorsement.")
        % {"name": nomination.candidate_name},
        url=_nomination_url(nomination),
    )
    return endorsement


@transaction.atomic
def endorse_nomination(
    *, nomination_id: int, endorser, reason: str, as_of: date, evidence_urls=None
) -> Endorsement:
    """Support an open nomination. MVPs and program staff may endorse."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination_id)
    if not nomination.is_open:
        raise NominationConflict(_("This nomination is closed."))
    if not (is_mvp_on(endorser, as_of) or is_program_staff(endorser)):
        raise NominationError(_("Only active MVPs can endorse a nomination."))
    reason = (reason or "").strip()
    if not reason:
        raise NominationError(_("Say why this person should be recognised."), field="reason")
    source = NominationSource.STAFF if is_program_staff(endorser) else NominationSource.MVP
    return _endorse(
        nomination=nomination,
        endorser=endorser,
        source=source,
        reason=reason,
        urls=clean_evidence_urls(evidence_urls),
    )


# --- the candidate's part ------------------------------------------------------------------


@transaction.atomic
def accept_invitation(*, token: str, user, as_of: date) -> Nomination:
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
    if invitation.expires_at < _moment(as_of):
        raise NominationError(_("This invitation link has expired."))
    if not nomination.is_open:
        raise NominationConflict(_("This nomination is closed."))
    if user.pk == nomination.nominated_by_id:
        raise NominationError(_("The nominator cannot accept this invitation."))
    contributor = Contributor.objects.get(user=user)
    if nomination.candidate_id and nomination.candidate_id != contributor.pk:
        raise NominationError(_("This invitation is for another person."))
    invitation.used_at = _moment(as_of)
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
    user,
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
    reasons = ineligibility_reasons(contributor=contributor, as_of=as_of)
    if reasons:
        raise NominationError(" ".join(reasons))
    nomination.candidate_completed_at = _moment(as_of)
    nomination.region = contributor.region
    nomination.save(update_fields=["candidate_completed_at", "region"])
    if nomination.source != NominationSource.SELF:
        _email(
            to=nomination.nominated_by.email,
            template="completed_nominator",
            context={"nomination": nomination},
            category="nomination_completed",
            dedupe_key=f"nomination:{nomination.pk}:completed:nominator",
        )
        notify(
            recipient=nomination.nominated_by,
            message=_("%(name)s completed your nomination.") % {"name": nomination.candidate_name},
            url=_nomination_url(nomination),
        )
    return nomination


# --- state changes -------------------------------------------------------------------------


@transaction.atomic
def transition_nomination(
    *, nomination_id: int, to_status: str, actor, reason: str = "", as_of: date
) -> Nomination:
    """The one way a nomination changes state.

    Locks the row, checks the move against :data:`TRANSITIONS` (a refused move raises
    :class:`NominationConflict` and changes nothing), saves with ``update_fields`` and writes
    a :class:`NominationEvent`. Awarding grants the MVP award in the same transaction and
    links it. Two staff deciding at once: the second waits for the lock, then finds the
    nomination decided and gets the conflict.
    """
    nomination = (
        Nomination.objects.select_for_update().select_related("nominated_by").get(pk=nomination_id)
    )
    from_status = nomination.status
    if to_status not in TRANSITIONS.get(from_status, ()):
        raise NominationConflict(
            _("This nomination is %(status)s; it cannot become %(to)s.")
            % {
                "status": nomination.get_status_display().lower(),
                "to": str(dict(S.choices).get(to_status, to_status)).lower(),
            }
        )
    reason = (reason or "").strip()
    if to_status in (S.AWARDED, S.DECLINED) and not reason:
        raise NominationError(_("A decision needs a reason."), field="reason")
    fields = ["status"]
    if to_status == S.AWARDED:
        if nomination.candidate_id is None:
            raise NominationError(
                _("The candidate has not accepted the invitation yet, so there is no one to award.")
            )
        try:
            nomination.award = grant_award(
                contributor=nomination.candidate,
                kind=AwardKind.MVP,
                technology_area=nomination.technology_area,
                starts_on=as_of,
                actor=actor,
                reason=reason,
            )
        except AwardError as exc:
            raise NominationError(str(exc)) from exc
        fields.append("award")
    moment = _moment(as_of)
    nomination.status = to_status
    if to_status in CLOSING:
        nomination.decided_at = moment
        nomination.decided_by = actor
        nomination.decision_reason = reason[:1000]
        fields += ["decided_at", "decided_by", "decision_reason"]
    nomination.save(update_fields=fields)
    NominationEvent.objects.create(
        nomination=nomination,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason[:1000],
        as_of=as_of,
        created_at=moment,
    )
    if to_status in (S.AWARDED, S.DECLINED):
        emit("nomination.decided", nomination_data(nomination), occurred_at=moment)
    if to_status in CLOSING:
        _tell_outcome(nomination)
    return nomination


def withdraw_nomination(*, nomination_id: int, actor, reason: str = "", as_of: date):
    """The nominator takes their nomination back before a decision."""
    nominated_by_id = (
        Nomination.objects.filter(pk=nomination_id).values_list("nominated_by_id", flat=True).get()
    )
    if nominated_by_id != actor.pk:
        raise NominationError(_("Only the nominator can withdraw a nomination."))
    return transition_nomination(
        nomination_id=nomination_id,
        to_status=S.WITHDRAWN,
        actor=actor,
        reason=reason or _("Withdrawn by the nominator"),
        as_of=as_of,
    )


def decide_nominations(*, nomination_ids, to_status: str, actor, reason: str, as_of: date):
    """Bulk decision: each nomination through :func:`transition_nomination` in its own
    transaction. Returns ``(decided, refused)`` where refused maps id → message."""
    decided, refused = [], {}
    for nomination_id in nomination_ids:
        try:
            decided.append(
                transition_nomination(
                    nomination_id=nomination_id,
                    to_status=to_status,
                    actor=actor,
                    reason=reason,
                    as_of=as_of,
                )
            )
        except NominationError as exc:
            refused[nomination_id] = exc.message
    return decided, refused


EXPIRE_NOMINATIONS_SQL = """
    UPDATE nominations_nomination
    SET status = %s, decided_at = %s, decided_by_id = NULL, decision_reason = %s
    WHERE status = %s AND decision_due < %s
    RETURNING id
"""


@transaction.atomic(savepoint=False)  # all or nothing; no savepoint needed inside a caller's
def expire_overdue_nominations(*, as_of: date) -> int:
    """Close every open nomination whose decision was due before ``as_of`` as expired
    (not successful) and tell nominator and candidate. State-driven: a second run finds
    nothing; a late run catches up.

    The set-based form of :func:`transition_nomination` to EXPIRED, with the same effects:
    for each status the transition table lets expire, one ``UPDATE ... RETURNING id`` (the
    row locks make a concurrent decision wait or win; a decided row no longer matches), then
    one bulk insert of the audit events, one of the emails (rendered at delivery, dedupe key
    per recipient) and one of the nominators' notifications."""
    moment = _moment(as_of)
    reason = _("No decision within three months")[:1000]
    expired: list[tuple[int, str]] = []
    with connection.cursor() as cursor:
        for from_status, targets in TRANSITIONS.items():
            if S.EXPIRED not in targets:
                continue
            cursor.execute(EXPIRE_NOMINATIONS_SQL, [S.EXPIRED, moment, reason, from_status, as_of])
            expired += [(pk, from_status) for (pk,) in cursor.fetchall()]
    if not expired:
        return 0
    expired.sort()
    insert_rows(
        NominationEvent,
        ("nomination_id", "from_status"),
        expired,
        same={
            "to_status": S.EXPIRED,
            "actor_id": None,
            "reason": reason,
            "as_of": as_of,
            "created_at": moment,
        },
    )
    rows = (
        Nomination.objects.filter(pk__in=[pk for pk, _from in expired])
        .order_by("pk")
        .values_list(
            "pk",
            "source",
            "nominated_by_id",
            "nominated_by__email",
            "candidate__user__email",
            "candidate_email",
            "candidate_name",
        )
    )
    emails = []
    detail_url = reverse("nominations:detail", args=[0]).replace("/0/", "/{}/")
    expired_label = str(S.EXPIRED.label)  # translated once, not per row
    for pk, source, nominator_id, nominator_email, user_email, candidate_email, name in rows:
        recipients = _outcome_recipients(
            status=S.EXPIRED,
            source=source,
            nominator_email=nominator_email,
            candidate_email=user_email or candidate_email,
        )
        for role, address in recipients:
            tells_nominator = role == "nominator"
            emails.append(
                Templated(
                    to=address,
                    template=f"nominations/email/{S.EXPIRED}_{role}",
                    context={"nomination": ref("nominations.nomination", pk)},
                    category=f"nomination_{S.EXPIRED}",
                    dedupe_key=f"nomination:{pk}:{S.EXPIRED}:{role}",
                    # The nominator's in-app line rides on their email (not for self-nominations).
                    recipient_id=nominator_id if tells_nominator else None,
                    message=(
                        _outcome_message(candidate_name=name, status_label=expired_label)
                        if tells_nominator
                        else ""
                    ),
                    url=detail_url.format(pk) if tells_nominator else "",
                )
            )
    queue_emails(emails)
    return len(expired)


# --- the review panel ----------------------------------------------------------------------


def conflict_of_interest(*, nomination: Nomination, reviewer) -> str | None:
    """Why ``reviewer`` may not review ``nomination``, or None."""
    if reviewer.pk == nomination.nominated_by_id:
        return _("They made this nomination.")
    if nomination.endorsements.filter(endorser_id=reviewer.pk).exists():
        return _("They endorsed this nomination.")
    if _normalise_email(reviewer.email) == nomination.candidate_email or (
        nomination.candidate_id and nomination.candidate.user_id == reviewer.pk
    ):
        return _("They are the candidate.")
    if nomination.candidate_id:
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
    if nomination.candidate_id:
        qs = qs.exclude(pk=nomination.candidate.user_id)
        employer = (nomination.candidate.employer_name or "").strip().lower()
        if employer:
            qs = qs.annotate(employer=Lower(Trim("contributor__employer_name"))).exclude(
                employer=employer
            )
    return qs


def _assign(*, nomination: Nomination, reviewer, actor, as_of: date) -> ReviewAssignment:
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
            "assigned_at": _moment(as_of),
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


def _start_review(*, nomination: Nomination, actor, as_of: date) -> None:
    if nomination.status == S.SUBMITTED:
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=S.IN_REVIEW,
            actor=actor,
            reason=_("Reviewers assigned"),
            as_of=as_of,
        )


@transaction.atomic
def assign_reviewer(*, nomination_id: int, reviewer, actor, as_of: date) -> ReviewAssignment:
    """Put a panel member on a nomination (refused on a conflict of interest). The first
    assignment moves a submitted nomination into review."""
    nomination = _lock_open(nomination_id)
    assignment = _assign(nomination=nomination, reviewer=reviewer, actor=actor, as_of=as_of)
    _start_review(nomination=nomination, actor=actor, as_of=as_of)
    return assignment


def reviewers_by_load():
    """Active panel reviewers annotated with their open assignments (on open nominations)."""
    from accounts.models import RoleGrant

    User = get_user_model()
    # The panel's ids first (a few hundred role rows), so the users are read by primary key:
    # joined to the role rows, PostgreSQL's default costs preferred scanning the whole user
    # table (36 ms at 100k users). The load is one row per reviewer, kept by triggers.
    panel = list(RoleGrant.objects.filter(role=Role.REVIEWER).values_list("user_id", flat=True))
    return User.objects.filter(pk__in=panel, is_active=True).annotate(
        open_assignments=Coalesce(F("reviewer_load__open_assignments"), Value(0))
    )


@transaction.atomic
def auto_assign_reviewers(
    *, nomination_id: int, actor, as_of: date, panel_size: int = 3
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
    reviewer,
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
        created_at=_moment(as_of),
        **scores,
    )
