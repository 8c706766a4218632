import datetime

import pytest
import time_machine
from django.utils import timezone

from contributions.enums import Visibility
from contributions.models import Contribution
from tests.api.conftest import assert_problem
from tests.factories.contributions import ContributionFactory, area, kind

pytestmark = pytest.mark.django_db


VALID = {
    "kind": "blog-post",
    "technology_area": "dotnet",
    "title": "Span<T> in depth",
    "date": "2026-01-10",
    "url": "https://example.com/span",
    "description": "A long read.",
    "role": "author",
    "quantity": 1,
    "reach": 2500,
    "visibility": "public",
}
FIELDS = {
    "id",
    "kind",
    "technology_area",
    "title",
    "date",
    "url",
    "description",
    "role",
    "quantity",
    "reach",
    "target_audience",
    "visibility",
    "pillar",
    "verified",
    "created_at",
    "updated_at",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        yield


def test_create_contribution_records_it(api, user):
    response = api.post("/api/v1/contributions", VALID, user=user)
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/contributions/{body['id']}"
    assert set(body) == FIELDS
    contribution = Contribution.objects.get(pk=body["id"])
    assert contribution.contributor == user.contributor
    assert contribution.canonical_url == "example.com/span"
    assert body["kind"] == "blog-post"
    assert body["technology_area"] == "dotnet"
    assert body["pillar"] == "advocacy"
    assert body["date"] == "2026-01-10"
    assert body["reach"] == 2500
    assert body["verified"] is False


def test_create_contribution_with_only_required_fields_uses_defaults(api, user):
    body = {k: VALID[k] for k in ("kind", "technology_area", "title", "date")}
    response = api.post("/api/v1/contributions", body, user=user)
    assert response.status_code == 201, response.content
    assert response.json()["quantity"] == 1
    assert response.json()["visibility"] == "public"


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"url": "ftp://example.com/file"}, {"url"}),
        ({"url": "javascript:alert(1)"}, {"url"}),
        ({"url": "not a url"}, {"url"}),
        ({"date": "2026-03-02"}, {"date"}),  # tomorrow
        ({"date": "1999-12-31"}, {"date"}),
        ({"date": "2026-02-30"}, {"date"}),
        ({"date": "01/02/2026"}, {"date"}),
        ({"date": 1767225600}, {"date"}),
        ({"date": "0001-01-01"}, {"date"}),
        ({"quantity": -1}, {"quantity"}),
        ({"quantity": 1_000_001}, {"quantity"}),
        ({"quantity": "many"}, {"quantity"}),
        ({"quantity": 1.5}, {"quantity"}),
        ({"reach": 1_000_000_001}, {"reach"}),
        ({"reach": 10**30}, {"reach"}),
        ({"title": "ab"}, {"title"}),
        ({"title": "x" * 201}, {"title"}),
        ({"title": None}, {"title"}),
        ({"role": "speaker"}, {"role"}),
        ({"role": "emperor"}, {"role"}),
        ({"kind": "no-such-kind"}, {"kind"}),
        ({"technology_area": "no-such-area"}, {"technology_area"}),
        ({"visibility": "secret"}, {"visibility"}),
        ({"target_audience": "aliens"}, {"target_audience"}),
        ({"pillar": "support"}, {"pillar"}),  # read-only
        ({"id": 5}, {"id"}),
        ({"title": "ab", "quantity": -5, "kind": 3}, {"title", "quantity", "kind"}),
    ],
)
def test_create_contribution_with_bad_field_is_400_and_writes_nothing(api, user, changes, fields):
    response = api.post("/api/v1/contributions", {**VALID, **changes}, user=user)
    body = assert_problem(response, 400, fields=fields)
    assert all(isinstance(m, str) and m for messages in body["errors"].values() for m in messages)
    assert not Contribution.objects.exists()


def test_create_contribution_missing_fields_names_each(api, user):
    body = assert_problem(api.post("/api/v1/contributions", {}, user=user), 400)
    assert set(body["errors"]) == {"kind", "technology_area", "title", "date"}
    assert body["errors"]["title"] == ["This field is required."]


def test_create_contribution_in_inactive_area_is_400(api, user):
    dotnet = area("dotnet")
    dotnet.is_active = False
    dotnet.save()
    assert_problem(
        api.post("/api/v1/contributions", VALID, user=user), 400, fields={"technology_area"}
    )
    assert not Contribution.objects.exists()


