from datetime import date, timedelta

import pytest

from contributions.queries import leaves_window_on, rolling_window, window_summary
from tests.factories.contributions import ContributionFactory, ContributorFactory, area, kind


@pytest.mark.parametrize(
    ("as_of", "start"),
    [
        (date(2026, 11, 22), date(2025, 11, 22)),
        (date(2024, 2, 29), date(2023, 2, 28)),  # leap day: the month end clamps
        (date(2025, 2, 28), date(2024, 2, 28)),  # so 2024-02-29 is still inside
        (date(2026, 3, 31), date(2025, 3, 31)),
        (date(2026, 1, 1), date(2025, 1, 1)),
        (date(2026, 12, 31), date(2025, 12, 31)),
    ],
)
def test_rolling_window_starts_twelve_calendar_months_before(as_of, start):
    window = rolling_window(as_of)
    assert window.start == start
    assert window.first_day > start
    assert start not in window  # the start is exclusive
    assert as_of in window  # the as-of day is inclusive
    assert window.first_day in window


def test_rolling_window_keeps_leap_day_until_first_of_march():
    leap_day = date(2024, 2, 29)
    assert leap_day in rolling_window(date(2025, 2, 28))
    assert leap_day not in rolling_window(date(2025, 3, 1))
    assert leaves_window_on(leap_day) == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("day", "leaves"),
    [
        (date(2025, 11, 23), date(2026, 11, 23)),
        (date(2025, 3, 31), date(2026, 3, 31)),
        (date(2025, 1, 31), date(2026, 1, 31)),
    ],
)
def test_leaves_window_on_is_first_day_outside(day, leaves):
    assert day in rolling_window(leaves - timedelta(days=1))
    assert day not in rolling_window(leaves)
    assert leaves_window_on(day) == leaves


def test_window_months_cover_every_touched_month():
    months = rolling_window(date(2026, 11, 22)).months()
    assert months[0] == date(2025, 11, 1)
    assert months[-1] == date(2026, 11, 1)
    assert len(months) == 13


@pytest.mark.django_db
def test_window_summary_counts_only_inside_window(django_assert_num_queries):
    me = ContributorFactory(primary_area=area("developer-technologies"))
    as_of = date(2026, 6, 30)
    inside = [date(2025, 7, 1), date(2026, 6, 30), date(2026, 1, 15)]
    outside = [date(2025, 6, 30), date(2026, 7, 1)]
    for day in inside + outside:
        ContributionFactory(contributor=me, date=day, quantity=2, reach=10)
    ContributionFactory(
        contributor=me,
        date=date(2026, 2, 1),
        kind=kind("forum-answers-microsoft"),
        technology_area=area("sharepoint"),
        quantity=30,
        reach=500,
    )
    ContributionFactory(date=date(2026, 2, 1))  # someone else's

    with django_assert_num_queries(3):  # cells, leaving, focus areas
        summary = window_summary(contributor=me, as_of=as_of)
        totals = (summary.total, summary.quantity, summary.reach, summary.by_pillar)

    assert totals == (4, 36, 530, {"advocacy": 3, "support": 1, "feedback": 0})
    assert summary.by_area == {area("dotnet").pk: 3, area("sharepoint").pk: 1}
    assert summary.focus_share == 0.75
    dev = summary.totals_for_category(area("developer-technologies").pk)
    assert (dev.count, dev.pillars, dev.active_months) == (3, frozenset({"advocacy"}), 3)
    assert dict(summary.by_month)[date(2026, 1, 1)] == 1
    assert [(c.date, c.leaves_on) for c in summary.leaving] == [
        (date(2025, 7, 1), date(2026, 7, 1))
    ]
