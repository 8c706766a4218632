"""Program metrics (nominations.metrics) read from the kept counts equal counting the rows."""

import random
from datetime import date, timedelta

import pytest
from django.db.models import Count

from accounts.enums import Region, Role
from awards.enums import AwardKind, AwardStatus
from awards.jobs import expire_mvp_terms
from awards.models import Award
from awards.services import renew_award
from contributions.models import Contributor, TechnologyArea
from nominations.metrics import program_metrics
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import make_privileged

pytestmark = pytest.mark.django_db


METRICS_AS_OF = date(2026, 6, 30)
COUNTRIES = ["DE", "JP", "KR", "US", "IN", ""]


def _random_world(rng: random.Random) -> None:
    """People in random regions and countries holding MVP awards and MCC statuses in force,
    ended, revoked or not yet started; then some people move, one award changes hands, some
    terms are renewed ahead and the expiry job runs a month late, so active awards remain
    whose term has ended or not begun on METRICS_AS_OF."""
    categories = list(TechnologyArea.objects.filter(parent__isnull=True))
    regions = [*Region.values, ""]
    people = [
        ContributorFactory(region=rng.choice(regions), country=rng.choice(COUNTRIES))
        for _ in range(40)
    ]
    awards = []
    for n, person in enumerate(people):
        for category in rng.sample(categories, rng.randrange(0, 4)):
            starts_on = METRICS_AS_OF - timedelta(days=rng.randrange(-40, 420))
            status = rng.choice(
                [*[AwardStatus.ACTIVE] * 3, AwardStatus.EXPIRED, AwardStatus.REVOKED]
            )
            awards.append(
                Award(
                    contributor=person,
                    kind=AwardKind.MVP,
                    technology_area=category,
                    status=status,
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=364),
                    revoked_reason="Breach of the code of conduct"
                    if status == AwardStatus.REVOKED
                    else "",
                    certificate_code=f"world-{n}-{category.pk}",
                )
            )
        if rng.random() < 0.4:
            starts_on = METRICS_AS_OF - timedelta(days=rng.randrange(0, 120))
            awards.append(
                Award(
                    contributor=person,
                    kind=AwardKind.MCC,
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=89),
                    certificate_code=f"world-{n}-mcc",
                )
            )
    Award.objects.bulk_create(awards)
    for person in rng.sample(people, 6):  # through the ORM and as a bulk update
        person.region, person.country = rng.choice(regions), rng.choice(COUNTRIES)
        person.save()
    Contributor.objects.filter(pk__in=[p.pk for p in rng.sample(people, 4)]).update(
        region=rng.choice(regions), country=rng.choice(COUNTRIES)
    )
    heir = ContributorFactory(region=rng.choice(regions), country=rng.choice(COUNTRIES))
    Award.objects.filter(pk=rng.choice(awards).pk).update(contributor=heir)
    due = Award.objects.filter(kind=AwardKind.MVP, status=AwardStatus.ACTIVE)
    for award in rng.sample(list(due.filter(ends_on__gte=METRICS_AS_OF)), 5):
        renew_award(award_id=award.pk, actor=None)
    expire_mvp_terms(as_of=METRICS_AS_OF - timedelta(days=30))
    for category in rng.sample(categories, 2):  # ended last week, the job a month behind
        make_award(
            contributor=ContributorFactory(region=rng.choice(regions), country="US"),
            area_slug=category.slug,
            starts_on=METRICS_AS_OF - timedelta(days=370),
        )


def _joined(awards, field):
    """A grouped count as the page made it before awards carried their holder's values."""
    return tuple(awards.order_by().values_list(field).annotate(n=Count("pk")).order_by("-n", field))


def _expected(region: str | None):
    awards = Award.objects.filter(
        kind=AwardKind.MVP,
        status=AwardStatus.ACTIVE,
        starts_on__lte=METRICS_AS_OF,
        ends_on__gte=METRICS_AS_OF,
    )
    if region:
        awards = awards.filter(contributor__region=region)
    labels = dict(Region.choices)
    return (
        tuple((str(labels.get(k, k or "—")), n) for k, n in _joined(awards, "contributor__region")),
        _joined(awards, "technology_area__name"),
        tuple((k or "—", n) for k, n in _joined(awards, "contributor__country")),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_program_metrics_award_counts_equal_counts_joined_to_contributors(seed, program_staff):
    _random_world(random.Random(seed))
    viewers = [(program_staff, None)] + [
        (make_privileged(role=Role.REGIONAL_MANAGER, region=region), region)
        for region in Region.values
    ]
    for user, region in viewers:
        metrics = program_metrics(user=user, as_of=METRICS_AS_OF)
        expected = _expected(region)
        assert (metrics.awards_by_region, metrics.awards_by_area, metrics.awards_by_country) == (
            expected
        )
    assert sum(n for _label, n in _expected(None)[0])  # the world has awards in force
    active = Award.objects.filter(kind=AwardKind.MVP, status=AwardStatus.ACTIVE)
    assert active.filter(ends_on__lt=METRICS_AS_OF).exists()  # the job has not run yet
    assert active.filter(starts_on__gt=METRICS_AS_OF, renewed_from__isnull=False).exists()


def test_program_metrics_award_counts_skip_the_contributors_table(
    program_staff, region_manager, django_assert_num_queries
):
    make_award(contributor=ContributorFactory(region=Region.APAC, country="SG"))
    for user in (program_staff, region_manager):
        program_metrics(user=user, as_of=METRICS_AS_OF)  # the user's roles, read once
        with django_assert_num_queries(4) as captured:
            metrics = program_metrics(user=user, as_of=METRICS_AS_OF)
        assert metrics.awards_by_region == (("Asia Pacific", 1),)
        assert metrics.awards_by_country == (("SG", 1),)
        assert not [q["sql"] for q in captured if '"contributions_contributor"' in q["sql"]]


def test_program_metrics_award_counts_skip_the_awards_in_force(
    program_staff, region_manager, django_assert_num_queries
):
    """The kept counts give the active awards; the awards table is read only for the few
    active ones whose term has ended or not begun (two partial-index ranges)."""
    make_award(contributor=ContributorFactory(region=Region.APAC, country="SG"))
    for user in (program_staff, region_manager):
        program_metrics(user=user, as_of=METRICS_AS_OF)  # the user's roles, read once
        with django_assert_num_queries(4) as captured:
            program_metrics(user=user, as_of=METRICS_AS_OF)
        sql = [q["sql"] for q in captured]
        assert len([q for q in sql if '"awards_activeawardcount"' in q]) == 1
        (award_read,) = [q for q in sql if 'FROM "awards_award"' in q]
        assert '"awards_award"."ends_on" < ' in award_read
        assert '"awards_award"."starts_on" > ' in award_read


def test_program_metrics_award_counts_drop_groups_not_in_force(program_staff):
    """A group whose active awards are all out of their term on the day is not shown."""
    holder = ContributorFactory(region=Region.JAPAN, country="JP")
    make_award(contributor=holder, area_slug="azure", starts_on=date(2025, 1, 1))  # ended
    make_award(contributor=holder, area_slug="data-platform", starts_on=date(2026, 8, 1))
    make_award(contributor=ContributorFactory(region=Region.APAC, country="SG"))
    metrics = program_metrics(user=program_staff, as_of=METRICS_AS_OF)
    assert metrics.awards_by_region == (("Asia Pacific", 1),)
    assert metrics.awards_by_country == (("SG", 1),)
    assert len(metrics.awards_by_area) == 1
