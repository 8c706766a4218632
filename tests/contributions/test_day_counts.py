"""``ContributionDayCount`` stays exactly the log's per-day, per-region counts on every path
that writes contributions or a contributor's region (database triggers, migration 0005)."""

import json
from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse

from accounts.enums import Region
from api.services import issue_token
from contributions.models import Contribution, ContributionDayCount, Contributor, PendingImport
from contributions.services import (
    delete_contribution,
    record_contribution,
    update_contribution,
    update_profile,
)
from tests.factories.contributions import ContributionFactory, area, kind
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "kind,technology_area,title,date,url,description,role,quantity,reach,visibility\n"


def from_the_log() -> dict[tuple[date, str], int]:
    rows = (
        Contribution.objects.order_by()
        .values_list("date", "contributor__region")
        .annotate(n=Count("pk"))
    )
    return {(day, region): n for day, region, n in rows}


def kept() -> dict[tuple[date, str], int]:
    return {
        (row.day, row.region): row.contributions
        for row in ContributionDayCount.objects.filter(contributions__gt=0)
    }


def assert_exact() -> None:
    assert kept() == from_the_log()
    assert not ContributionDayCount.objects.filter(contributions__lt=0).exists()


@pytest.fixture
def person():
    user = UserFactory()
    user.contributor.region = Region.EMEA
    user.contributor.save()
    return user


def test_day_counts_follow_the_services(person):
    contributor = person.contributor
    first = record_contribution(
        contributor=contributor,
        kind=kind("blog-post"),
        technology_area=area("dotnet"),
        title="First post",
        date=date(2026, 1, 10),
        quantity=1,
    )
    record_contribution(
        contributor=contributor,
        kind=kind("blog-post"),
        technology_area=area("dotnet"),
        title="Second post",
        date=date(2026, 1, 10),
        quantity=1,
    )
    assert kept() == {(date(2026, 1, 10), Region.EMEA): 2}
    update_contribution(contribution=first, date=date(2026, 2, 3))
    assert kept() == {(date(2026, 1, 10), Region.EMEA): 1, (date(2026, 2, 3), Region.EMEA): 1}
    update_contribution(contribution=first, title="Renamed, same day")
    assert_exact()
    delete_contribution(contribution=first)
    assert kept() == {(date(2026, 1, 10), Region.EMEA): 1}
    assert_exact()


def test_day_counts_follow_a_change_of_region(person):
    ContributionFactory.create_batch(3, contributor=person.contributor, date=date(2026, 3, 1))
    ContributionFactory(contributor=person.contributor, date=date(2026, 4, 1))
    other = UserFactory()
    other.contributor.region = Region.APAC
    other.contributor.save()
    ContributionFactory(contributor=other.contributor, date=date(2026, 3, 1))
    update_profile(
        contributor=person.contributor,
        timezone_name="UTC",
        additional_areas=[],
        region=Region.APAC,
    )
    assert kept() == {(date(2026, 3, 1), Region.APAC): 4, (date(2026, 4, 1), Region.APAC): 1}
    Contributor.objects.filter(pk=other.contributor.pk).update(region="")  # a bulk update too
    assert_exact()


def test_day_counts_follow_bulk_writes_and_cascades(person):
    Contribution.objects.bulk_create(
        ContributionFactory.build(contributor=person.contributor, date=date(2026, 5, day))
        for day in (1, 1, 2)
    )
    assert kept() == {(date(2026, 5, 1), Region.EMEA): 2, (date(2026, 5, 2), Region.EMEA): 1}
    Contribution.objects.filter(date=date(2026, 5, 1)).update(date=date(2026, 5, 9))
    assert_exact()
    person.delete()  # the account, its profile and its log
    assert kept() == {}
    assert_exact()


def test_day_counts_follow_the_csv_import(client, person):
    client.force_login(person)
    text = HEADER + (
        "blog-post,dotnet,Good one,2025-06-01,https://example.com/a,,author,1,10,public\n"
        "talk-user-group,azure,Good two,2025-06-01,,,speaker,2,30,private\n"
        "blog-post,dotnet,Good three,2025-07-01,https://example.com/c,,author,1,10,public\n"
    )
    client.post(
        reverse("contributions:import"),
        {"file": SimpleUploadedFile("log.csv", text.encode(), "text/csv")},
    )
    assert kept() == {}  # the preview writes nothing
    token = PendingImport.objects.get().token
    client.post(reverse("contributions:import_confirm"), {"token": token})
    assert kept() == {(date(2025, 6, 1), Region.EMEA): 2, (date(2025, 7, 1), Region.EMEA): 1}


def test_day_counts_follow_the_api(client, person):
    _token, secret = issue_token(user=person, name="tests")
    headers = {"Authorization": f"Bearer {secret}"}
    body = {
        "kind": "blog-post",
        "technology_area": "dotnet",
        "title": "Span<T> in depth",
        "date": "2026-01-10",
        "visibility": "public",
    }
    created = client.post(
        "/api/v1/contributions", json.dumps(body), "application/json", headers=headers
    )
    assert created.status_code == 201, created.content
    path = f"/api/v1/contributions/{created.json()['id']}"
    assert kept() == {(date(2026, 1, 10), Region.EMEA): 1}
    patched = client.patch(
        path, json.dumps({"date": "2026-01-12"}), "application/json", headers=headers
    )
    assert patched.status_code == 200, patched.content
    assert kept() == {(date(2026, 1, 12), Region.EMEA): 1}
    assert client.delete(path, headers=headers).status_code == 204
    assert kept() == {}


def test_day_counts_follow_the_admin(rf: RequestFactory, person):
    staff = UserFactory(is_staff=True, is_superuser=True)
    contribution = ContributionFactory(contributor=person.contributor, date=date(2026, 6, 1))
    admin = site._registry[Contribution]
    request = rf.post("/")
    request.user = staff
    admin.delete_queryset(request, Contribution.objects.filter(pk=contribution.pk))
    assert kept() == {}
    assert_exact()
