import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.enums import Region, Role
from accounts.services import grant_role
from awards.enums import AwardKind
from awards.models import Award
from contributions.models import ContributionKind, TechnologyArea
from contributions.vocabularies import load_vocabularies
from nominations.enums import NominationStatus
from nominations.models import Endorsement, Nomination, NominationEvent, Review
from nominations.workflow.panel import assign_reviewer
from tests.api.conftest import assert_problem
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import make_mvp, make_nomination
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
S = NominationStatus
URL = "/api/v1/nominations"
FIELDS = {
    "id",
    "status",
    "candidate_name",
    "candidate_email",
    "technology_area",
    "source",
    "reason",
    "evidence_urls",
    "submitted_at",
    "decision_due",
    "decided_at",
    "award",
    "endorsements",
    "review_stats",
}


@pytest.fixture
def mvp(db):
    return make_mvp()


@pytest.fixture
def candidate(db):
    return ContributorFactory(region=Region.APAC, display_name="Ada Candidate")


@pytest.fixture
def nomination(mvp, candidate):
    return make_nomination(nominated_by=mvp, candidate=candidate, area_slug="azure")


@pytest.fixture
def assigned_reviewer(make_user, nomination, staff):
    person = make_user(role=Role.REVIEWER)
    assign_reviewer(
        nomination_id=nomination.pk, reviewer=person, actor=staff, as_of=timezone.localdate()
    )
    return person


def body(**overrides) -> dict:
    return {
        "candidate_email": "new.person@example.com",
        "candidate_name": "New Person",
        "technology_area": "azure",
        "reason": "Answers hundreds of questions every month.",
        "evidence_urls": ["https://example.com/answers"],
        **overrides,
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- creating ------------------------------------------------------------------------------


def test_nominate_creates_and_answers_201(api, mvp):
    response = api.post(URL, body(), user=mvp)
    assert response.status_code == 201, response.content
    nomination = Nomination.objects.get()
    assert response["Location"] == f"{URL}/{nomination.pk}"
    data = response.json()
    assert set(data) == FIELDS
    assert data["id"] == nomination.pk
    assert data["status"] == "submitted"
    assert data["candidate_email"] == "new.person@example.com"
    assert data["candidate_name"] == "New Person"
    assert data["technology_area"] == "azure"
    assert data["source"] == "mvp"
    assert data["evidence_urls"] == ["https://example.com/answers"]
    assert data["decision_due"] == nomination.decision_due.isoformat()
    assert data["endorsements"] == 0
    assert data["award"] is None
    assert data["review_stats"] is None
    assert nomination.nominated_by == mvp


def test_nominate_same_candidate_again_merges_as_endorsement_with_200(api, mvp):
    first = api.post(URL, body(), user=mvp)
    other_mvp = make_mvp()
    response = api.post(URL, body(reason="Great talks too."), user=other_mvp)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == first.json()["id"]
    assert response.json()["endorsements"] == 1
    assert Nomination.objects.count() == 1
    endorsement = Endorsement.objects.get()
    assert endorsement.endorser == other_mvp
    assert endorsement.reason == "Great talks too."


@pytest.mark.parametrize("role", [None, Role.STAFF, Role.REVIEWER, Role.REGIONAL_MANAGER])
def test_nominate_by_someone_not_an_active_mvp_is_403_and_writes_nothing(api, make_user, role):
    person = make_user(role=role, region=Region.APAC if role == Role.REGIONAL_MANAGER else "")
    body_ = assert_problem(api.post(URL, body(), user=person), 403)
    assert body_["detail"] == "Only active MVPs can nominate others."
    assert not Nomination.objects.exists()


def test_nominate_anonymous_is_401(api):
    assert_problem(api.post(URL, body()), 401)
    assert not Nomination.objects.exists()


def test_nominate_yourself_is_400_on_candidate_email(api, mvp):
    response = api.post(URL, body(candidate_email=mvp.email.upper()), user=mvp)
    assert_problem(response, 400, fields={"candidate_email"})
    assert not Nomination.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"candidate_email": "not-an-email"}, "candidate_email"),
        ({"candidate_name": ""}, "candidate_name"),
        ({"technology_area": "no-such-area"}, "technology_area"),
        ({"technology_area": "dotnet"}, "technology_area"),  # a sub-area
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"evidence_urls": ["javascript:alert(1)"]}, "evidence_urls"),
        ({"evidence_urls": [f"https://example.com/{n}" for n in range(11)]}, "evidence_urls"),
        ({"evidence_urls": "https://example.com"}, "evidence_urls"),
        ({"status": "awarded"}, "status"),
        ({"reason": "x\x00y"}, "reason"),
    ],
)
def test_nominate_invalid_input_is_400_and_writes_nothing(api, mvp, overrides, field):
    assert_problem(api.post(URL, body(**overrides), user=mvp), 400, fields={field})
    assert not Nomination.objects.exists()
    assert not NominationEvent.objects.exists()


