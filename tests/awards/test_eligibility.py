from datetime import date

import pytest

from awards.eligibility import (
    Facts,
    ForumActivity,
    evaluate,
    known_ineligibility,
)
from awards.models import EligibilityPolicy, PillarException
from awards.queries import evaluate_contributor
from contributions.enums import INELIGIBLE_EMPLOYER_CATEGORIES
from contributions.queries import Cell, WindowSummary, rolling_window
from contributions.services import age_on
from tests.factories.contributions import ContributionFactory, ContributorFactory, area, kind

AS_OF = date(2026, 6, 30)
CATEGORY = 10
POLICY = EligibilityPolicy(
    pk=3,
    min_age=18,
    min_area_contributions=6,
    min_pillars=2,
    min_active_months=6,
    min_quantity=20,
    min_reach=1000,
    mcc_window_days=90,
    mcc_min_forum_quantity=30,
    mcc_min_forum_contributions=3,
)


def facts(**overrides):
    values = {
        "age": 30,
        "employer_category": "independent",
        "focus_category_ids": frozenset({CATEGORY}),
        "pillar_exceptions": (),
    }
    values.update(overrides)
    return Facts(**values)


def summary(*, months=6, pillars=("advocacy", "support"), quantity=4, reach=200):
    """``months`` months with one contribution per pillar each."""
    window = rolling_window(AS_OF)
    cells = tuple(
        Cell(
            pillar=pillar,
            area_id=CATEGORY,
            category_id=CATEGORY,
            month=window.months()[-1 - index],
            count=1,
            quantity=quantity,
            reach=reach,
        )
        for index in range(months)
        for pillar in pillars
    )
    return WindowSummary(window=window, cells=cells, focus_category_ids=frozenset({CATEGORY}))


def run(facts_=None, summary_=None, **kwargs):
    return evaluate(
        facts=facts_ or facts(),
        summary=summary_ or summary(),
        policy=kwargs.pop("policy", POLICY),
        as_of=AS_OF,
        award_kind=kwargs.pop("award_kind", "mvp"),
        category_id=kwargs.pop("category_id", CATEGORY),
    )


def outcome(evaluation):
    return {check.code: check.passed for check in evaluation.checks}


def test_evaluate_mvp_all_checks_pass_with_numbers():
    evaluation = run()
    assert [c.code for c in evaluation.checks] == [
        "age",
        "employer",
        "focus_area",
        "pillars",
        "consistency",
        "impact",
    ]
    assert evaluation.eligible
    assert evaluation.policy_version == 3
    impact = evaluation.checks[-1]
    assert impact.numbers == {
        "quantity": 48,
        "required_quantity": 20,
        "reach": 2400,
        "required_reach": 1000,
    }


@pytest.mark.parametrize(("age", "passed"), [(17, False), (18, True)])
def test_evaluate_age_edge(age, passed):
    evaluation = run(facts(age=age))
    assert outcome(evaluation)["age"] is passed
    assert evaluation.eligible is passed


def test_evaluate_under_18_points_to_student_programs():
    check = run(facts(age=16, employer_category="student")).checks[0]
    assert not check.passed
    assert "student program" in check.detail


def test_evaluate_missing_date_of_birth_fails_age_clearly():
    check = run(facts(age=None)).checks[0]
    assert (check.passed, check.numbers["age"]) == (False, None)
    assert "date of birth" in check.detail


@pytest.mark.parametrize("employer", sorted(INELIGIBLE_EMPLOYER_CATEGORIES))
def test_evaluate_ineligible_employer_fails(employer):
    evaluation = run(facts(employer_category=employer))
    assert outcome(evaluation)["employer"] is False
    assert not evaluation.eligible


def test_evaluate_missing_employer_category_fails():
    assert outcome(run(facts(employer_category="")))["employer"] is False


def test_evaluate_area_outside_focus_fails():
    evaluation = run(facts(focus_category_ids=frozenset({99})))
    check = evaluation.checks[2]
    assert (check.code, check.passed) == ("focus_area", False)


@pytest.mark.parametrize(
    ("pillars", "passed"), [(("advocacy",), False), (("advocacy", "feedback"), True)]
)
def test_evaluate_one_vs_two_pillars(pillars, passed):
    evaluation = run(summary_=summary(pillars=pillars, quantity=8, months=6))
    assert outcome(evaluation)["pillars"] is passed


def test_evaluate_pillar_exception_passes_and_says_so():
    evaluation = run(
        facts(pillar_exceptions=((CATEGORY, "Deep forum specialist"),)),
        summary(pillars=("support",), quantity=8),
    )
    check = evaluation.checks[3]
    assert check.passed
    assert "exception" in check.detail
    assert "Deep forum specialist" in check.detail
    assert check.numbers["exception"] is True


def test_evaluate_exception_for_other_category_does_not_apply():
    evaluation = run(
        facts(pillar_exceptions=((CATEGORY + 1, "Other area"),)),
        summary(pillars=("support",), quantity=8),
    )
    assert outcome(evaluation)["pillars"] is False


