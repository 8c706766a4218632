import datetime

import pytest

from accounts.enums import Region, Role
from awards.enums import AwardStatus
from awards.models import Award, AwardEvent
from notifications.models import Notification, OutboxEmail
from tests.api.conftest import assert_problem
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory

pytestmark = pytest.mark.django_db

FIELDS = {"id", "contributor", "kind", "status", "technology_area", "starts_on", "ends_on"}


@pytest.fixture
def public_person(db):
    return ContributorFactory(is_public=True)


@pytest.fixture
def private_person(db):
    return ContributorFactory(is_public=False)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_reads_public_awards_only(api, public_person, private_person):
    public = make_award(contributor=public_person)
    make_award(contributor=private_person)
    response = api.get("/api/v1/awards")
    assert ids(response) == {public.pk}
    row = response.json()["results"][0]
    assert set(row) == FIELDS
    assert row == {
        "id": public.pk,
        "contributor": public_person.pk,
        "kind": "mvp",
        "status": "active",
        "technology_area": "developer-technologies",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }


def test_private_persons_awards_visible_to_themselves_and_staff(
    api, make_user, private_person, staff
):
    hidden = make_award(contributor=private_person)
    assert ids(api.get("/api/v1/awards", user=private_person.user)) == {hidden.pk}
    assert ids(api.get("/api/v1/awards", user=staff)) == {hidden.pk}
    assert ids(api.get("/api/v1/awards", user=make_user())) == set()


def test_regional_manager_sees_private_awards_of_their_region_only(api, make_user):
    manager = make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC)
    mine = make_award(contributor=ContributorFactory(region=Region.APAC))
    make_award(contributor=ContributorFactory(region=Region.EMEA))
    assert ids(api.get("/api/v1/awards", user=manager)) == {mine.pk}


def test_award_filters(api, public_person):
    other = ContributorFactory(is_public=True)
    mvp = make_award(contributor=public_person)
    mcc = make_award(contributor=public_person, kind="mcc", starts_on=datetime.date(2026, 2, 1))
    revoked = make_award(contributor=other)
    Award.objects.filter(pk=revoked.pk).update(status=AwardStatus.REVOKED, revoked_reason="x")
    assert ids(api.get("/api/v1/awards", contributor=public_person.pk)) == {mvp.pk, mcc.pk}
    assert ids(api.get("/api/v1/awards", kind="mcc")) == {mcc.pk}
    assert ids(api.get("/api/v1/awards", status="revoked")) == {revoked.pk}
    assert ids(api.get("/api/v1/awards", status="active", kind="mvp")) == {mvp.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "oscar"}, "kind"),
        ({"status": "pending"}, "status"),
        ({"contributor": "abc"}, "contributor"),
        ({"contributor": "-1"}, "contributor"),
        ({"contributor": "99999999999999999999999"}, "contributor"),
    ],
)
def test_award_list_bad_filter_is_400(api, params, field):
    assert_problem(api.get("/api/v1/awards", **params), 400, fields={field})


def test_award_list_paginates_in_constant_queries(api, django_assert_num_queries, client):
    people = [ContributorFactory(is_public=True) for _ in range(5)]
    for index, person in enumerate(people):
        make_award(contributor=person, starts_on=datetime.date(2026, 1, 1 + index % 2))
    seen, url = [], "/api/v1/awards?limit=2"
    while url:
        with django_assert_num_queries(1):
            body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    expected = list(Award.objects.order_by("-starts_on", "-id").values_list("id", flat=True))
    assert seen == expected


GRANT = {
    "kind": "mvp",
    "technology_area": "developer-technologies",
    "starts_on": "2026-04-01",
}


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("contributor", 403), ("reviewer", 403), ("staff", 201)],
)
def test_grant_award_permissions(api, make_user, public_person, who, status):
    user = None if who == "anonymous" else make_user(role=None if who == "contributor" else who)
    response = api.post("/api/v1/awards", {**GRANT, "contributor": public_person.pk}, user=user)
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert body["ends_on"] == "2027-03-31"
        assert body["status"] == "active"
        award = Award.objects.get(pk=body["id"])
        assert award.granted_by == user
        assert AwardEvent.objects.filter(award=award, kind="granted", actor=user).exists()
    else:
        assert_problem(response, status)
        assert not Award.objects.exists()


