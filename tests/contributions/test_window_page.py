from datetime import date

import pytest
from django.urls import reverse

from tests.factories.contributions import ContributionFactory, area, kind

pytestmark = pytest.mark.django_db


def test_window_page_totals_for_an_as_of_date(login, user):
    contributor = user.contributor
    contributor.primary_area = area("dotnet")
    contributor.save()
    ContributionFactory(contributor=contributor, date=date(2025, 3, 1), quantity=2, reach=50)
    ContributionFactory(
        contributor=contributor, date=date(2025, 2, 28), kind=kind("forum-answers-microsoft")
    )  # outside (2025-02-28, 2026-02-28]
    ContributionFactory(
        contributor=contributor,
        date=date(2026, 2, 28),
        kind=kind("product-feedback"),
        technology_area=area("sql-server"),
        quantity=3,
        reach=0,
    )
    response = login(user).get(reverse("contributions:window") + "?as_of=2026-02-28")
    assert response.status_code == 200
    ctx = response.context
    assert ctx["summary"].total == 2
    assert ctx["summary"].quantity == 5
    assert ctx["summary"].reach == 50
    assert dict(ctx["by_pillar"]) == {"Advocacy": 1, "Support": 0, "Feedback": 1}
    assert dict(ctx["by_area"]) == {
        "Developer Technologies › .NET": 1,
        "Data Platform › SQL Server": 1,
    }
    assert ctx["focus_percent"] == 50
    assert len(ctx["by_month"]) == 12
    assert [(item.date, item.leaves_on) for item in ctx["summary"].leaving] == [
        (date(2025, 3, 1), date(2026, 3, 1))
    ]
    assert ctx["chart"]["counts"][0] == 1  # March 2025
    assert b'id="window-chart-data"' in response.content
    assert b'id="month-table"' in response.content


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "1800-01-01", "9999-12-31"])
def test_window_page_bad_as_of_shows_form_error(login, user, bad):
    response = login(user).get(reverse("contributions:window"), {"as_of": bad})
    assert response.status_code == 200
    assert "as_of" in response.context["form"].errors


def test_window_page_query_count_is_constant(login, user, django_assert_num_queries):
    client = login(user)
    url = reverse("contributions:window") + "?as_of=2026-02-28"
    ContributionFactory(contributor=user.contributor, date=date(2025, 6, 1))
    client.get(url)
    with django_assert_num_queries(11) as first:
        client.get(url)
    for month in range(1, 13):
        ContributionFactory.create_batch(
            3,
            contributor=user.contributor,
            date=date(2025 if month > 2 else 2026, month, 10),
            technology_area=area("sql-server" if month % 2 else "dotnet"),
        )
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.context["summary"].total == 37


def test_window_page_default_is_today_in_persons_time_zone(login, user):
    from django.utils import timezone

    user.timezone = "Asia/Seoul"
    user.save()
    response = login(user).get(reverse("contributions:window"))
    assert response.context["as_of"] == timezone.localdate(
        timezone=__import__("zoneinfo").ZoneInfo("Asia/Seoul")
    )


def test_persons_time_zone_ends_with_their_request(login, user):
    """The zone is the request's: after it, code in the same thread (a later test, a job)
    takes today in the server's zone, not in the last visitor's."""
    from django.utils import timezone

    user.timezone = "Pacific/Kiritimati"  # UTC+14: a different date for most of the day
    user.save()
    response = login(user).get(reverse("contributions:window"))
    assert response.context["as_of"] == timezone.localdate(
        timezone=__import__("zoneinfo").ZoneInfo("Pacific/Kiritimati")
    )
    assert timezone.get_current_timezone_name() == timezone.get_default_timezone_name()


def test_window_page_of_others_is_404(login, make_user):
    other = make_user()
    response = login(make_user()).get(
        reverse("contributions:contributor_window", args=[other.contributor.handle])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("as_of", "counted", "first_day"),
    [
        ("2025-02-28", 2, "2024-02-29"),  # the leap day is still inside
        ("2025-03-01", 1, "2024-03-02"),  # and leaves the day after
        ("2024-02-29", 2, "2023-03-01"),  # as of the leap day itself
    ],
)
def test_window_page_edges_around_a_leap_day(login, user, as_of, counted, first_day):
    ContributionFactory(contributor=user.contributor, date=date(2024, 2, 29))
    ContributionFactory(contributor=user.contributor, date=date(2024, 2, 28))
    ContributionFactory(contributor=user.contributor, date=date(2025, 2, 27))
    ContributionFactory(contributor=user.contributor, date=date(2025, 3, 2))  # after every as-of
    response = login(user).get(reverse("contributions:window"), {"as_of": as_of})
    summary = response.context["summary"]
    assert summary.window.first_day.isoformat() == first_day
    in_window = [
        d for d in (date(2024, 2, 29), date(2024, 2, 28), date(2025, 2, 27)) if d in summary.window
    ]
    assert summary.total == len(in_window) == counted
