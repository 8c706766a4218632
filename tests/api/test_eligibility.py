from datetime import date

import pytest

from accounts.enums import Region, Role
from awards.models import EligibilityPolicy
from tests.api.conftest import assert_problem
from tests.factories.contributions import ContributionFactory, ContributorFactory, area, kind

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)
MVP_CODES = ["age", "employer", "focus_area", "pillars", "consistency", "impact"]


@pytest.fixture
def candidate(db):
    person = ContributorFactory(
        primary_area=area("dotnet"),
        employer_category="independent",
        date_of_birth=date(1990, 5, 1),
        region=Region.APAC,
    )
    for month in range(1, 7):
        day = AS_OF.replace(month=month, day=10)
        ContributionFactory(
            contributor=person, date=day, kind=kind("blog-post"), quantity=5, reach=300
        )
        ContributionFactory(
            contributor=person, date=day, kind=kind("forum-answers-microsoft"), quantity=10
        )
    return person


def path(contributor) -> str:
    return f"/api/v1/contributors/{contributor.pk}/eligibility"


def test_eligibility_self_mvp_in_primary_category(api, candidate):
    response = api.get(path(candidate), user=candidate.user, as_of="2026-06-30")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"contributor", "award", "area", "as_of", "eligible", "policy", "checks"}
    assert body["contributor"] == candidate.pk
    assert body["award"] == "mvp"
    assert body["area"] == "developer-technologies"  # dotnet's award category
    assert body["as_of"] == "2026-06-30"
    assert body["eligible"] is True
    assert body["policy"] == EligibilityPolicy.current().pk
    assert [check["code"] for check in body["checks"]] == MVP_CODES
    assert all(check["passed"] for check in body["checks"])
    assert set(body["checks"][0]) == {"code", "passed", "detail", "numbers"}
    assert body["checks"][0]["numbers"] == {"age": 36, "required": 18}
    assert body["checks"][3]["numbers"]["names"] == ["advocacy", "support"]


def test_eligibility_other_category_fails_focus_and_says_so(api, candidate):
    response = api.get(path(candidate), user=candidate.user, as_of="2026-06-30", area="azure")
    body = response.json()
    assert response.status_code == 200
    assert body["area"] == "azure"
    assert body["eligible"] is False
    checks = {check["code"]: check for check in body["checks"]}
    assert checks["focus_area"]["passed"] is False
    assert checks["focus_area"]["detail"] == (
        "This award category is not one of your technology areas."
    )


def test_eligibility_mcc_has_forum_check_and_no_area(api, candidate):
    response = api.get(
        path(candidate), user=candidate.user, award="mcc", area="azure", as_of="2026-06-30"
    )
    body = response.json()
    assert response.status_code == 200, response.content
    assert body["award"] == "mcc"
    assert body["area"] is None
    assert [check["code"] for check in body["checks"]] == ["age", "employer", "forum_activity"]
    assert body["checks"][-1]["numbers"]["contributions"] == 3
    assert body["eligible"] is True


def test_eligibility_without_primary_area_fails_focus(api):
    person = ContributorFactory(employer_category="independent", date_of_birth=date(1990, 1, 1))
    response = api.get(path(person), user=person.user, as_of="2026-06-30")
    body = response.json()
    assert body["area"] is None
    assert body["eligible"] is False
    assert body["checks"][2]["code"] == "focus_area"
    assert body["checks"][2]["passed"] is False


def test_eligibility_as_of_defaults_to_today(api, candidate):
    from django.utils import timezone

    body = api.get(path(candidate), user=candidate.user).json()
    assert body["as_of"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("self", 200),
        ("staff", 200),
        ("manager_same_region", 200),
        ("manager_other_region", 404),
        ("reviewer", 404),
        ("other_contributor", 404),
    ],
)
def test_eligibility_permission_matrix(api, make_user, candidate, who, status):
    users = {
        "self": lambda: candidate.user,
        "staff": lambda: make_user(role=Role.STAFF),
        "manager_same_region": lambda: make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC),
        "manager_other_region": lambda: make_user(role=Role.REGIONAL_MANAGER, region=Region.EMEA),
        "reviewer": lambda: make_user(role=Role.REVIEWER),
        "other_contributor": lambda: make_user(),
    }
    response = api.get(path(candidate), user=users[who](), as_of="2026-06-30")
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["eligible"] is True
    else:
        body = assert_problem(response, 404)
        assert body["detail"] == "No such contributor."


def test_eligibility_unknown_contributor_is_404_like_a_hidden_one(api, user):
    assert_problem(api.get("/api/v1/contributors/999999999/eligibility", user=user), 404)
    assert_problem(api.get(f"/api/v1/contributors/{2**63}/eligibility", user=user), 404)


def test_eligibility_requires_authentication(api, candidate):
    assert_problem(api.get(path(candidate)), 401)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"award": "ace"}, "award"),
        ({"area": "no-such-area"}, "area"),
        ({"area": "dotnet"}, "area"),  # a sub-area, not an award category
        ({"area": "bad slug!"}, "area"),
        ({"as_of": "2026-02-30"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "0001-01-01"}, "as_of"),
    ],
)
def test_eligibility_bad_parameters_are_400_with_field_errors(api, candidate, params, field):
    assert_problem(api.get(path(candidate), user=candidate.user, **params), 400, fields={field})


def test_eligibility_in_constant_queries(api, candidate, bearer, client, django_assert_num_queries):
    headers = bearer(candidate.user)
    EligibilityPolicy.current()
    client.get(path(candidate), {"as_of": "2026-06-30"}, headers=headers)  # warm caches
    # token; contributor; policy, primary category, window (3), exceptions; the category slug
    with django_assert_num_queries(9):
        response = client.get(path(candidate), {"as_of": "2026-06-30"}, headers=headers)
    assert response.status_code == 200
