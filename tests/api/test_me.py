import datetime

import pytest
import time_machine

from accounts.enums import Region, Role
from tests.api.conftest import assert_problem
from tests.factories.awards import make_award
from tests.factories.contributions import ContributionFactory, area, kind

pytestmark = pytest.mark.django_db


def test_me_describes_the_caller(api, user):
    contributor = user.contributor
    contributor.display_name = "Ada"
    contributor.primary_area = area("azure")
    contributor.save()
    response = api.get("/api/v1/me", user=user)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    token = user.api_tokens.get()
    assert response.json() == {
        "id": user.pk,
        "contributor_id": contributor.pk,
        "handle": contributor.handle,
        "email": user.email,
        "display_name": "Ada",
        "roles": ["contributor"],
        "primary_area": "azure",
        "token": {
            "name": "tests",
            "scope": "write",
            "expires_at": token.expires_at.isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            ),
        },
    }


def test_me_without_primary_area_is_null(api, user):
    assert api.get("/api/v1/me", user=user).json()["primary_area"] is None


def test_me_roles_include_granted_roles_and_derived_mvp(api, make_user):
    person = make_user(role=Role.REVIEWER)
    from accounts.services import grant_role

    grant_role(user=person, role=Role.REGIONAL_MANAGER, region=Region.KOREA)
    with time_machine.travel(datetime.date(2026, 6, 1)):
        make_award(contributor=person.contributor, starts_on=datetime.date(2026, 1, 1))
        roles = api.get("/api/v1/me", user=person).json()["roles"]
    assert roles == ["contributor", "mvp", "reviewer", "regional_manager"]


def test_me_roles_of_staff(api, staff):
    assert api.get("/api/v1/me", user=staff).json()["roles"] == ["contributor", "staff"]


def test_expired_mvp_is_not_mvp(api, user):
    make_award(contributor=user.contributor, starts_on=datetime.date(2020, 1, 1))
    assert "mvp" not in api.get("/api/v1/me", user=user).json()["roles"]


def test_summary_shape_and_numbers(api, user):
    me = user.contributor
    first = ContributionFactory(
        contributor=me, date=datetime.date(2025, 3, 10), quantity=2, reach=10
    )
    ContributionFactory(
        contributor=me,
        date=datetime.date(2026, 1, 15),
        kind=kind("forum-answers-microsoft"),
        technology_area=area("sql-server"),
        quantity=30,
        reach=500,
    )
    ContributionFactory(contributor=me, date=datetime.date(2025, 2, 28))  # outside
    ContributionFactory(date=datetime.date(2026, 1, 1))  # someone else's
    response = api.get("/api/v1/me/summary", user=user, as_of="2026-02-28")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["window"] == {"start": "2025-03-01", "end": "2026-02-28"}
    assert (body["total"], body["quantity"], body["reach"]) == (2, 32, 510)
    assert body["by_pillar"] == {"advocacy": 1, "support": 1, "feedback": 0}
    assert body["by_area"] == {"dotnet": 1, "sql-server": 1}
    assert len(body["by_month"]) == 12
    assert body["by_month"][0] == {"month": "2025-03", "count": 1}
    assert body["by_month"][10] == {"month": "2026-01", "count": 1}
    assert body["leaving_window"] == [
        {"id": first.pk, "title": first.title, "date": "2025-03-10", "leaves_on": "2026-03-10"}
    ]


def test_summary_defaults_to_today(api, user):
    with time_machine.travel(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC)):
        body = api.get("/api/v1/me/summary", user=user).json()
    assert body["window"] == {"start": "2025-05-21", "end": "2026-05-20"}
    assert body["total"] == 0


def test_summary_query_count_is_constant(api, user, bearer, client, django_assert_num_queries):
    headers = bearer(user)
    client.get("/api/v1/me", headers=headers)
    for day in range(1, 20):
        ContributionFactory(contributor=user.contributor, date=datetime.date(2026, 1, day))
    # token, contributor, cells, focus areas, leaving, area slugs
    with django_assert_num_queries(6):
        assert client.get("/api/v1/me/summary?as_of=2026-02-01", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "as_of",
    ["2026-02-30", "tomorrow", "20260101", "0001-01-01", "9999-12-31", "1e9", "", "2026-1-1"],
)
def test_summary_bad_as_of_is_400(api, user, as_of):
    assert_problem(api.get("/api/v1/me/summary", user=user, as_of=as_of), 400, fields={"as_of"})


def test_summary_needs_authentication(client):
    assert_problem(client.get("/api/v1/me/summary"), 401)
