"""The people and objects the "Bad input" tests post to: one of each role, a contributor with a
log, a nomination in review with an assigned reviewer, an MVP award with a renewal review open.

Built through the same services the app uses, so every page and form has something to act on.
"""

import datetime
import urllib.parse
from dataclasses import dataclass

from django.utils import timezone

from accounts.enums import Role
from awards.models import Award, RenewalReview
from awards.services import open_renewal_reviews
from contributions.models import Contribution, Contributor
from nominations.models import Nomination
from nominations.workflow.panel import assign_reviewer
from notifications.services import notify
from tests.factories.contributions import ContributionFactory, ContributorFactory, area, kind
from tests.factories.nominations import make_mvp, make_nomination, make_privileged


@dataclass
class World:
    contributor: Contributor  # a public profile with a log; the nominee
    contribution: Contribution
    mvp: object  # user: an active MVP who nominated the contributor
    staff: object  # user with TOTP
    reviewer: object  # user with TOTP, assigned to the nomination
    nomination: Nomination
    award: Award  # the MVP's award, with a renewal review open
    review_id: int


def build_world() -> World:
    today = timezone.localdate()
    contributor = ContributorFactory(
        display_name="Ada Contributor",
        handle="ada",
        is_public=True,
        primary_area=area("developer-technologies"),
        date_of_birth=datetime.date(1990, 5, 1),
    )
    contribution = ContributionFactory(
        contributor=contributor,
        kind=kind("blog-post"),
        technology_area=area("dotnet"),
        date=today - datetime.timedelta(days=10),
        visibility="public",
    )
    mvp = make_mvp()
    staff = make_privileged(role=Role.STAFF)
    reviewer = make_privileged(role=Role.REVIEWER)
    nomination = make_nomination(
        nominated_by=mvp, candidate=contributor, as_of=today, completed=True
    )
    assign_reviewer(nomination_id=nomination.pk, reviewer=reviewer, actor=staff, as_of=today)
    award = Award.objects.filter(contributor__user=mvp).latest("starts_on")
    open_renewal_reviews(awards=Award.objects.filter(pk=award.pk), as_of=today)
    review = RenewalReview.objects.get(award=award)
    notify(recipient=contributor.user, message="Welcome", url="/me/window/")
    return World(
        contributor=contributor,
        contribution=contribution,
        mvp=mvp,
        staff=staff,
        reviewer=reviewer,
        nomination=nomination,
        award=award,
        review_id=review.pk,
    )


def form_body(data: dict) -> bytes:
    """URL-encode a form as a browser would, but let lone surrogates through as the (invalid)
    UTF-8 bytes a hostile client can send: the app must cope with undecodable input too."""
    pairs = []
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            key = urllib.parse.quote_plus(name.encode("utf-8", "surrogatepass"))
            raw = urllib.parse.quote_plus(str(item).encode("utf-8", "surrogatepass"))
            pairs.append(f"{key}={raw}")
    return "&".join(pairs).encode("ascii")


def query_string(data: dict) -> str:
    return form_body(data).decode("ascii")
