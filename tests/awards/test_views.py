from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Region, Role
from awards.enums import AwardEventKind, AwardStatus, RenewalReviewStatus
from awards.models import Award, AwardEvent, EligibilityPolicy, RenewalReview
from notifications.models import Notification
from ops.jobs import run_daily_jobs
from tests.factories.awards import make_award
from tests.factories.contributions import ContributionFactory, ContributorFactory, area, kind

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def people(make_user, with_totp):
    owner = make_user()
    owner.contributor.region = Region.EMEA
    owner.contributor.display_name = "Ada Owner"
    owner.contributor.save()
    return {
        "anonymous": None,
        "owner": owner,
        "other": make_user(),
        "reviewer": with_totp(make_user(role=Role.REVIEWER)),
        "staff": with_totp(make_user(role=Role.STAFF)),
        "manager_emea": with_totp(make_user(role=Role.REGIONAL_MANAGER, region=Region.EMEA)),
        "manager_apac": with_totp(make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC)),
    }


@pytest.fixture
def award(people):
    return make_award(contributor=people["owner"].contributor, starts_on=TODAY - timedelta(days=10))


def as_(client, people, who):
    if people[who] is not None:
        client.force_login(people[who])
    return client


STAFF_PAGES = [
    "awards:list",
    "awards:grant",
    "awards:mcc_candidates",
    "awards:renewals",
    "ops:job_runs",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("owner", 403),
        ("other", 403),
        ("reviewer", 403),
        ("staff", 200),
        ("manager_apac", 200),
    ],
)
def test_staff_pages_permissions(client, people, name, who, expected):
    assert as_(client, people, who).get(reverse(name)).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("owner", 403),
        ("reviewer", 403),
        ("manager_apac", 403),
        ("staff", 200),
    ],
)
def test_policy_pages_only_global_staff(client, people, who, expected):
    as_(client, people, who)
    assert client.get(reverse("awards:policy")).status_code == expected
    assert client.get(reverse("awards:policy_change")).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("owner", 403),
        ("other", 403),
        ("reviewer", 403),
        ("manager_apac", 403),
        ("manager_emea", 200),
        ("staff", 200),
    ],
)
def test_award_detail_and_eligibility_of_anyone_permissions(client, people, award, who, expected):
    as_(client, people, who)
    assert client.get(reverse("awards:detail", args=[award.pk])).status_code == expected
    url = reverse("awards:contributor_eligibility", args=[award.contributor_id])
    assert client.get(url).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("owner", 200),
        ("other", 403),
        ("reviewer", 403),
        ("manager_apac", 403),
        ("manager_emea", 200),
        ("staff", 200),
    ],
)
def test_certificate_permissions(client, people, award, who, expected):
    response = as_(client, people, who).get(reverse("awards:certificate", args=[award.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert f"/verify/{award.certificate_code}/" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other", "staff"])
def test_verify_page_is_public_and_shows_little(client, people, award, who):
    response = as_(client, people, who).get(
        reverse("credentials:verify", args=[award.certificate_code])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in body
    assert "Ada Owner" in body
    assert people["owner"].email not in body


def test_verify_page_says_revoked_and_expired(client, award, staff):
    from awards.services import revoke_award

    revoke_award(award_id=award.pk, actor=staff, reason="Conduct")
    assert (
        "Revoked"
        in client.get(reverse("credentials:verify", args=[award.certificate_code])).content.decode()
    )
    old = make_award(starts_on=date(2020, 1, 1))
    assert (
        "Expired"
        in client.get(reverse("credentials:verify", args=[old.certificate_code])).content.decode()
    )
    assert client.get("/verify/nope/").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff", 302),
        ("manager_emea", 302),
        ("manager_apac", 403),
        ("owner", 403),
        ("reviewer", 403),
    ],
)
def test_revoke_permissions_and_nothing_changes_on_denial(client, people, award, who, expected):
    response = as_(client, people, who).post(
        reverse("awards:revoke", args=[award.pk]), {"reason": "Conduct"}
    )
    assert response.status_code == expected
    award.refresh_from_db()
    assert award.status == (AwardStatus.REVOKED if expected == 302 else AwardStatus.ACTIVE)
    assert AwardEvent.objects.filter(award=award, kind=AwardEventKind.REVOKED).count() == (
        expected == 302
    )


def test_state_changes_are_post_only(client, people, award):
    as_(client, people, "staff")
    for name in ("awards:revoke", "awards:renew"):
        assert client.get(reverse(name, args=[award.pk])).status_code == 405
    assert client.get(reverse("awards:mcc_grant")).status_code == 405
    assert client.get(reverse("notifications:read")).status_code == 405


def test_grant_mvp_through_the_form(client, people):
    as_(client, people, "staff")
    response = client.post(
        reverse("awards:grant"),
        {
            "contributor": people["owner"].contributor.handle,
            "kind": "mvp",
            "technology_area": area("azure").pk,
            "starts_on": "2026-01-01",
            "reason": "Panel decision",
        },
    )
    award = Award.objects.get(contributor=people["owner"].contributor)
    assert response.status_code == 302
    assert (award.ends_on, award.granted_by) == (date(2026, 12, 31), people["staff"])
    assert award.events.get().reason == "Panel decision"


def test_grant_overlap_shows_message_and_changes_nothing(client, people, award):
    as_(client, people, "staff")
    response = client.post(
        reverse("awards:grant"),
        {
            "contributor": people["owner"].email,
            "kind": "mvp",
            "technology_area": award.technology_area_id,
            "starts_on": TODAY.isoformat(),
            "reason": "Again",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "already holds an active award" in response.content.decode()
    assert Award.objects.count() == 1


def test_grant_by_manager_of_another_region_is_denied(client, people):
    as_(client, people, "manager_apac")
    response = client.post(
        reverse("awards:grant"),
        {
            "contributor": people["owner"].contributor.handle,
            "kind": "mcc",
            "starts_on": "2026-01-01",
            "reason": "Forum",
        },
    )
    assert response.status_code == 403
    assert not Award.objects.exists()


def test_renew_creates_next_term(client, people, award):
    as_(client, people, "staff")
    response = client.post(reverse("awards:renew", args=[award.pk]), {"reason": "Strong year"})
    new = Award.objects.get(renewed_from=award)
    assert response.status_code == 302
    assert new.starts_on == award.ends_on + timedelta(days=1)


def test_award_list_filters_and_constant_queries(client, people, django_assert_num_queries):
    for _ in range(3):
        make_award(kind="mcc", starts_on=TODAY)
    mvp = make_award(contributor=people["owner"].contributor, starts_on=TODAY)
    as_(client, people, "staff")
    client.get(reverse("awards:list"))  # warm the session and role caches
    with django_assert_num_queries(7):
        response = client.get(reverse("awards:list"), {"kind": "mvp", "region": "emea"})
    assert [a.pk for a in response.context["awards"]] == [mvp.pk]
    for _ in range(3):
        make_award(starts_on=TODAY, area_slug="azure")
    with django_assert_num_queries(7):
        response = client.get(reverse("awards:list"))
    assert len(response.context["awards"]) == 7


def test_award_list_keyset_pagination(client, people, monkeypatch):
    monkeypatch.setattr("awards.views.grants.PAGE_SIZE", 2)
    awards = [make_award(kind="mcc", starts_on=TODAY) for _ in range(3)]
    as_(client, people, "staff")
    first = client.get(reverse("awards:list"))
    assert [a.pk for a in first.context["awards"]] == [awards[2].pk, awards[1].pk]
    second = client.get(reverse("awards:list") + "?" + first.context["next_query"])
    assert [a.pk for a in second.context["awards"]] == [awards[0].pk]
    assert second.context["next_query"] is None


def test_award_list_regional_manager_sees_only_their_region(client, people, award):
    make_award(kind="mcc", starts_on=TODAY)  # no region
    as_(client, people, "manager_emea")
    assert [a.pk for a in client.get(reverse("awards:list")).context["awards"]] == [award.pk]


def forum_person(region=""):
    person = ContributorFactory(region=region, employer_category="independent")
    for offset in (1, 2, 3):
        ContributionFactory(
            contributor=person,
            kind=kind("forum-answers-microsoft"),
            date=TODAY - timedelta(days=offset),
            quantity=10,
        )
    return person


def test_mcc_candidates_lists_qualifying_people_without_active_mcc(
    client, people, django_assert_num_queries
):
    ready = forum_person()
    holder = forum_person()
    make_award(contributor=holder, kind="mcc", starts_on=TODAY)
    busy_elsewhere = ContributorFactory()
    ContributionFactory(contributor=busy_elsewhere, kind=kind("blog-post"), date=TODAY, quantity=99)
    as_(client, people, "staff")
    client.get(reverse("awards:mcc_candidates"))
    with django_assert_num_queries(7):
        response = client.get(reverse("awards:mcc_candidates"))
    assert [c.contributor_id for c in response.context["candidates"]] == [ready.pk]


def test_mcc_grant_many_reports_granted_and_skipped(client, people):
    first, second, holder = forum_person(), forum_person(), forum_person()
    make_award(contributor=holder, kind="mcc", starts_on=TODAY)
    as_(client, people, "staff")
    response = client.post(
        reverse("awards:mcc_grant"),
        {"contributor": [first.pk, second.pk, holder.pk], "starts_on": TODAY.isoformat()},
        follow=True,
    )
    body = response.content.decode()
    assert "MCC granted: 2." in body
    assert f"Skipped contributor {holder.pk}" in body
    assert Award.objects.filter(kind="mcc", granted_by=people["staff"]).count() == 2


def test_mcc_grant_by_manager_outside_region_is_denied(client, people):
    person = forum_person(region=Region.EMEA)
    as_(client, people, "manager_apac")
    response = client.post(
        reverse("awards:mcc_grant"), {"only": person.pk, "starts_on": TODAY.isoformat()}
    )
    assert response.status_code == 403
    assert not Award.objects.exists()


def test_policy_change_previews_then_saves_a_new_version(client, people):
    current = EligibilityPolicy.current()
    person = ContributorFactory(
        primary_area=area("dotnet"),
        employer_category="independent",
        date_of_birth=date(1990, 1, 1),
    )
    # One contribution in each of six distinct calendar months, whatever day the suite runs.
    for months_back in range(6):
        day = TODAY - relativedelta(months=months_back)
        ContributionFactory(
            contributor=person, date=day, kind=kind("blog-post"), quantity=5, reach=300
        )
        ContributionFactory(
            contributor=person, date=day, kind=kind("forum-answers-microsoft"), quantity=5
        )
    values = {name: getattr(current, name) for name in EligibilityPolicy.THRESHOLD_FIELDS}
    values.update(min_reach=5000, note="Raise the reach bar")
    as_(client, people, "staff")
    preview = client.post(reverse("awards:policy_change"), {**values, "preview": ""})
    assert preview.status_code == 200
    what_if = preview.context["preview"]
    assert (what_if.eligible_now, what_if.eligible_proposed, what_if.gain, what_if.lose) == (
        1,
        0,
        0,
        1,
    )
    assert EligibilityPolicy.objects.count() == 1
    # Saving without the preview's confirmation only previews again.
    unconfirmed = client.post(reverse("awards:policy_change"), {**values, "save": ""})
    assert "changed since the preview" in unconfirmed.content.decode()
    assert EligibilityPolicy.objects.count() == 1
    confirmation = preview.context["form"]["confirmation"].value()
    response = client.post(
        reverse("awards:policy_change"), {**values, "save": "", "confirmation": confirmation}
    )
    assert response.status_code == 302
    new = EligibilityPolicy.current()
    assert (new.pk > current.pk, new.min_reach, new.created_by, new.note) == (
        True,
        5000,
        people["staff"],
        "Raise the reach bar",
    )
    history = client.get(reverse("awards:policy")).content.decode()
    assert "Raise the reach bar" in history


def test_policy_what_if_is_one_grouped_query(django_assert_num_queries):
    from awards.what_if import policy_what_if

    current = EligibilityPolicy.current()
    for _ in range(3):
        ContributionFactory(contributor=ContributorFactory(primary_area=area("dotnet")), date=TODAY)
    with django_assert_num_queries(2):
        result = policy_what_if(
            proposed=EligibilityPolicy(min_area_contributions=1), current=current, as_of=TODAY
        )
    assert result.considered == 3


def test_my_eligibility_page_shows_checks_and_badges(client, people, award):
    as_(client, people, "owner")
    body = client.get(
        reverse("awards:my_eligibility"), {"as_of": TODAY.isoformat()}
    ).content.decode()
    assert "My eligibility" in body
    assert "date of birth" in body  # the age check says what is missing
    assert "MVP · Developer" in body
    assert "Forum activity" in body


def test_renewal_queue_and_decision_not_renewed(client, people):
    award = make_award(
        contributor=people["owner"].contributor, starts_on=TODAY - timedelta(days=330)
    )
    run_daily_jobs(as_of=TODAY)
    review = RenewalReview.objects.get(award=award)
    as_(client, people, "staff")
    queue = client.get(reverse("awards:renewals"))
    assert [r.pk for r in queue.context["reviews"]] == [review.pk]
    detail = client.get(reverse("awards:renewal_detail", args=[review.pk]))
    assert detail.context["evaluation"].as_of == award.ends_on
    response = client.post(
        reverse("awards:renewal_decide", args=[review.pk]), {"decision": "not_renew", "reason": ""}
    )
    review.refresh_from_db()
    assert (response.status_code, review.status) == (302, RenewalReviewStatus.OPEN)
    client.post(
        reverse("awards:renewal_decide", args=[review.pk]),
        {"decision": "not_renew", "reason": "Inactive this year"},
    )
    review.refresh_from_db()
    assert (review.status, review.decided_by) == (RenewalReviewStatus.NOT_RENEWED, people["staff"])
    assert AwardEvent.objects.filter(award=award, kind=AwardEventKind.NOT_RENEWED).count() == 1
    # The award runs out: after its end the job expires it and the person is alumni.
    run_daily_jobs(as_of=award.ends_on + timedelta(days=1))
    award.refresh_from_db()
    assert award.status == AwardStatus.EXPIRED
    as_(client, people, "owner")
    body = client.get(reverse("awards:my_eligibility")).content.decode()
    assert "MVP alumni" in body  # expired by the job: alumni even before the real end date
    later = (award.ends_on + timedelta(days=1)).isoformat()
    body = client.get(reverse("awards:my_eligibility"), {"as_of": later}).content.decode()
    assert "MVP alumni" in body


def test_renewal_decision_renew(client, people):
    award = make_award(
        contributor=people["owner"].contributor, starts_on=TODAY - timedelta(days=330)
    )
    run_daily_jobs(as_of=TODAY)
    review = RenewalReview.objects.get(award=award)
    as_(client, people, "manager_apac")
    assert (
        client.post(
            reverse("awards:renewal_decide", args=[review.pk]), {"decision": "renew"}
        ).status_code
        == 403
    )
    as_(client, people, "staff")
    client.post(reverse("awards:renewal_decide", args=[review.pk]), {"decision": "renew"})
    review.refresh_from_db()
    assert review.status == RenewalReviewStatus.RENEWED
    assert review.new_award.starts_on == award.ends_on + timedelta(days=1)


def test_job_runs_page_shows_counts(client, people, django_assert_num_queries):
    run_daily_jobs(as_of=TODAY)
    as_(client, people, "staff")
    client.get(reverse("ops:job_runs"))
    with django_assert_num_queries(6):
        response = client.get(reverse("ops:job_runs"))
    assert "mcc_expired: 0" in response.content.decode()


def test_notifications_page_unread_count_and_mark_read(
    client, people, award, django_assert_num_queries
):
    owner = people["owner"]
    as_(client, people, "owner")
    Notification.objects.create(recipient=owner, message="Second", read_at=timezone.now())
    client.get(reverse("notifications:list"))
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:list"))
    assert "Notifications (1)" in response.content.decode()
    other_note = Notification.objects.create(recipient=people["other"], message="Not yours")
    client.post(reverse("notifications:read"), {"id": other_note.pk})
    other_note.refresh_from_db()
    assert other_note.read_at is None
    client.post(reverse("notifications:read"))
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    assert "Notifications (1)" not in client.get(reverse("notifications:list")).content.decode()


@pytest.mark.parametrize("name", ["awards:my_eligibility", "notifications:list"])
@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("other", 200), ("staff", 200)])
def test_personal_pages_need_login(client, people, name, who, expected):
    response = as_(client, people, who).get(reverse(name))
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_personal_pages_show_only_your_own(client, people, award):
    as_(client, people, "other")
    body = client.get(reverse("awards:my_eligibility")).content.decode()
    assert "MVP ·" not in body
    assert client.get(reverse("notifications:list")).context["notifications"] == []


@pytest.fixture
def review(people):
    award = make_award(
        contributor=people["owner"].contributor, starts_on=TODAY - timedelta(days=330)
    )
    return RenewalReview.objects.create(
        award=award, opened_on=TODAY, update_by=TODAY + timedelta(days=30)
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("owner", 403),
        ("reviewer", 403),
        ("manager_apac", 403),
        ("manager_emea", 200),
        ("staff", 200),
    ],
)
def test_renewal_detail_permissions(client, people, review, who, expected):
    url = reverse("awards:renewal_detail", args=[review.pk])
    assert as_(client, people, who).get(url).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("owner", 403), ("reviewer", 403), ("manager_apac", 403)],
)
def test_renewal_decision_denied_changes_nothing(client, people, review, who, expected):
    url = reverse("awards:renewal_decide", args=[review.pk])
    response = as_(client, people, who).post(url, {"decision": "renew"})
    assert response.status_code == expected
    review.refresh_from_db()
    assert review.status == RenewalReviewStatus.OPEN
    assert Award.objects.count() == 1


