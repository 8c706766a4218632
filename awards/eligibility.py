"""Eligibility: every check with its outcome and numbers, never a bare yes/no.

:func:`evaluate` is pure: it reads only its arguments (facts about the person, the window
summary, the policy version, the as-of date), so the same inputs always give the same answer
and tests need no database. :func:`awards.queries.evaluate_contributor` gathers those inputs in a
small, constant number of queries; :mod:`awards.what_if` previews a policy change with the same
checks.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils.translation import gettext as _

from awards.enums import AwardKind
from awards.models import EligibilityPolicy
from contributions.enums import INELIGIBLE_EMPLOYER_CATEGORIES, EmployerCategory
from contributions.models import Contributor
from contributions.queries import AreaTotals, WindowSummary
from contributions.services import age_on

STUDENT_PROGRAMS_URL = "https://mvp.microsoft.com/studentambassadors"


@dataclass(frozen=True)
class Facts:
    """What the evaluation needs to know about the person, read beforehand."""

    age: int | None  # None: no date of birth on the profile
    employer_category: str
    focus_category_ids: frozenset[int]
    # (award category id or None for every category, reason) of active staff exceptions
    pillar_exceptions: tuple[tuple[int | None, str], ...] = ()

    @classmethod
    def of(
        cls,
        *,
        date_of_birth: date | None,
        employer_category: str,
        focus_category_ids,
        pillar_exceptions=(),
        as_of: date,
    ) -> "Facts":
        """The facts of a person as of ``as_of`` from their profile's fields."""
        return cls(
            age=age_on(date_of_birth=date_of_birth, on=as_of) if date_of_birth else None,
            employer_category=employer_category,
            focus_category_ids=frozenset(focus_category_ids),
            pillar_exceptions=tuple(pillar_exceptions),
        )

    def pillar_exception_for(self, category_id: int | None) -> str | None:
        for exception_category, reason in self.pillar_exceptions:
            if exception_category is None or exception_category == category_id:
                return reason
        return None


@dataclass(frozen=True)
class ForumActivity:
    """Forum contributions (kinds marked as forum activity) dated in [first_day, last_day]."""

    first_day: date
    last_day: date
    count: int
    quantity: int


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    detail: str
    numbers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    award_kind: str
    category_id: int | None
    as_of: date
    policy_version: int | None
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def missing(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.passed)


def _age_check(facts: Facts, policy: EligibilityPolicy, as_of: date) -> Check:
    numbers = {"age": facts.age, "required": policy.min_age}
    if facts.age is None:
        return Check(
            "age",
            False,
            _("Add your date of birth to your profile so the age check can be made."),
            numbers,
        )
    if facts.age < policy.min_age:
        detail = _("You must be at least %(min)s on %(day)s; you are %(age)s.") % {
            "min": policy.min_age,
            "day": as_of.isoformat(),
            "age": facts.age,
        }
        if facts.age < 18:
            detail += " " + _("Students under 18 can join a student program instead: %(url)s") % {
                "url": STUDENT_PROGRAMS_URL
            }
        return Check("age", False, detail, numbers)
    return Check(
        "age",
        True,
        _("%(age)s years old on %(day)s (at least %(min)s).")
        % {"age": facts.age, "day": as_of.isoformat(), "min": policy.min_age},
        numbers,
    )


def _employer_check(facts: Facts) -> Check:
    category = facts.employer_category
    numbers = {"employer_category": category}
    if not category:
        return Check("employer", False, _("Add your employer category to your profile."), numbers)
    label = (
        str(EmployerCategory(category).label) if category in EmployerCategory.values else category
    )
    if category in INELIGIBLE_EMPLOYER_CATEGORIES:
        return Check(
            "employer",
            False,
            _("%(employer)s: not eligible for community awards.") % {"employer": label},
            numbers,
        )
    return Check("employer", True, _("%(employer)s: eligible.") % {"employer": label}, numbers)


