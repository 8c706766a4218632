"""The one locked, audited state change, the decisions built on it, and the expiry job's
set-based form of it. Moves are checked against :mod:`nominations.workflow.transitions`."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from awards.enums import AwardKind
from awards.services import AwardError, grant_award
from common.bulk import insert_rows
from common.sql import named_rows, table
from nominations.enums import NominationSource, NominationStatus
from nominations.models import (
    Nomination,
    NominationEvent,
)
from nominations.webhook_data import nomination_data
from nominations.workflow.base import (
    NominationConflict,
    NominationError,
    candidate_email_of,
    moment_of,
    nomination_url,
    queue_nomination_email,
)
from nominations.workflow.transitions import CLOSING, TRANSITIONS
from notifications.services import Templated, notify, queue_emails, ref
from webhooks.services import emit

S = NominationStatus


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
    status = nomination.status
    recipients = _outcome_recipients(
        status=status,
        source=nomination.source,
        nominator_email=nomination.nominated_by.email,
        candidate_email=candidate_email_of(nomination),
    )
    for role, address in recipients:
        queue_nomination_email(
            to=address,
            template=f"{status}_{role}",
            nomination=nomination,
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
            url=nomination_url(nomination),
        )


@transaction.atomic
def transition_nomination(
    *, nomination_id: int, to_status: str, actor: User, reason: str = "", as_of: date
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
    moment = moment_of(as_of)
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


def withdraw_nomination(*, nomination_id: int, actor: User, reason: str = "", as_of: date):
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


def decide_nominations(*, nomination_ids, to_status: str, actor: User, reason: str, as_of: date):
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
    UPDATE {table}
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
    moment = moment_of(as_of)
    reason = _("No decision within three months")[:1000]
    expired: list[tuple[int, str]] = []
    with connection.cursor() as cursor:
        for from_status, targets in TRANSITIONS.items():
            if S.EXPIRED not in targets:
                continue
            cursor.execute(
                EXPIRE_NOMINATIONS_SQL.format(table=table(Nomination)),
                [S.EXPIRED, moment, reason, from_status, as_of],
            )
            expired += [(row.id, from_status) for row in named_rows(cursor)]
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
                    url=reverse("nominations:detail", args=[pk]) if tells_nominator else "",
                )
            )
    queue_emails(emails)
    return len(expired)
