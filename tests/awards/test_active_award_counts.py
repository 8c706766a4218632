"""``ActiveAwardCount`` stays exactly the active awards' count per kind, holder region and
country and area on every path that writes an award or a holder's region or country (database
triggers, awards migration 0007), on PostgreSQL and SQLite."""

import random
from datetime import date
from importlib import import_module

import pytest
from django.db import connection
from django.db.models import Count

from accounts.enums import Region
from awards.enums import AwardKind, AwardStatus
from awards.jobs import expire_mvp_terms
from awards.models import ActiveAwardCount, Award
from awards.services import renew_award, revoke_award
from contributions.models import Contributor
from contributions.services import update_profile
from tests.awards.test_award_holder import insert_raw
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory, area
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

BACKFILL = import_module("awards.migrations.0007_active_award_count_triggers").BACKFILL

MVP, MCC = AwardKind.MVP, AwardKind.MCC


def from_the_awards() -> dict[tuple, int]:
    """Grouped on the holders' own values: the counts must follow their final region and
    country, not only the award's copies."""
    rows = (
        Award.objects.filter(status=AwardStatus.ACTIVE)
        .order_by()
        .values_list("kind", "contributor__region", "contributor__country", "technology_area")
        .annotate(n=Count("pk"))
    )
    return {(kind, region, country, area_id or 0): n for kind, region, country, area_id, n in rows}


def kept() -> dict[tuple, int]:
    return {
        (row.kind, row.region, row.country, row.technology_area_id): row.n
        for row in ActiveAwardCount.objects.filter(n__gt=0)
    }


def assert_exact() -> None:
    assert kept() == from_the_awards()
    assert not ActiveAwardCount.objects.filter(n__lt=0).exists()


@pytest.fixture
def holder():
    return ContributorFactory(region=Region.EMEA, country="DE")


def test_active_award_counts_follow_grants_of_both_kinds(holder):
    make_award(contributor=holder, area_slug="azure")
    make_award(contributor=holder, area_slug="developer-technologies")
    make_award(contributor=holder, kind=MCC)
    azure, devtech = area("azure").pk, area("developer-technologies").pk
    assert kept() == {
        (MVP, Region.EMEA, "DE", azure): 1,
        (MVP, Region.EMEA, "DE", devtech): 1,
        (MCC, Region.EMEA, "DE", 0): 1,
    }
    assert_exact()


def test_active_award_counts_follow_a_renewal_and_a_revocation(holder, staff):
    award = make_award(contributor=holder, area_slug="azure")
    renewal = renew_award(award_id=award.pk, actor=staff)
    assert kept() == {(MVP, Region.EMEA, "DE", area("azure").pk): 2}
    revoke_award(award_id=renewal.pk, actor=staff, reason="Breach of the code")
    assert kept() == {(MVP, Region.EMEA, "DE", area("azure").pk): 1}
    assert_exact()


def test_active_award_counts_follow_the_expiry_job(holder):
    ended = make_award(contributor=holder, starts_on=date(2025, 1, 1))
    make_award(contributor=holder, area_slug="azure", starts_on=date(2026, 1, 1))
    assert expire_mvp_terms(as_of=date(2026, 1, 2)) == {"mvp_expired": 1}
    assert Award.objects.get(pk=ended.pk).status == AwardStatus.EXPIRED
    assert kept() == {(MVP, Region.EMEA, "DE", area("azure").pk): 1}
    assert_exact()


def test_active_award_counts_follow_queryset_updates(holder):
    award = make_award(contributor=holder, area_slug="azure")
    make_award(contributor=holder, kind=MCC)
    Award.objects.filter(kind=MCC).update(status=AwardStatus.EXPIRED)
    assert kept() == {(MVP, Region.EMEA, "DE", area("azure").pk): 1}
    Award.objects.filter(pk=award.pk).update(technology_area=area("data-platform"))
    assert kept() == {(MVP, Region.EMEA, "DE", area("data-platform").pk): 1}
    Award.objects.update(status=AwardStatus.ACTIVE)
    assert_exact()
    Award.objects.filter(pk=award.pk).update(starts_on=date(2026, 2, 1))  # not counted
    assert_exact()


