"""What every nomination write shares: its errors, dates and the outbox email.

The writes themselves live by use case beside this module: ``submission`` (nominating and
inviting), ``candidate`` (accepting and completing), ``panel`` (reviewers and reviews) and
``decisions`` (the one locked, audited state change, decisions and expiry). All functions are
keyword-only, take ``as_of`` (the caller reads the clock) and write emails to the outbox
inside the transaction, so they go out only if it commits.
"""

from datetime import date, datetime, time
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations.enums import NominationStatus
from nominations.models import Nomination
from notifications.services import Templated, queue_emails, ref

S = NominationStatus
DECISION_MONTHS = 3
INVITATION_DAYS = 30
REVIEW_DAYS = 14
MAX_EVIDENCE_URLS = 10


class NominationError(ValueError):
    """The request breaks a nomination rule. ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NominationConflict(NominationError):
    """The nomination is no longer in a state that allows this (e.g. already decided)."""


def decision_due_for(submitted_on: date) -> date:
    """Three calendar months after submission (clamped at month ends)."""
    return submitted_on + relativedelta(months=DECISION_MONTHS)


def moment_of(as_of: date) -> datetime:
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


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def queue_nomination_email(
    *,
    to: str,
    template: str,
    nomination: Nomination,
    category: str,
    dedupe_key: str,
    extra: dict | None = None,
) -> None:
    """One templated outbox row about ``nomination`` (``nominations/email/<template>``),
    rendered at delivery with the nomination read again. ``extra`` is small JSON."""
    queue_emails(
        [
            Templated(
                to=to,
                template=f"nominations/email/{template}",
                context={
                    "nomination": ref("nominations.nomination", nomination.pk),
                    **(extra or {}),
                },
                category=category,
                dedupe_key=dedupe_key,
            )
        ]
    )


def nomination_url(nomination: Nomination) -> str:
    return reverse("nominations:detail", args=[nomination.pk])


def candidate_email_of(nomination: Nomination) -> str:
    if nomination.candidate:
        return nomination.candidate.user.email
    return nomination.candidate_email