def test_grant_mcc_has_no_area_and_90_days(api, staff, public_person):
    response = api.post(
        "/api/v1/awards",
        {"contributor": public_person.pk, "kind": "mcc", "starts_on": "2026-01-01"},
        user=staff,
    )
    assert response.status_code == 201, response.content
    assert response.json()["ends_on"] == "2026-03-31"
    assert response.json()["technology_area"] is None


def test_grant_overlapping_term_is_409(api, staff, public_person):
    make_award(contributor=public_person, starts_on=datetime.date(2026, 1, 1))
    response = api.post("/api/v1/awards", {**GRANT, "contributor": public_person.pk}, user=staff)
    assert_problem(response, 409)
    assert Award.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contributor": 999999}, "contributor"),
        ({"contributor": "x"}, "contributor"),
        ({"kind": "oscar"}, "kind"),
        ({"technology_area": None}, "technology_area"),  # MVP needs an area
        ({"technology_area": "dotnet"}, "technology_area"),  # a sub-area, not a category
        ({"technology_area": "no-such"}, "technology_area"),
        ({"kind": "mcc"}, "technology_area"),  # MCC has no area
        ({"starts_on": "9999-12-31"}, "starts_on"),
        ({"starts_on": "tomorrow"}, "starts_on"),
        ({"status": "expired"}, "status"),
    ],
)
def test_grant_bad_input_is_400_and_grants_nothing(api, staff, public_person, changes, field):
    body = {**GRANT, "contributor": public_person.pk, **changes}
    assert_problem(api.post("/api/v1/awards", body, user=staff), 400, fields={field})
    assert not Award.objects.exists()


def test_regional_manager_cannot_grant_outside_region(api, make_user):
    manager = make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC)
    outsider = ContributorFactory(region=Region.EMEA, is_public=True)
    insider = ContributorFactory(region=Region.APAC)
    response = api.post("/api/v1/awards", {**GRANT, "contributor": outsider.pk}, user=manager)
    assert_problem(response, 403)
    assert not Award.objects.exists()
    assert not AwardEvent.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert not Notification.objects.exists()
    response = api.post("/api/v1/awards", {**GRANT, "contributor": insider.pk}, user=manager)
    assert response.status_code == 201
    assert list(Award.objects.values_list("contributor", flat=True)) == [insider.pk]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("contributor", 403), ("reviewer", 403), ("staff", 200)],
)
def test_revoke_award_permissions(api, make_user, public_person, who, status):
    award = make_award(contributor=public_person)
    user = None if who == "anonymous" else make_user(role=None if who == "contributor" else who)
    response = api.post(f"/api/v1/awards/{award.pk}/revoke", {"reason": "Conduct"}, user=user)
    assert response.status_code == status, response.content
    award.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "revoked"
        assert (award.status, award.revoked_reason, award.revoked_by) == (
            "revoked",
            "Conduct",
            user,
        )
    else:
        assert_problem(response, status)
        assert award.status == "active"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": 5}])
def test_revoke_without_reason_is_400(api, staff, public_person, body):
    award = make_award(contributor=public_person)
    assert_problem(
        api.post(f"/api/v1/awards/{award.pk}/revoke", body, user=staff), 400, fields={"reason"}
    )
    award.refresh_from_db()
    assert award.status == "active"


def test_revoke_twice_is_409(api, staff, public_person):
    award = make_award(contributor=public_person)
    assert (
        api.post(f"/api/v1/awards/{award.pk}/revoke", {"reason": "x"}, user=staff).status_code
        == 200
    )
    assert_problem(api.post(f"/api/v1/awards/{award.pk}/revoke", {"reason": "y"}, user=staff), 409)
    award.refresh_from_db()
    assert award.revoked_reason == "x"


@pytest.mark.parametrize("award_id", ["999999", "0", "99999999999999999999999"])
def test_revoke_missing_award_is_404(api, staff, award_id):
    assert_problem(api.post(f"/api/v1/awards/{award_id}/revoke", {"reason": "x"}, user=staff), 404)


def test_regional_manager_cannot_revoke_outside_region(api, make_user):
    manager = make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC)
    hidden = make_award(contributor=ContributorFactory(region=Region.EMEA))
    public = make_award(contributor=ContributorFactory(region=Region.EMEA, is_public=True))
    assert_problem(
        api.post(f"/api/v1/awards/{hidden.pk}/revoke", {"reason": "x"}, user=manager), 404
    )
    assert_problem(
        api.post(f"/api/v1/awards/{public.pk}/revoke", {"reason": "x"}, user=manager), 403
    )
    assert set(Award.objects.values_list("status", flat=True)) == {"active"}