def test_renewal_queue_constant_queries(client, people, review, django_assert_num_queries):
    as_(client, people, "manager_emea")
    client.get(reverse("awards:renewals"))
    with django_assert_num_queries(10):
        response = client.get(reverse("awards:renewals"))
    assert [r.pk for r in response.context["reviews"]] == [review.pk]
    other = make_award(starts_on=TODAY - timedelta(days=330))
    RenewalReview.objects.create(award=other, opened_on=TODAY, update_by=TODAY)
    as_(client, people, "staff")
    client.get(reverse("awards:renewals"))
    with django_assert_num_queries(10):
        response = client.get(reverse("awards:renewals"))
    assert len(response.context["reviews"]) == 2


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("owner", 403), ("reviewer", 403)]
)
def test_grant_post_denied_changes_nothing(client, people, who, expected):
    response = as_(client, people, who).post(
        reverse("awards:grant"),
        {
            "contributor": people["owner"].contributor.handle,
            "kind": "mcc",
            "starts_on": "2026-01-01",
            "reason": "x",
        },
    )
    assert response.status_code == expected
    assert not Award.objects.exists()


def test_renewal_queue_checks_match_the_single_evaluation(client, people, review):
    from awards.queries import evaluate_contributor

    person = people["owner"].contributor
    person.primary_area = area("dotnet")
    person.date_of_birth = date(1990, 5, 5)
    person.employer_category = "independent"
    person.save()
    person.additional_areas.add(area("azure"))
    end = review.award.ends_on
    for back in range(7):
        day = end - timedelta(days=30 * back)
        ContributionFactory(
            contributor=person, date=day, kind=kind("blog-post"), quantity=4, reach=400
        )
        ContributionFactory(contributor=person, date=day, kind=kind("product-feedback"))
    ContributionFactory(contributor=person, date=end + timedelta(days=1))  # after the term
    as_(client, people, "staff")
    row = client.get(reverse("awards:renewals")).context["rows"][0]
    single = evaluate_contributor(
        contributor=person,
        award_kind="mvp",
        category=review.award.technology_area,
        as_of=end,
    )
    assert row.evaluation == single
    assert row.evaluation.eligible