def test_create_contribution_today_in_callers_time_zone_is_allowed(api, user):
    # 12:00 UTC on 1 March is already 2 March in Kiribati.
    user.timezone = "Pacific/Kiritimati"
    user.save()
    response = api.post("/api/v1/contributions", {**VALID, "date": "2026-03-02"}, user=user)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[]",
        '"a string"',
        "null",
        "1",
        '{"title": ',
        "\xff\xfe",
        '{"kind": {"$gt": ""}}',
    ],
)
def test_create_contribution_with_malformed_body_is_400(api, user, raw):
    response = api.send("POST", "/api/v1/contributions", raw=raw, user=user)
    assert_problem(response, 400)
    assert not Contribution.objects.exists()


def test_get_own_contribution(api, user):
    contribution = ContributionFactory(contributor=user.contributor)
    response = api.get(f"/api/v1/contributions/{contribution.pk}", user=user)
    assert response.status_code == 200
    assert response.json()["id"] == contribution.pk
    assert response.json()["title"] == contribution.title


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.PUBLIC])
def test_other_users_contribution_is_404_for_get_patch_delete(api, user, visibility):
    other = ContributionFactory(visibility=visibility, title="Someone else's")
    path = f"/api/v1/contributions/{other.pk}"
    missing = "/api/v1/contributions/999999999"
    for response in (
        api.get(path, user=user),
        api.patch(path, {"title": "Mine now"}, user=user),
        api.delete(path, user=user),
    ):
        body = assert_problem(response, 404)
        assert body == assert_problem(api.get(missing, user=user), 404)  # indistinguishable
    other.refresh_from_db()
    assert other.title == "Someone else's"


@pytest.mark.parametrize(
    "suffix", ["0", "-1", "abc", "99999999999999999999999", "9223372036854775808", "1.5"]
)
def test_odd_contribution_ids_are_404(api, user, suffix):
    assert_problem(api.get(f"/api/v1/contributions/{suffix}", user=user), 404)


def test_a_nul_in_a_contribution_id_is_a_400_problem(api, user):
    # Refused by RejectNullCharactersMiddleware before the route looks anything up.
    assert_problem(api.get("/api/v1/contributions/%00", user=user), 400)


def test_patch_changes_only_sent_fields(api, user):
    contribution = ContributionFactory(contributor=user.contributor, reach=100, title="Before")
    response = api.patch(
        f"/api/v1/contributions/{contribution.pk}",
        {"title": "After", "visibility": "private"},
        user=user,
    )
    assert response.status_code == 200, response.content
    contribution.refresh_from_db()
    assert (contribution.title, contribution.visibility, contribution.reach) == (
        "After",
        "private",
        100,
    )


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": None}, {"title"}),
        ({"quantity": -3}, {"quantity"}),
        ({"date": "2030-01-01"}, {"date"}),
        ({"url": "ftp://x.example"}, {"url"}),
        ({"kind": "forum-answers-microsoft"}, {"kind"}),  # the stored role "author" does not fit
        ({"pillar": "feedback"}, {"pillar"}),
    ],
)
def test_patch_with_bad_field_is_400_and_changes_nothing(api, user, changes, fields):
    contribution = ContributionFactory(contributor=user.contributor, title="Before", role="author")
    response = api.patch(f"/api/v1/contributions/{contribution.pk}", changes, user=user)
    assert_problem(response, 400, fields=fields)
    fresh = Contribution.objects.get(pk=contribution.pk)
    assert (fresh.title, fresh.kind.slug, fresh.quantity, fresh.updated_at) == (
        "Before",
        "blog-post",
        contribution.quantity,
        contribution.updated_at,
    )


def test_delete_own_contribution(api, user):
    contribution = ContributionFactory(contributor=user.contributor)
    response = api.delete(f"/api/v1/contributions/{contribution.pk}", user=user)
    assert response.status_code == 204
    assert response.content == b""
    assert not Contribution.objects.filter(pk=contribution.pk).exists()


def test_list_shows_only_own_contributions_newest_first(api, user):
    mine = [
        ContributionFactory(contributor=user.contributor, date=datetime.date(2026, 1, day))
        for day in (3, 1, 2)
    ]
    ContributionFactory()  # someone else's
    response = api.get("/api/v1/contributions", user=user)
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [mine[0].pk, mine[2].pk, mine[1].pk]
    assert body["next"] is None