def test_nominate_missing_fields_are_listed(api, mvp):
    body_ = assert_problem(api.post(URL, {}, user=mvp), 400)
    assert set(body_["errors"]) == {
        "candidate_email",
        "candidate_name",
        "technology_area",
        "reason",
    }


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees", "email", "stats"),
    [
        ("nominator", True, True, False),
        ("candidate", True, False, False),
        ("other_mvp", False, False, False),
        ("contributor", False, False, False),
        ("assigned_reviewer", True, False, False),
        ("other_reviewer", False, False, False),
        ("staff", True, True, True),
        ("manager_same_region", True, True, True),
        ("manager_other_region", False, False, False),
    ],
)
def test_nominations_visibility_matrix(
    api, make_user, mvp, candidate, nomination, assigned_reviewer, who, sees, email, stats
):
    users = {
        "nominator": lambda: mvp,
        "candidate": lambda: candidate.user,
        "other_mvp": make_mvp,
        "contributor": make_user,
        "assigned_reviewer": lambda: assigned_reviewer,
        "other_reviewer": lambda: make_user(role=Role.REVIEWER),
        "staff": lambda: make_user(role=Role.STAFF),
        "manager_same_region": lambda: make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC),
        "manager_other_region": lambda: make_user(role=Role.REGIONAL_MANAGER, region=Region.EMEA),
    }
    person = users[who]()
    listed = api.get(URL, user=person)
    detail = api.get(f"{URL}/{nomination.pk}", user=person)
    if not sees:
        assert ids(listed) == []
        assert_problem(detail, 404)
        return
    assert ids(listed) == [nomination.pk]
    assert detail.status_code == 200
    data = detail.json()
    assert data == listed.json()["results"][0]
    assert (data["candidate_email"] == candidate.user.email.lower()) is email
    assert (data["candidate_email"] is None) is not email
    if stats:
        assert data["review_stats"] == {
            "assigned": 1,
            "reviews": 0,
            "recommend_award": 0,
            "recommend_decline": 0,
            "expertise": None,
            "quality": None,
            "quantity": None,
            "impact": None,
        }
    else:
        assert data["review_stats"] is None


def test_nominations_require_authentication(api, nomination):
    assert_problem(api.get(URL), 401)
    assert_problem(api.get(f"{URL}/{nomination.pk}"), 401)


def test_nomination_unknown_id_is_404(api, staff):
    assert_problem(api.get(f"{URL}/999999999", user=staff), 404)
    assert_problem(api.get(f"{URL}/{2**63}", user=staff), 404)


def test_nominations_filters_and_cursor(api, staff, mvp):
    azure = [make_nomination(nominated_by=mvp, area_slug="azure") for _ in range(3)]
    data = make_nomination(nominated_by=mvp, area_slug="data-platform")
    Nomination.objects.filter(pk=azure[0].pk).update(status=S.WITHDRAWN)
    assert set(ids(api.get(URL, user=staff, technology_area="azure"))) == {n.pk for n in azure}
    assert ids(api.get(URL, user=staff, status="withdrawn")) == [azure[0].pk]
    assert ids(api.get(URL, user=staff, technology_area="data-platform")) == [data.pk]
    first = api.get(URL, user=staff, limit=3).json()
    assert len(first["results"]) == 3
    second = api.get(first["next"].split("testserver")[1], user=staff).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert sorted(seen) == sorted([*(n.pk for n in azure), data.pk])


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "open"}, "status"), ({"cursor": "forged"}, "cursor"), ({"limit": 0}, "limit")],
)
def test_nominations_bad_filters_are_400(api, staff, params, field):
    assert_problem(api.get(URL, user=staff, **params), 400, fields={field})


def test_nominations_list_in_constant_queries(
    api, bearer, client, staff, mvp, django_assert_num_queries
):
    headers = bearer(staff)

    def count_queries(expected: int, rows: int) -> None:
        client.get(URL, headers=headers)  # warm per-token caches
        with django_assert_num_queries(expected):
            response = client.get(URL, headers=headers)
        assert len(response.json()["results"]) == rows

    make_nomination(nominated_by=mvp)
    count_queries(5, 1)  # token, roles, page, assignments, reviews
    for _ in range(4):
        nomination = make_nomination(nominated_by=mvp)
        Endorsement.objects.create(
            nomination=nomination, endorser=make_mvp(), source="mvp", reason="Yes"
        )
    count_queries(5, 5)