def test_active_award_counts_follow_the_holder(holder):
    first = make_award(contributor=holder, area_slug="azure")
    make_award(contributor=holder, kind=MCC)
    make_award(contributor=ContributorFactory(region=Region.INDIA, country="IN"))
    update_profile(contributor=holder, timezone_name="UTC", additional_areas=[], region=Region.APAC)
    assert_exact()
    holder.country = "SG"
    holder.save(update_fields=["country"])
    assert_exact()
    Contributor.objects.update(region="", country="BR")
    assert_exact()
    heir = ContributorFactory(region=Region.KOREA, country="KR")
    Award.objects.filter(pk=first.pk).update(contributor=heir)  # the holder's values follow
    assert kept()[(MVP, Region.KOREA, "KR", area("azure").pk)] == 1
    assert_exact()
    first.refresh_from_db()
    Contributor.objects.filter(pk=heir.pk).update(region=Region.JAPAN)
    first.save()  # a full save writes the stale copy (Korea) back; the holder's wins
    assert kept()[(MVP, Region.JAPAN, "KR", area("azure").pk)] == 1
    assert_exact()


def test_active_award_counts_follow_deletes(holder):
    award = make_award(contributor=holder, area_slug="azure")
    make_award(contributor=holder, kind=MCC)
    award.events.all().delete()
    award.delete()
    assert kept() == {(MCC, Region.EMEA, "DE", 0): 1}
    Award.objects.all().delete()
    assert kept() == {}
    assert_exact()


def test_active_award_counts_follow_raw_inserts(holder):
    insert_raw(holder.pk, area_slug="azure")
    insert_raw(holder.pk, area_slug="data-platform", region_and_country=(Region.KOREA, "KR"))
    assert kept() == {
        (MVP, Region.EMEA, "DE", area("azure").pk): 1,
        (MVP, Region.EMEA, "DE", area("data-platform").pk): 1,
    }
    assert_exact()


def test_active_award_counts_follow_a_contributor_inserted_later():
    """Foreign keys are checked at commit, so a load may write an award before its holder."""
    user = UserFactory()
    pk = user.contributor.pk
    user.contributor.delete()
    insert_raw(pk)
    assert kept() == {(MVP, "", "", area("azure").pk): 1}
    Contributor.objects.create(
        pk=pk, user=user, handle="late", display_name="Late", region=Region.JAPAN, country="JP"
    )
    assert kept() == {(MVP, Region.JAPAN, "JP", area("azure").pk): 1}
    assert_exact()


@pytest.mark.parametrize("seed", [1, 2])
def test_active_award_counts_exact_after_random_writes(seed, staff):
    rng = random.Random(seed)
    regions, countries = [*Region.values, ""], ["DE", "JP", "US", ""]
    people = [
        ContributorFactory(region=rng.choice(regions), country=rng.choice(countries))
        for _ in range(12)
    ]
    slugs = ["azure", "developer-technologies", "data-platform"]
    awards = []
    for person in people:
        for slug in rng.sample(slugs, rng.randrange(0, 3)):
            awards.append(make_award(contributor=person, area_slug=slug))
        if rng.random() < 0.5:
            awards.append(make_award(contributor=person, kind=MCC))
    for award in rng.sample(awards, 6):
        if award.kind == MVP and rng.random() < 0.5:
            awards.append(renew_award(award_id=award.pk, actor=staff))
        else:
            revoke_award(award_id=award.pk, actor=staff, reason="Code of conduct")
    for person in rng.sample(people, 4):
        person.region, person.country = rng.choice(regions), rng.choice(countries)
        person.save()
    expire_mvp_terms(as_of=date(2027, 1, 1))
    assert_exact()
    with connection.cursor() as cursor:  # the migration's own recount agrees
        for statement in BACKFILL:
            cursor.execute(statement)
    assert_exact()
    assert sum(kept().values()) == Award.objects.filter(status=AwardStatus.ACTIVE).count() > 0


def test_active_award_counts_include_terms_not_in_force(holder):
    """The summary counts active awards whatever their term; the page subtracts the ones not
    in force on its day."""
    make_award(contributor=holder, area_slug="azure", starts_on=date(2024, 1, 1))
    make_award(contributor=holder, area_slug="azure", starts_on=date(2030, 1, 1))
    assert kept() == {(MVP, Region.EMEA, "DE", area("azure").pk): 2}