def test_list_filters(api, user):
    me = user.contributor
    blog = ContributionFactory(contributor=me, date=datetime.date(2026, 1, 5))
    forum = ContributionFactory(
        contributor=me,
        kind=kind("forum-answers-microsoft"),
        technology_area=area("sql-server"),
        date=datetime.date(2026, 2, 5),
        visibility="private",
    )
    old = ContributionFactory(contributor=me, date=datetime.date(2025, 6, 1))

    def ids(**params):
        response = api.get("/api/v1/contributions", user=user, **params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(kind="blog-post") == {blog.pk, old.pk}
    assert ids(technology_area="sql-server") == {forum.pk}
    assert ids(technology_area="developer-technologies") == {blog.pk, old.pk}  # sub-areas
    assert ids(pillar="support") == {forum.pk}
    assert ids(pillar="advocacy") == {blog.pk, old.pk}
    assert ids(date_from="2026-01-01") == {blog.pk, forum.pk}
    assert ids(date_to="2026-01-05") == {blog.pk, old.pk}
    assert ids(date_from="2026-01-05", date_to="2026-01-05") == {blog.pk}
    assert ids(visibility="private") == {forum.pk}
    assert ids(kind="no-such-kind") == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_to"),
        ({"pillar": "fun"}, "pillar"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "garbage"}, "cursor"),
        ({"cursor": "x" * 2000}, "cursor"),
    ],
)
def test_list_bad_query_is_400(api, user, params, field):
    assert_problem(api.get("/api/v1/contributions", user=user, **params), 400, fields={field})


def test_list_paginates_with_cursor_on_date_and_id(api, user):
    me = user.contributor
    same_day = [
        ContributionFactory(contributor=me, date=datetime.date(2026, 1, 1)) for _ in range(3)
    ]
    newer = [
        ContributionFactory(contributor=me, date=datetime.date(2026, 2, day)) for day in (1, 2)
    ]
    expected = [newer[1].pk, newer[0].pk, *sorted((c.pk for c in same_day), reverse=True)]
    seen, url = [], "/api/v1/contributions?limit=2"
    while url:
        response = api.get(url, user=user)
        assert response.status_code == 200
        body = response.json()
        assert len(body["results"]) <= 2
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        if url:
            assert url.startswith("http://testserver/api/v1/contributions?")
            assert "limit=2" in url
    assert seen == expected


def test_list_next_link_keeps_filters(api, user):
    for day in (1, 2, 3):
        ContributionFactory(contributor=user.contributor, date=datetime.date(2026, 1, day))
    ContributionFactory(
        contributor=user.contributor,
        kind=kind("forum-answers-microsoft"),
        date=datetime.date(2026, 1, 4),
    )
    first = api.get("/api/v1/contributions", user=user, kind="blog-post", limit=2).json()
    second = api.get(first["next"], user=user).json()
    assert len(first["results"]) + len(second["results"]) == 3
    assert second["next"] is None


def test_cursor_of_another_list_is_400(api, user):
    for _ in range(3):
        ContributionFactory(contributor=user.contributor)
    next_url = api.get("/api/v1/contributions?limit=1", user=user).json()["next"]
    cursor = next_url.split("cursor=")[1]
    assert_problem(api.get(f"/api/v1/awards?cursor={cursor}"), 400, fields={"cursor"})


def test_list_query_count_does_not_grow(api, user, bearer, client, django_assert_num_queries):
    headers = bearer(user)
    client.get("/api/v1/contributions", headers=headers)  # stamps last use
    for _ in range(3):
        ContributionFactory(contributor=user.contributor)
    with django_assert_num_queries(2):  # token + user, one page
        client.get("/api/v1/contributions?limit=2", headers=headers)
    for _ in range(30):
        ContributionFactory(contributor=user.contributor, kind=kind("forum-answers-microsoft"))
    with django_assert_num_queries(2):
        response = client.get("/api/v1/contributions?limit=200", headers=headers)
    assert len(response.json()["results"]) == 33


def test_contribution_fields_from_api_match_after_roundtrip(api, user):
    created = api.post("/api/v1/contributions", VALID, user=user).json()
    fetched = api.get(f"/api/v1/contributions/{created['id']}", user=user).json()
    assert fetched == created
    assert datetime.datetime.fromisoformat(created["created_at"]) <= timezone.now()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "1999-12-31"}, "date", "The date cannot be before 1 January 2000."),
        ({"date": "2026-03-02"}, "date", "The date cannot be in the future."),
        (
            {"url": "ftp://example.com/x"},
            "url",
            "Enter a web address that starts with http:// or https://.",
        ),
        ({"url": "https://"}, "url", "Enter a web address that starts with http:// or https://."),
        ({"role": "speaker"}, "role", "This role does not fit the chosen kind."),
    ],
)
def test_create_contribution_breaks_the_same_rules_as_the_web_form(
    api, user, changes, field, message
):
    """The API and the web form share contributions.validation: the same rule, the same words."""
    response = api.post("/api/v1/contributions", {**VALID, **changes}, user=user)
    body = assert_problem(response, 400, fields={field})
    assert body["errors"][field] == [message]
    assert not Contribution.objects.exists()