# --- reviews -------------------------------------------------------------------------------


def review_body(**overrides) -> dict:
    return {
        "expertise": 5,
        "quality": 4,
        "quantity": 3,
        "impact": 4,
        "recommendation": "award",
        "comment": "Strong.",
        **overrides,
    }


def test_review_by_assigned_reviewer_is_201_and_second_is_409(
    api, nomination, assigned_reviewer, staff
):
    path = f"{URL}/{nomination.pk}/reviews"
    response = api.post(path, review_body(), user=assigned_reviewer)
    assert response.status_code == 201, response.content
    review = Review.objects.get()
    assert response.json()["id"] == review.pk
    assert response.json()["nomination"] == nomination.pk
    assert (review.expertise, review.recommendation, review.comment) == (5, "award", "Strong.")
    assert_problem(api.post(path, review_body(impact=1), user=assigned_reviewer), 409)
    assert Review.objects.get().impact == 4
    stats = api.get(f"{URL}/{nomination.pk}", user=staff).json()["review_stats"]
    assert stats["reviews"] == 1
    assert stats["recommend_award"] == 1
    assert stats["expertise"] == 5.0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nominator", 403),
        ("candidate", 403),
        ("staff", 403),
        ("other_reviewer", 404),
        ("other_mvp", 404),
    ],
)
def test_review_by_someone_not_assigned_is_refused(
    api, make_user, mvp, candidate, nomination, assigned_reviewer, who, status
):
    person = {
        "nominator": lambda: mvp,
        "candidate": lambda: candidate.user,
        "staff": lambda: make_user(role=Role.STAFF),
        "other_reviewer": lambda: make_user(role=Role.REVIEWER),
        "other_mvp": make_mvp,
    }[who]()
    assert_problem(api.post(f"{URL}/{nomination.pk}/reviews", review_body(), user=person), status)
    assert not Review.objects.exists()


def test_review_anonymous_is_401(api, nomination):
    assert_problem(api.post(f"{URL}/{nomination.pk}/reviews", review_body()), 401)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"expertise": 0}, "expertise"),
        ({"impact": 6}, "impact"),
        ({"quality": "high"}, "quality"),
        ({"recommendation": "maybe"}, "recommendation"),
        ({"comment": "x" * 5001}, "comment"),
    ],
)
def test_review_invalid_input_is_400_and_writes_nothing(
    api, nomination, assigned_reviewer, overrides, field
):
    response = api.post(
        f"{URL}/{nomination.pk}/reviews", review_body(**overrides), user=assigned_reviewer
    )
    assert_problem(response, 400, fields={field})
    assert not Review.objects.exists()


def test_review_of_closed_nomination_is_409(api, nomination, assigned_reviewer):
    Nomination.objects.filter(pk=nomination.pk).update(status=S.WITHDRAWN)
    assert_problem(
        api.post(f"{URL}/{nomination.pk}/reviews", review_body(), user=assigned_reviewer), 409
    )
    assert not Review.objects.exists()


# --- decisions -----------------------------------------------------------------------------


def test_decision_award_creates_the_award_once_and_a_second_decision_is_409(
    api, staff, nomination, candidate
):
    path = f"{URL}/{nomination.pk}/decision"
    response = api.post(path, {"decision": "award", "reason": "Outstanding."}, user=staff)
    assert response.status_code == 200, response.content
    award = Award.objects.get(contributor=candidate)
    assert award.contributor == candidate
    assert award.kind == AwardKind.MVP
    assert award.technology_area.slug == "azure"
    data = response.json()
    assert data["status"] == "awarded"
    assert data["award"] == award.pk
    assert data["decided_at"] is not None
    for decision in ("award", "decline"):
        assert_problem(api.post(path, {"decision": decision, "reason": "Again."}, user=staff), 409)
    assert Award.objects.filter(contributor=candidate).count() == 1
    nomination.refresh_from_db()
    assert nomination.status == S.AWARDED
    assert nomination.events.filter(to_status=S.AWARDED).count() == 1


