import pytest

from contributions.models import ContributionKind, TechnologyArea
from tests.factories.contributions import kind

pytestmark = pytest.mark.django_db


def all_pages(client, url):
    rows = []
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_kinds_lists_active_kinds_with_pillar(client):
    retired = kind("product-feedback")
    retired.is_active = False
    retired.save()
    rows = all_pages(client, "/api/v1/kinds?limit=5")
    assert [row["slug"] for row in rows] == list(
        ContributionKind.objects.filter(is_active=True)
        .order_by("sort_order", "name", "id")
        .values_list("slug", flat=True)
    )
    blog = next(row for row in rows if row["slug"] == "blog-post")
    assert blog["pillar"] == "advocacy"
    assert "author" in blog["roles"]
    assert set(blog) == {
        "slug",
        "name",
        "pillar",
        "reach_unit",
        "quantity_label",
        "roles",
        "is_forum_activity",
    }


def test_technology_areas_list_parent_slugs(client):
    rows = all_pages(client, "/api/v1/technology-areas?limit=7")
    assert len(rows) == TechnologyArea.objects.filter(is_active=True).count()
    by_slug = {row["slug"]: row for row in rows}
    assert by_slug["dotnet"]["parent"] == "developer-technologies"
    assert by_slug["developer-technologies"]["parent"] is None


def test_vocabulary_page_is_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/api/v1/technology-areas?limit=200")
