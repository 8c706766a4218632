"""An award's ``region`` and ``country`` stay exactly its contributor's on every path that
writes awards or a contributor's region or country (database triggers, awards migration 0005)."""

import threading
import time
from datetime import date
from importlib import import_module

import pytest
from django.db import connection

from accounts.enums import Region
from awards.models import Award
from contributions.models import ContributionKind, Contributor, TechnologyArea
from contributions.services import update_profile
from contributions.vocabularies import load_vocabularies
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory, area
from tests.factories.users import UserFactory
from tests.reliability.faults import needs_postgresql, raw_connection

pytestmark = pytest.mark.django_db

BACKFILL = import_module("awards.migrations.0005_award_holder_triggers").BACKFILL


def stored(award: Award) -> tuple[str, str]:
    return Award.objects.values_list("region", "country").get(pk=award.pk)


def assert_exact() -> None:
    """Every award holds its contributor's values (compared through a join)."""
    rows = Award.objects.values_list(
        "region", "country", "contributor__region", "contributor__country"
    )
    assert [row[:2] for row in rows] == [row[2:] for row in rows]


def unsaved_award(contributor, *, area_slug="azure", starts_on=date(2026, 1, 1)) -> Award:
    return Award(
        contributor=contributor,
        kind="mvp",
        technology_area=area(area_slug),
        starts_on=starts_on,
        ends_on=date(starts_on.year, 12, 31),
    )


def raw_insert(contributor_id: int, *, area_slug="azure", region_and_country=None):
    """An award written by SQL, as an import script would; optionally naming its own values."""
    columns = "contributor_id, kind, technology_area_id, status, starts_on, ends_on, granted_at, "
    columns += "certificate_code, revoked_reason"
    values = [contributor_id, "mvp", area(area_slug).pk, "active", date(2026, 1, 1)]
    values += [date(2026, 12, 31), date(2026, 1, 1), f"raw-{contributor_id}-{area_slug}", ""]
    if region_and_country:
        columns += ", region, country"
        values += list(region_and_country)
    placeholders = ", ".join(["%s"] * len(values))
    return f"INSERT INTO awards_award ({columns}) VALUES ({placeholders})", values  # noqa: S608


def insert_raw(contributor_id: int, **options) -> int:
    with connection.cursor() as cursor:
        cursor.execute(*raw_insert(contributor_id, **options))
        cursor.execute("SELECT max(id) FROM awards_award")
        return cursor.fetchone()[0]


@pytest.fixture
def holder():
    return ContributorFactory(region=Region.EMEA, country="DE")


def test_award_holder_copied_on_a_grant(holder):
    award = make_award(contributor=holder)
    assert stored(award) == (Region.EMEA, "DE")
    if connection.vendor == "postgresql":  # the insert returns the trigger's values
        assert (award.region, award.country) == (Region.EMEA, "DE")


def test_award_holder_copied_on_bulk_create(holder):
    other = ContributorFactory(region=Region.JAPAN, country="JP")
    Award.objects.bulk_create([unsaved_award(holder), unsaved_award(other)])
    assert sorted(Award.objects.values_list("region", "country")) == [
        (Region.EMEA, "DE"),
        (Region.JAPAN, "JP"),
    ]


def test_award_holder_copied_on_a_raw_insert(holder):
    pk = insert_raw(holder.pk)
    assert Award.objects.values_list("region", "country").get(pk=pk) == (Region.EMEA, "DE")


def test_award_holder_copied_over_values_an_insert_names(holder):
    pk = insert_raw(holder.pk, region_and_country=(Region.KOREA, "KR"))
    assert Award.objects.values_list("region", "country").get(pk=pk) == (Region.EMEA, "DE")


def test_award_holder_follows_a_profile_change(holder):
    first = make_award(contributor=holder, area_slug="azure")
    second = make_award(contributor=holder, area_slug="developer-technologies")
    bystander = make_award(contributor=ContributorFactory(region=Region.INDIA, country="IN"))
    update_profile(contributor=holder, timezone_name="UTC", additional_areas=[], region=Region.APAC)
    assert stored(first) == stored(second) == (Region.APAC, "DE")
    holder.country = "SG"
    holder.save(update_fields=["country"])
    assert stored(first) == stored(second) == (Region.APAC, "SG")
    assert stored(bystander) == (Region.INDIA, "IN")