def test_decision_decline(api, staff, nomination):
    response = api.post(
        f"{URL}/{nomination.pk}/decision", {"decision": "decline", "reason": "Not yet."}, user=staff
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert response.json()["award"] is None
    assert not Award.objects.filter(contributor=nomination.candidate).exists()


@pytest.mark.parametrize("status", [S.AWARDED, S.DECLINED, S.EXPIRED, S.WITHDRAWN])
def test_decision_on_closed_nomination_is_409(api, staff, nomination, status):
    fields = {"status": status}
    if status == S.AWARDED:
        from tests.factories.awards import make_award

        fields["award"] = make_award(contributor=nomination.candidate, area_slug="azure")
    Nomination.objects.filter(pk=nomination.pk).update(**fields)
    awards = Award.objects.count()
    response = api.post(
        f"{URL}/{nomination.pk}/decision", {"decision": "award", "reason": "Yes."}, user=staff
    )
    assert_problem(response, 409)
    assert Award.objects.count() == awards
    assert Nomination.objects.get(pk=nomination.pk).status == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nominator", 403),
        ("candidate", 403),
        ("assigned_reviewer", 403),
        ("other_mvp", 404),
        ("manager_other_region", 404),
        ("manager_same_region", 200),
    ],
)
def test_decision_permission_matrix(
    api, make_user, mvp, candidate, nomination, assigned_reviewer, who, status
):
    person = {
        "nominator": lambda: mvp,
        "candidate": lambda: candidate.user,
        "assigned_reviewer": lambda: assigned_reviewer,
        "other_mvp": make_mvp,
        "manager_other_region": lambda: make_user(role=Role.REGIONAL_MANAGER, region=Region.EMEA),
        "manager_same_region": lambda: make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC),
    }[who]()
    response = api.post(
        f"{URL}/{nomination.pk}/decision", {"decision": "decline", "reason": "No."}, user=person
    )
    if status == 200:
        assert response.status_code == 200, response.content
        assert Nomination.objects.get(pk=nomination.pk).status == S.DECLINED
    else:
        assert_problem(response, status)
        assert Nomination.objects.get(pk=nomination.pk).status == S.IN_REVIEW


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"decision": "award"}, "reason"),
        ({"decision": "award", "reason": ""}, "reason"),
        ({"decision": "award", "reason": "   "}, "reason"),
        ({"decision": "maybe", "reason": "x"}, "decision"),
    ],
)
def test_decision_invalid_input_is_400_and_changes_nothing(api, staff, nomination, payload, field):
    response = api.post(f"{URL}/{nomination.pk}/decision", payload, user=staff)
    assert_problem(response, 400, fields={field})
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED
    assert not Award.objects.filter(contributor=nomination.candidate).exists()


def test_decision_award_for_candidate_without_account_is_400(api, staff, mvp):
    nomination = make_nomination(nominated_by=mvp, candidate_email="someone@example.com")
    response = api.post(
        f"{URL}/{nomination.pk}/decision", {"decision": "award", "reason": "Yes."}, user=staff
    )
    assert_problem(response, 400, fields={"__all__"})
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


# --- withdrawing ---------------------------------------------------------------------------


def test_withdraw_by_nominator_and_again_is_409(api, mvp, nomination):
    path = f"{URL}/{nomination.pk}/withdraw"
    response = api.post(path, {"reason": "Duplicate."}, user=mvp)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert nomination.events.get(to_status=S.WITHDRAWN).reason == "Duplicate."
    assert_problem(api.post(path, {}, user=mvp), 409)


@pytest.mark.parametrize(("who", "status"), [("candidate", 403), ("staff", 403), ("other", 404)])
def test_withdraw_by_others_is_refused(api, make_user, candidate, nomination, who, status):
    person = {
        "candidate": lambda: candidate.user,
        "staff": lambda: make_user(role=Role.STAFF),
        "other": make_mvp,
    }[who]()
    assert_problem(api.post(f"{URL}/{nomination.pk}/withdraw", {}, user=person), status)
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_staff_deciding_at_once_through_the_api_get_200_and_409(bearer):
    # A transactional test before this one may have flushed the seeded vocabularies.
    load_vocabularies(TechnologyArea, ContributionKind)
    nomination = make_nomination(nominated_by=make_mvp(), area_slug="azure")
    headers = [bearer(make_user_with_role(Role.STAFF)) for _ in range(2)]
    barrier = threading.Barrier(2)
    statuses = []

    def decide(auth):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            response = Client().post(
                f"{URL}/{nomination.pk}/decision",
                json.dumps({"decision": "award", "reason": "Outstanding."}),
                content_type="application/json",
                headers=auth,
            )
            statuses.append(response.status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=decide, args=(auth,)) for auth in headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert Award.objects.filter(contributor=nomination.candidate).count() == 1


def make_user_with_role(role):
    person = UserFactory()
    grant_role(user=person, role=role, region="")
    return person
