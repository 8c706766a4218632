import datetime

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.enums import Role
from accounts.services import grant_role
from nominations.enums import NominationSource
from nominations.workflow.submission import create_nomination
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory, area
from tests.factories.users import UserFactory

AS_OF = datetime.date(2026, 3, 2)


def make_mvp(*, user=None, area_slug="developer-technologies", **profile):
    """A user who is an MVP both on AS_OF (term from 2026-01-01) and today, since the pages
    read the real date (a second, later term once the first has ended)."""
    contributor = ContributorFactory(user=user or UserFactory(), **profile)
    first = make_award(contributor=contributor, area_slug=area_slug)
    today = datetime.date.today()
    if today > first.ends_on:
        later = max(first.ends_on + datetime.timedelta(days=1), today - datetime.timedelta(days=30))
        make_award(contributor=contributor, area_slug=area_slug, starts_on=later)
    return contributor.user


def make_privileged(*, role=Role.STAFF, region="", **kwargs):
    """A reviewer or staff member with TOTP set up (the MFA middleware requires it)."""
    person = UserFactory(**kwargs)
    grant_role(user=person, role=role, region=region)
    TOTP.activate(person, generate_totp_secret())
    return person


def make_nomination(
    *,
    nominated_by=None,
    candidate=None,
    candidate_email="",
    candidate_name="Ada Candidate",
    area_slug="azure",
    source=NominationSource.MVP,
    reason="Answers hundreds of questions every month.",
    evidence_urls=("https://example.com/ada",),
    as_of=AS_OF,
    completed=False,
    **candidate_profile,
):
    """A nomination made through the workflow. Without a candidate or email, a new
    contributor (with ``candidate_profile``) is the candidate."""
    if source == NominationSource.STAFF and nominated_by is None:
        nominated_by = make_privileged()
    nominated_by = nominated_by or make_mvp()
    if candidate is None and not candidate_email and source != NominationSource.SELF:
        candidate = ContributorFactory(**candidate_profile)
    result = create_nomination(
        nominated_by=nominated_by,
        source=source,
        technology_area=area(area_slug),
        reason=reason,
        evidence_urls=list(evidence_urls),
        candidate=candidate,
        candidate_email=candidate_email,
        candidate_name=candidate_name,
        as_of=as_of,
    )
    nomination = result.nomination
    if completed:
        nomination.candidate_completed_at = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
        nomination.save(update_fields=["candidate_completed_at"])
    return nomination
