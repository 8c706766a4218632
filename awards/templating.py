"""The award pieces of a page, as Jinja2 globals: ``{{ award_badges(contributor) }}``,
``{{ eligibility_panel(contributor, as_of, summary=summary) }}`` and
``{{ eligibility_checks(contributor, as_of) }}``. Each renders its small template with the
page's engine and the page's context."""

from datetime import date

import jinja2
from django.template import engines
from django.utils import timezone
from markupsafe import Markup

from awards.enums import AwardKind
from awards.queries import badges_for, evaluate_contributor


def _day(value) -> date:
    if isinstance(value, date):
        return value
    if value:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            pass
    return timezone.localdate()


def _render(context, template_name: str, values: dict) -> Markup:
    # Through the backend, so the test client sees the piece's context as it saw the tag's.
    template = engines["jinja2"].get_template(template_name)
    html = template.render({**context.get_all(), **values})
    return Markup(html)  # noqa: S704 - the output of the autoescaping environment


@jinja2.pass_context
def award_badges(context, contributor, as_of=None, linked=False) -> Markup:
    """Active MVP badges per area and the MCC status; "MVP alumni" after expiry; nothing for
    revoked awards. One query. ``linked``: each badge opens its certificate (with the
    credential, PDF and LinkedIn buttons): for the holder's own pages and staff."""
    badges = badges_for(contributor=contributor, as_of=_day(as_of))
    return _render(context, "awards/_badges.html", {"badges": badges, "linked": linked})


def _evaluation(contributor, as_of, category, summary):
    return evaluate_contributor(
        contributor=contributor,
        award_kind=AwardKind.MVP,
        as_of=_day(as_of),
        category=category,
        summary=summary,
    )


@jinja2.pass_context
def eligibility_panel(context, contributor, as_of=None, category=None, summary=None) -> Markup:
    """What the person still needs for an MVP award in an award category (their primary one
    unless given): every check with its outcome and numbers, and the policy version used.
    Pass the page's window ``summary`` when it has one, so it is not computed twice."""
    evaluation = _evaluation(contributor, as_of, category, summary)
    return _render(
        context,
        "awards/_eligibility_panel.html",
        {"evaluation": evaluation, "contributor": contributor},
    )


@jinja2.pass_context
def eligibility_checks(context, contributor, as_of=None, category=None, summary=None) -> Markup:
    """The MVP checks for someone else (staff pages): outcome and numbers, no second-person
    wording. ``category`` defaults to the person's primary award category."""
    evaluation = _evaluation(contributor, as_of, category, summary)
    return _render(
        context,
        "awards/_checks.html",
        {"evaluation": evaluation, "contributor": contributor},
    )


GLOBALS = {
    "award_badges": award_badges,
    "eligibility_panel": eligibility_panel,
    "eligibility_checks": eligibility_checks,
}
