from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Region, Role
from contributions.enums import Visibility
from contributions.models import Contribution
from tests.factories.contributions import ContributionFactory, ContributorFactory, area, kind

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    data = {
        "kind": kind("blog-post").pk,
        "technology_area": area("dotnet").pk,
        "title": "Minimal APIs",
        "date": "2026-01-10",
        "url": "https://example.com/minimal",
        "description": "",
        "role": "author",
        "quantity": "1",
        "reach": "100",
        "target_audience": "",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_contribution_create_saves_for_the_signed_in_person(login, user):
    response = login(user).post(reverse("contributions:create"), _form_data())
    assert response.status_code == 302
    saved = Contribution.objects.get()
    assert saved.contributor == user.contributor
    assert saved.canonical_url == "example.com/minimal"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "http"),
        ("url", "ftp://example.com/x", "http"),
        ("date", "1999-12-31", "before 1 January 2000"),
        ("quantity", "-1", ""),
        ("quantity", "1000001", ""),
        ("quantity", "1.5", ""),
        ("reach", "1000000001", ""),
        ("title", "ab", ""),
        ("title", "x" * 201, ""),
        ("description", "x" * 5001, ""),
        ("role", "speaker", "does not fit"),
    ],
)
def test_contribution_create_rejects_bad_input_next_to_the_field(
    login, user, field, value, message
):
    response = login(user).post(reverse("contributions:create"), _form_data(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Contribution.objects.exists()


def test_contribution_create_accepts_the_edges(login, user):
    today = timezone.localdate()
    data = _form_data(date="2000-01-01", quantity="1000000", reach="1000000000", title="abc")
    assert login(user).post(reverse("contributions:create"), data).status_code == 302
    data = _form_data(date=today.isoformat(), url="https://example.com/other", quantity="0")
    assert login(user).post(reverse("contributions:create"), data).status_code == 302
    assert Contribution.objects.count() == 2


def test_contribution_create_rejects_tomorrow_in_the_persons_time_zone(login, user):
    user.timezone = "Pacific/Kiritimati"  # UTC+14: its today is often UTC's tomorrow
    user.save()
    local_today = timezone.now().astimezone(__import__("zoneinfo").ZoneInfo(user.timezone)).date()
    client = login(user)
    ok = client.post(reverse("contributions:create"), _form_data(date=local_today.isoformat()))
    assert ok.status_code == 302
    later = (local_today + timedelta(days=1)).isoformat()
    bad = client.post(reverse("contributions:create"), _form_data(date=later, url=""))
    assert "date" in bad.context["form"].errors


def test_contribution_create_rejects_inactive_area(login, user):
    dotnet = area("dotnet")
    dotnet.is_active = False
    dotnet.save()
    response = login(user).post(reverse("contributions:create"), _form_data())
    assert list(response.context["form"].errors) == ["technology_area"]


def test_contribution_form_refresh_adapts_to_kind_without_saving(login, user):
    talk = kind("talk-conference")
    data = _form_data(kind=talk.pk, role="", refresh="1", title="Keep me")
    response = login(user).post(reverse("contributions:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert [value for value, _label in form.fields["role"].choices] == ["", "speaker", "co_speaker"]
    assert "Attendees" in str(form.fields["reach"].label)
    assert b'value="Keep me"' in response.content
    assert not Contribution.objects.exists()


def test_contribution_form_htmx_refresh_returns_only_the_fields(login, user):
    data = _form_data(kind=kind("talk-conference").pk, refresh="1")
    response = login(user).post(reverse("contributions:create"), data, HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith('<div id="contribution-fields">')
    assert b"<html" not in response.content


@pytest.mark.parametrize("name", ["edit", "duplicate", "delete"])
def test_contribution_pages_of_another_person_are_404(login, make_user, name):
    other = ContributionFactory()
    response = login(make_user()).get(reverse(f"contributions:{name}", args=[other.pk]))
    assert response.status_code == 404


def test_contribution_delete_by_another_person_changes_nothing(login, make_user):
    other = ContributionFactory()
    response = login(make_user()).post(reverse("contributions:delete", args=[other.pk]))
    assert response.status_code == 404
    assert Contribution.objects.filter(pk=other.pk).exists()


def test_contribution_delete_get_asks_and_post_deletes(login, user):
    own = ContributionFactory(contributor=user.contributor)
    client = login(user)
    assert client.get(reverse("contributions:delete", args=[own.pk])).status_code == 200
    assert Contribution.objects.filter(pk=own.pk).exists()
    assert client.post(reverse("contributions:delete", args=[own.pk])).status_code == 302
    assert not Contribution.objects.filter(pk=own.pk).exists()


def test_contribution_edit_updates_own(login, user):
    own = ContributionFactory(contributor=user.contributor)
    login(user).post(reverse("contributions:edit", args=[own.pk]), _form_data(title="Changed"))
    own.refresh_from_db()
    assert own.title == "Changed"


def test_contribution_duplicate_prefills_a_new_form(login, user):
    own = ContributionFactory(contributor=user.contributor, title="Talk again")
    response = login(user).get(reverse("contributions:duplicate", args=[own.pk]))
    form = response.context["form"]
    assert form.initial["title"] == "Talk again"
    assert form.instance.pk is None
    assert f'action="{reverse("contributions:create")}"' in response.content.decode()


def _make_log(contributor, n, start=date(2025, 1, 1)):
    ContributionFactory.create_batch(n, contributor=contributor, date=start)


def test_contribution_list_query_count_does_not_grow(login, user, django_assert_num_queries):
    client = login(user)
    _make_log(user.contributor, 3)
    url = reverse("contributions:list") + "?sort=reach&dir=asc&pillar=advocacy"
    client.get(url)  # warm caches (session, content types)
    with django_assert_num_queries(8) as first:
        client.get(url)
    _make_log(user.contributor, 60)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].items) == 25


def test_contribution_list_keyset_pages_cover_every_row_once(login, user):
    _make_log(user.contributor, 30)
    client = login(user)
    seen = []
    url = reverse("contributions:list") + "?sort=title&dir=asc"
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [c.pk for c in page.items]
        url = (
            reverse("contributions:list") + "?" + response.context["next_page_query"]
            if page.next_cursor
            else None
        )
    assert sorted(seen) == sorted(Contribution.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 30


def test_contribution_list_filters_and_shows_only_own(login, user):
    ContributionFactory(contributor=user.contributor, title="Mine public")
    ContributionFactory(
        contributor=user.contributor, title="Mine private", visibility=Visibility.PRIVATE
    )
    ContributionFactory(title="Someone else")
    response = login(user).get(reverse("contributions:list") + "?visibility=private")
    assert [c.title for c in response.context["page"].items] == ["Mine private"]


def test_contribution_list_bad_cursor_starts_over(login, user):
    _make_log(user.contributor, 2)
    response = login(user).get(reverse("contributions:list") + "?after=%%%garbage")
    assert response.status_code == 200
    assert len(response.context["page"].items) == 2


# Public profile ----------------------------------------------------------------------------


def test_public_profile_of_a_private_profile_is_404_to_others(client, make_user):
    owner = ContributorFactory(is_public=False)
    assert (
        client.get(reverse("contributions:public_profile", args=[owner.handle])).status_code == 404
    )
    client.force_login(make_user())
    assert (
        client.get(reverse("contributions:public_profile", args=[owner.handle])).status_code == 404
    )


def test_public_profile_owner_and_staff_may_preview(login, staff):
    owner = ContributorFactory(is_public=False)
    url = reverse("contributions:public_profile", args=[owner.handle])
    assert login(owner.user).get(url).status_code == 200
    assert login(staff).get(url).status_code == 200


def test_public_profile_shows_public_contributions_only(client):
    owner = ContributorFactory(is_public=True)
    ContributionFactory(contributor=owner, title="Shown to all")
    ContributionFactory(contributor=owner, title="Secret work", visibility=Visibility.PRIVATE)
    response = client.get(reverse("contributions:public_profile", args=[owner.handle]))
    assert response.status_code == 200
    assert b"Shown to all" in response.content
    assert b"Secret work" not in response.content


# Profile ----------------------------------------------------------------------------------


def _profile_data(user, **overrides):
    data = {
        "display_name": "Ada",
        "handle": "ada-l",
        "country": "KR",
        "region": Region.KOREA,
        "languages": "Korean, English",
        "primary_area": area("dotnet").pk,
        "additional_areas": [area("sql-server").pk],
        "employer_category": "independent",
        "employer_name": "",
        "date_of_birth": "1990-05-01",
        "bio": "Hi",
        "links": "https://ada.example\nhttps://github.com/ada",
        "is_public": "on",
        "timezone": "Asia/Seoul",
    }
    data.update(overrides)
    return data


def test_profile_edit_saves_profile_and_time_zone(login, user):
    response = login(user).post(reverse("contributions:profile"), _profile_data(user))
    assert response.status_code == 302
    user.refresh_from_db()
    contributor = user.contributor
    contributor.refresh_from_db()
    assert user.timezone == "Asia/Seoul"
    assert contributor.handle == "ada-l"
    assert contributor.languages == ["Korean", "English"]
    assert contributor.links == ["https://ada.example", "https://github.com/ada"]
    assert [a.slug for a in contributor.additional_areas.all()] == ["sql-server"]
    assert contributor.is_public


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("links", "javascript:alert(1)"),
        ("links", "ftp://files.example"),
        ("timezone", "Mars/Olympus"),
        ("handle", "-bad-"),
    ],
)
def test_profile_edit_rejects_bad_input(login, user, field, value):
    before = user.contributor.handle
    response = login(user).post(
        reverse("contributions:profile"), _profile_data(user, **{field: value})
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    user.contributor.refresh_from_db()
    assert user.contributor.handle == before


def test_profile_edit_marks_ineligible_employer_categories(login, user):
    response = login(user).get(reverse("contributions:profile"))
    assert "Microsoft employee (not eligible for an award)" in response.content.decode()


# Staff --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "region", "subject_region", "allowed"),
    [
        (None, "", Region.APAC, False),
        (Role.REVIEWER, "", Region.APAC, False),
        (Role.STAFF, "", Region.APAC, True),
        (Role.REGIONAL_MANAGER, Region.APAC, Region.APAC, True),
        (Role.REGIONAL_MANAGER, Region.EMEA, Region.APAC, False),
    ],
)
def test_staff_pages_permission_matrix(login, make_user, role, region, subject_region, allowed):
    subject = ContributorFactory(region=subject_region)
    contribution = ContributionFactory(contributor=subject, visibility=Visibility.PRIVATE)
    client = login(make_user(role=role, region=region))
    for name in ("contributor_log", "contributor_window"):
        response = client.get(reverse(f"contributions:{name}", args=[subject.handle]))
        assert response.status_code == (200 if allowed else 404)
    response = client.post(
        reverse("contributions:verify", args=[contribution.pk]), {"verified": "1"}
    )
    assert response.status_code == (302 if allowed else 404)
    contribution.refresh_from_db()
    assert (contribution.verified_at is not None) is allowed


def test_staff_verify_records_who_and_owner_sees_mark(login, staff):
    contribution = ContributionFactory()
    login(staff).post(reverse("contributions:verify", args=[contribution.pk]), {"verified": "1"})
    contribution.refresh_from_db()
    assert contribution.verified_by == staff
    owner_page = login(contribution.contributor.user).get(reverse("contributions:list"))
    assert "Verified" in owner_page.content.decode()
    login(staff).post(reverse("contributions:verify", args=[contribution.pk]), {"verified": "0"})
    contribution.refresh_from_db()
    assert contribution.verified_at is None
    assert contribution.verified_by is None


def test_contributor_list_for_regional_manager_shows_only_region(login, regional_manager):
    ContributorFactory(region=Region.APAC, display_name="In region")
    ContributorFactory(region=Region.EMEA, display_name="Elsewhere")
    response = login(regional_manager).get(reverse("contributions:contributors"))
    names = [c.display_name for c in response.context["page"].items]
    assert "In region" in names
    assert "Elsewhere" not in names


def test_contributor_list_is_404_for_contributors(login, user):
    assert login(user).get(reverse("contributions:contributors")).status_code == 404


def test_nav_items_add_contributors_for_staff_only(login, user, staff):
    assert "/contributors/" not in login(user).get("/").content.decode()
    assert "/contributors/" in login(staff).get("/").content.decode()


def test_profile_edit_rejects_a_handle_taken_in_another_case(login, user):
    ContributorFactory(handle="taken")
    response = login(user).post(
        reverse("contributions:profile"), _profile_data(user, handle="TAKEN")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["handle"]


def test_public_profile_pages_never_show_private_and_keep_query_count(
    client, django_assert_num_queries
):
    owner = ContributorFactory(is_public=True, primary_area=area("dotnet"))
    owner.additional_areas.add(area("sql-server"))
    ContributionFactory.create_batch(3, contributor=owner)
    url = reverse("contributions:public_profile", args=[owner.handle])
    client.get(url)
    with django_assert_num_queries(4) as first:
        client.get(url)
    ContributionFactory.create_batch(30, contributor=owner, date=date(2025, 5, 5))
    ContributionFactory.create_batch(
        5, contributor=owner, date=date(2025, 1, 1), visibility=Visibility.PRIVATE
    )
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    seen = [c.pk for c in response.context["page"].items]
    after = response.context["page"].next_cursor
    seen += [c.pk for c in client.get(url, {"after": after}).context["page"].items]
    assert sorted(seen) == sorted(owner.contributions.public().values_list("pk", flat=True))


def test_staff_log_query_count_is_constant(login, staff, django_assert_num_queries):
    subject = ContributorFactory()
    ContributionFactory.create_batch(2, contributor=subject)
    client = login(staff)
    url = reverse("contributions:contributor_log", args=[subject.handle])
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)
    ContributionFactory.create_batch(40, contributor=subject)
    verified = ContributionFactory(contributor=subject, date=date(2026, 2, 1))
    client.post(reverse("contributions:verify", args=[verified.pk]), {"verified": "1"})
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.context["can_verify"]
