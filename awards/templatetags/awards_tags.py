"""``{% award_badges contributor %}`` and ``{% eligibility_panel contributor as_of %}``."""

from datetime import date

from django import template
from django.utils import timezone

from awards.eligibility import evaluate_contributor
from awards.enums import AwardKind
from awards.queries import badges_for

register = template.Library()


def _day(value) -> date:
    if isinstance(value, date):
        return value
    if value:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            pass
    return timezone.localdate()


@register.inclusion_tag("awards/_badges.html")
def award_badges(contributor, as_of=None, linked=False):
    """Active MVP badges per area and the MCC status; "MVP alumni" after expiry; nothing for
    revoked awards. One query. ``linked``: each badge opens its certificate (with the
    credential, PDF and LinkedIn buttons): for the holder's own pages and staff."""
    return {"badges": badges_for(contributor=contributor, as_of=_day(as_of)), "linked": linked}


@register.inclusion_tag("awards/_eligibility_panel.html")
def eligibility_panel(contributor, as_of=None, category=None, summary=None):
    """What the person still needs for an MVP award in an award category (their primary one
    unless given): every check with its outcome and numbers, and the policy version used.
    Pass the page's window ``summary`` when it has one, so it is not computed twice."""
    evaluation = evaluate_contributor(
        contributor=contributor,
        award_kind=AwardKind.MVP,
        as_of=_day(as_of),
        category=category,
        summary=summary,
    )
    return {"evaluation": evaluation, "contributor": contributor}


@register.inclusion_tag("awards/_checks.html")
def eligibility_checks(contributor, as_of=None, category=None, summary=None):
    """The MVP checks for someone else (staff pages): outcome and numbers, no second-person
    wording. ``category`` defaults to the person's primary award category."""
    evaluation = evaluate_contributor(
        contributor=contributor,
        award_kind=AwardKind.MVP,
        as_of=_day(as_of),
        category=category,
        summary=summary,
    )
    return {"evaluation": evaluation, "contributor": contributor}