def known_ineligibility(
    *, contributor: Contributor, as_of: date, policy: EligibilityPolicy | None = None
) -> list[str]:
    """Why what is known about this person rules out any award on ``as_of`` (the age and
    employer checks of :func:`evaluate`); an answer not given yet is not held against them.
    Shown to a nomination's candidate instead of failing later."""
    policy = policy or EligibilityPolicy.current()
    dob = contributor.date_of_birth
    facts = Facts(
        age=age_on(date_of_birth=dob, on=as_of) if dob else None,
        employer_category=contributor.employer_category,
        focus_category_ids=frozenset(),
    )
    checks = []
    if facts.age is not None:
        checks.append(_age_check(facts, policy, as_of))
    if facts.employer_category:
        checks.append(_employer_check(facts))
    return [check.detail for check in checks if not check.passed]


def mvp_checks(
    *,
    facts: Facts,
    totals: AreaTotals,
    policy: EligibilityPolicy,
    as_of: date,
    category_id: int | None,
) -> tuple[Check, ...]:
    """The MVP checks from already-aggregated totals of the award category (also used by the
    set-based what-if, which aggregates every contributor in one query)."""
    in_focus = category_id is not None and category_id in facts.focus_category_ids
    if category_id is None:
        focus_detail = _("Choose a primary technology area on your profile.")
    elif not in_focus:
        focus_detail = _("This award category is not one of your technology areas.")
    else:
        focus_detail = _("%(count)s contributions in the area (at least %(min)s).") % {
            "count": totals.count,
            "min": policy.min_area_contributions,
        }
    focus = Check(
        "focus_area",
        in_focus and totals.count >= policy.min_area_contributions,
        focus_detail,
        {"contributions": totals.count, "required": policy.min_area_contributions},
    )

    pillar_count = len(totals.pillars)
    exception = facts.pillar_exception_for(category_id)
    pillar_numbers = {
        "pillars": pillar_count,
        "required": policy.min_pillars,
        "names": sorted(totals.pillars),
    }
    if pillar_count >= policy.min_pillars:
        pillars = Check(
            "pillars",
            True,
            _("Contributions in %(count)s pillars (at least %(min)s).")
            % {"count": pillar_count, "min": policy.min_pillars},
            pillar_numbers,
        )
    elif exception is not None:
        pillars = Check(
            "pillars",
            True,
            _("Contributions in %(count)s pillars; staff recorded an exception: %(reason)s")
            % {"count": pillar_count, "reason": exception},
            {**pillar_numbers, "exception": True},
        )
    else:
        pillars = Check(
            "pillars",
            False,
            _("Contributions in %(count)s pillars; at least %(min)s are needed.")
            % {"count": pillar_count, "min": policy.min_pillars},
            pillar_numbers,
        )

    consistency = Check(
        "consistency",
        totals.active_months >= policy.min_active_months,
        _("Active in %(months)s months of the window (at least %(min)s).")
        % {"months": totals.active_months, "min": policy.min_active_months},
        {"active_months": totals.active_months, "required": policy.min_active_months},
    )
    impact = Check(
        "impact",
        totals.quantity >= policy.min_quantity and totals.reach >= policy.min_reach,
        _(
            "Quantity %(quantity)s (at least %(min_quantity)s), "
            "reach %(reach)s (at least %(min_reach)s)."
        )
        % {
            "quantity": totals.quantity,
            "min_quantity": policy.min_quantity,
            "reach": totals.reach,
            "min_reach": policy.min_reach,
        },
        {
            "quantity": totals.quantity,
            "required_quantity": policy.min_quantity,
            "reach": totals.reach,
            "required_reach": policy.min_reach,
        },
    )
    return (
        _age_check(facts, policy, as_of),
        _employer_check(facts),
        focus,
        pillars,
        consistency,
        impact,
    )