def test_award_holder_follows_a_bulk_update_of_contributors(holder):
    award = make_award(contributor=holder)
    other = make_award(contributor=ContributorFactory(region=Region.INDIA, country="IN"))
    Contributor.objects.update(region="", country="BR")
    assert stored(award) == stored(other) == ("", "BR")
    assert_exact()


def test_award_holder_follows_a_move_to_another_contributor(holder):
    award = make_award(contributor=holder)
    heir = ContributorFactory(region=Region.KOREA, country="KR")
    Award.objects.filter(pk=award.pk).update(contributor=heir)
    assert stored(award) == (Region.KOREA, "KR")
    award.refresh_from_db()
    Contributor.objects.filter(pk=heir.pk).update(region=Region.JAPAN)
    award.save()  # a full save writes the instance's stale copy (Korea) back
    assert stored(award) == (Region.JAPAN, "KR")


def test_award_holder_filled_by_a_contributor_inserted_later():
    """Foreign keys are checked at commit, so a load may write an award before its holder."""
    user = UserFactory()
    pk = user.contributor.pk
    user.contributor.delete()
    award_pk = insert_raw(pk)
    assert Award.objects.values_list("region", "country").get(pk=award_pk) == ("", "")
    Contributor.objects.create(
        pk=pk,
        user=user,
        handle="late-holder",
        display_name="Late",
        region=Region.JAPAN,
        country="JP",
    )
    assert Award.objects.values_list("region", "country").get(pk=award_pk) == (Region.JAPAN, "JP")


def test_award_holder_unchanged_by_other_writes(holder):
    award = make_award(contributor=holder)
    Contributor.objects.filter(pk=holder.pk).update(display_name="Renamed")
    Award.objects.filter(pk=award.pk).update(status="expired")
    assert stored(award) == (Region.EMEA, "DE")


def test_award_holder_backfill_restores_every_copy(holder):
    make_award(contributor=holder)
    make_award(contributor=ContributorFactory(region=Region.INDIA, country="IN"))
    Award.objects.update(region="", country="")  # as after adding the columns
    with connection.cursor() as cursor:
        for statement in BACKFILL:
            cursor.execute(statement)
    assert sorted(Award.objects.values_list("region", "country")) == [
        (Region.EMEA, "DE"),
        (Region.INDIA, "IN"),
    ]
    assert_exact()


def blocked_by(pid: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_blocking_pids(%s)", [pid])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@needs_postgresql
@pytest.mark.parametrize("first", ["grant", "move"])
def test_award_holder_exact_when_a_grant_races_a_change_of_region(first):
    """Two transactions at once, either first: the award ends with the region committed last.
    The insert trigger's share lock on the contributor makes the later one wait for the earlier
    one to commit (without it, each would miss the other's uncommitted row)."""
    load_vocabularies(TechnologyArea, ContributionKind)  # a transactional test may flush them
    holder = ContributorFactory(region=Region.EMEA, country="DE")
    statements = {
        "grant": raw_insert(holder.pk),
        "move": (
            "UPDATE contributions_contributor SET region = 'apac' WHERE id = %s",
            [holder.pk],
        ),
    }
    second = "move" if first == "grant" else "grant"
    with raw_connection() as earlier, raw_connection() as later:
        earlier.execute(*statements[first])  # its transaction stays open
        later_pid = later.info.backend_pid
        waiting = threading.Thread(
            target=lambda: (later.execute(*statements[second]), later.commit())
        )
        waiting.start()
        deadline = time.monotonic() + 5
        while earlier.info.backend_pid not in blocked_by(later_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        earlier.commit()
        waiting.join(timeout=30)
    assert Award.objects.values_list("region", "country").get() == (Region.APAC, "DE")