@pytest.mark.parametrize(("months", "passed"), [(5, False), (6, True)])
def test_evaluate_consistency_months(months, passed):
    evaluation = run(summary_=summary(months=months, quantity=10))
    assert outcome(evaluation)["consistency"] is passed
    assert evaluation.checks[4].numbers == {"active_months": months, "required": 6}


@pytest.mark.parametrize(
    ("quantity", "reach", "passed"),
    [(1, 200, False), (2, 83, False), (2, 84, True)],  # 12 cells: 24 quantity, 1008 reach
)
def test_evaluate_impact_thresholds(quantity, reach, passed):
    evaluation = run(summary_=summary(quantity=quantity, reach=reach))
    assert outcome(evaluation)["impact"] is passed


@pytest.mark.parametrize(
    ("count", "quantity", "passed"), [(3, 30, True), (2, 30, False), (3, 29, False)]
)
def test_evaluate_mcc_forum_activity(count, quantity, passed):
    activity = ForumActivity(
        first_day=date(2026, 4, 2), last_day=AS_OF, count=count, quantity=quantity
    )
    evaluation = run(summary_=activity, award_kind="mcc", category_id=None)
    assert [c.code for c in evaluation.checks] == ["age", "employer", "forum_activity"]
    assert evaluation.eligible is passed


# ---------------------------------------------------------------- the loader


@pytest.fixture
def candidate(db):
    return ContributorFactory(
        primary_area=area("developer-technologies"),
        employer_category="independent",
        date_of_birth=date(2008, 6, 30),
    )


def log_year(person, *, as_of=AS_OF):
    for month in range(1, 7):
        day = as_of.replace(month=month, day=10)
        ContributionFactory(
            contributor=person, date=day, kind=kind("blog-post"), quantity=5, reach=300
        )
        ContributionFactory(
            contributor=person, date=day, kind=kind("forum-answers-microsoft"), quantity=10
        )


@pytest.mark.parametrize(
    ("as_of", "passed"), [(date(2026, 6, 29), False), (date(2026, 6, 30), True)]
)
def test_evaluate_contributor_turns_18_on_the_birthday(candidate, as_of, passed):
    log_year(candidate)
    evaluation = evaluate_contributor(contributor=candidate, award_kind="mvp", as_of=as_of)
    assert outcome(evaluation)["age"] is passed


@pytest.mark.parametrize(
    ("as_of", "passed"), [(date(2026, 2, 28), False), (date(2026, 3, 1), True)]
)
def test_evaluate_contributor_leap_day_birthday_counts_on_1_march(db, as_of, passed):
    person = ContributorFactory(date_of_birth=date(2008, 2, 29))
    evaluation = evaluate_contributor(contributor=person, award_kind="mcc", as_of=as_of)
    assert outcome(evaluation)["age"] is passed


def test_evaluate_contributor_mvp_in_constant_queries(candidate, django_assert_max_num_queries):
    log_year(candidate)
    PillarException.objects.create(contributor=candidate, reason="Specialist")
    with django_assert_max_num_queries(7):
        evaluation = evaluate_contributor(contributor=candidate, award_kind="mvp", as_of=AS_OF)
    assert evaluation.category_id == area("developer-technologies").pk
    assert evaluation.eligible
    assert evaluation.policy_version == EligibilityPolicy.current().pk


def test_evaluate_contributor_mcc_counts_only_recent_forum_activity(candidate, policy):
    log_year(candidate)
    evaluation = evaluate_contributor(contributor=candidate, award_kind="mcc", as_of=AS_OF)
    check = evaluation.checks[-1]
    # The look-back is 90 days (2026-04-02 .. 2026-06-30): April, May, June forum entries.
    assert check.numbers["contributions"] == 3
    assert check.numbers["quantity"] == 30
    assert evaluation.eligible


# --- known_ineligibility: what a nomination's candidate is told (the same age and employer
# rules as evaluate, without holding an answer not given yet against them) ------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date_of_birth", "employer_category", "codes"),
    [
        (None, "", []),
        (date(1990, 1, 1), "independent", []),
        (date(2008, 7, 1), "", ["age"]),  # 17 on AS_OF: one day short
        (date(2008, 6, 30), "", []),  # 18 on AS_OF
        (None, "microsoft_employee", ["employer"]),
        (date(2010, 1, 1), "government", ["age", "employer"]),
    ],
)
def test_known_ineligibility_is_evaluate_s_age_and_employer_checks(
    date_of_birth, employer_category, codes
):
    contributor = ContributorFactory(
        date_of_birth=date_of_birth, employer_category=employer_category
    )
    age = None if date_of_birth is None else age_on(date_of_birth=date_of_birth, on=AS_OF)
    expected = [
        check.detail
        for check in run(
            facts(age=age, employer_category=employer_category or "independent")
        ).checks
        if check.code in codes
    ]
    assert known_ineligibility(contributor=contributor, as_of=AS_OF, policy=POLICY) == expected
    assert len(expected) == len(codes)