def mvp_thresholds_q(
    *,
    policy: EligibilityPolicy,
    as_of: date,
    count: str,
    quantity: str,
    reach: str,
    months: str,
    pillars: str,
    date_of_birth: str,
    employer_category: str,
) -> Q:
    """:func:`mvp_checks` as one SQL condition, for set-based counts over many people (the
    arguments name the aggregated columns). It is the same rules for a person evaluated in
    their own focus category WITHOUT a pillar exception; people with one go through
    :func:`mvp_checks` itself. Change both together: tests/awards/test_what_if.py checks them
    equal on random people and policies."""
    # age_on(dob, as_of) >= min_age  <=>  dob <= as_of - min_age years (29 Feb counts on 1 Mar)
    born_by = as_of - relativedelta(years=policy.min_age)
    return (
        Q(**{f"{date_of_birth}__lte": born_by})
        & ~Q(**{employer_category: ""})
        & ~Q(**{f"{employer_category}__in": sorted(INELIGIBLE_EMPLOYER_CATEGORIES)})
        & Q(**{f"{count}__gte": policy.min_area_contributions})
        & Q(**{f"{pillars}__gte": policy.min_pillars})
        & Q(**{f"{months}__gte": policy.min_active_months})
        & Q(**{f"{quantity}__gte": policy.min_quantity})
        & Q(**{f"{reach}__gte": policy.min_reach})
    )


def _forum_check(activity: ForumActivity, policy: EligibilityPolicy) -> Check:
    return Check(
        "forum_activity",
        activity.count >= policy.mcc_min_forum_contributions
        and activity.quantity >= policy.mcc_min_forum_quantity,
        _(
            "%(count)s forum entries (at least %(min_count)s) with %(quantity)s answers "
            "(at least %(min_quantity)s) from %(first)s to %(last)s."
        )
        % {
            "count": activity.count,
            "min_count": policy.mcc_min_forum_contributions,
            "quantity": activity.quantity,
            "min_quantity": policy.mcc_min_forum_quantity,
            "first": activity.first_day.isoformat(),
            "last": activity.last_day.isoformat(),
        },
        {
            "contributions": activity.count,
            "required_contributions": policy.mcc_min_forum_contributions,
            "quantity": activity.quantity,
            "required_quantity": policy.mcc_min_forum_quantity,
        },
    )


def evaluate(
    *,
    facts: Facts,
    summary: WindowSummary | ForumActivity,
    policy: EligibilityPolicy,
    as_of: date,
    award_kind: str,
    category_id: int | None,
) -> Evaluation:
    """Evaluate one person for an MVP award in an award category (``summary`` is their
    :class:`WindowSummary` as of ``as_of``) or for MCC (``summary`` is their
    :class:`ForumActivity` over the policy's MCC look-back; ``category_id`` is None)."""
    if award_kind == AwardKind.MVP:
        if not isinstance(summary, WindowSummary):
            raise TypeError("An MVP evaluation needs a WindowSummary.")
        totals = summary.totals_for_category(category_id) if category_id else AreaTotals()
        checks = mvp_checks(
            facts=facts, totals=totals, policy=policy, as_of=as_of, category_id=category_id
        )
    elif award_kind == AwardKind.MCC:
        if not isinstance(summary, ForumActivity):
            raise TypeError("An MCC evaluation needs a ForumActivity.")
        checks = (
            _age_check(facts, policy, as_of),
            _employer_check(facts),
            _forum_check(summary, policy),
        )
        category_id = None
    else:
        raise ValueError(f"Unknown award kind {award_kind!r}")
    return Evaluation(
        award_kind=award_kind,
        category_id=category_id,
        as_of=as_of,
        policy_version=policy.pk,
        checks=checks,
    )


def mcc_window(*, as_of: date, days: int) -> tuple[date, date]:
    """The MCC look-back: the last ``days`` days up to and including as-of."""
    return as_of - timedelta(days=days - 1), as_of
