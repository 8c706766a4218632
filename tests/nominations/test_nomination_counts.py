"""``NominationCount`` stays exactly the nominations' per-status, per-region counts on every
path that writes a nomination (database triggers, migration 0005)."""

import datetime
from importlib import import_module

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory

from contributions.enums import Region
from mvptracker.ops.jobs import run_daily_jobs
from nominations.enums import NominationSource, NominationStatus
from nominations.models import Nomination, NominationCount
from nominations.workflow import (
    accept_invitation,
    create_nomination,
    expire_overdue_nominations,
    transition_nomination,
    withdraw_nomination,
)
from tests.factories.contributions import area
from tests.factories.nominations import AS_OF, make_nomination
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

BACKFILL = import_module("nominations.migrations.0005_nomination_count_triggers").BACKFILL

S = NominationStatus
AFTER_DUE = datetime.date(2026, 6, 3)  # AS_OF's nominations are past their decision date


def from_the_nominations(nominations=None) -> dict[tuple[str, str], int]:
    rows = (
        (Nomination.objects.all() if nominations is None else nominations)
        .order_by()
        .values_list("status", "region")
        .annotate(total=Count("pk"))
    )
    return {(status, region): n for status, region, n in rows}


def kept() -> dict[tuple[str, str], int]:
    return {(row.status, row.region): row.n for row in NominationCount.objects.filter(n__gt=0)}


def assert_exact() -> None:
    assert kept() == from_the_nominations()
    assert not NominationCount.objects.filter(n__lt=0).exists()


def nominate(region: str, **kwargs) -> Nomination:
    return make_nomination(region=region, **kwargs)


def test_nomination_counts_follow_the_workflow(program_staff, mvp):
    first = nominate(Region.APAC, nominated_by=mvp)
    second = nominate(Region.APAC, nominated_by=mvp, area_slug="data-platform")
    third = nominate(Region.EMEA, nominated_by=mvp)
    assert kept() == {(S.SUBMITTED, Region.APAC): 2, (S.SUBMITTED, Region.EMEA): 1}
    transition_nomination(
        nomination_id=first.pk, to_status=S.IN_REVIEW, actor=program_staff, as_of=AS_OF
    )
    transition_nomination(
        nomination_id=first.pk,
        to_status=S.AWARDED,
        actor=program_staff,
        reason="Outstanding",
        as_of=AS_OF,
    )
    transition_nomination(
        nomination_id=third.pk,
        to_status=S.DECLINED,
        actor=program_staff,
        reason="Not yet",
        as_of=AS_OF,
    )
    withdraw_nomination(nomination_id=second.pk, actor=mvp, as_of=AS_OF)
    assert kept() == {
        (S.AWARDED, Region.APAC): 1,
        (S.WITHDRAWN, Region.APAC): 1,
        (S.DECLINED, Region.EMEA): 1,
    }
    assert_exact()


def test_nomination_counts_follow_the_candidate_accepting(mvp):
    """An invited candidate has no region until they accept; then the nomination takes
    theirs (a change of region)."""
    result = create_nomination(
        nominated_by=mvp,
        source=NominationSource.MVP,
        technology_area=area("azure"),
        reason="Good",
        candidate_email="newbie@example.com",
        candidate_name="Newbie",
        as_of=AS_OF,
    )
    assert kept() == {(S.SUBMITTED, ""): 1}
    newbie = UserFactory(email="newbie@example.com")
    newbie.contributor.region = Region.INDIA
    newbie.contributor.save()
    accept_invitation(token=result.invitation_token, user=newbie, as_of=AS_OF)
    assert kept() == {(S.SUBMITTED, Region.INDIA): 1}
    assert_exact()


@pytest.mark.parametrize("through", ["function", "daily job"])
def test_nomination_counts_follow_the_expiry(program_staff, mvp, through):
    nominate(Region.APAC, nominated_by=mvp)
    reviewing = nominate(Region.APAC, nominated_by=mvp, area_slug="data-platform")
    nominate(Region.EMEA, nominated_by=mvp)
    transition_nomination(
        nomination_id=reviewing.pk, to_status=S.IN_REVIEW, actor=program_staff, as_of=AS_OF
    )
    if through == "function":
        assert expire_overdue_nominations(as_of=AFTER_DUE) == 3
    else:
        assert run_daily_jobs(as_of=AFTER_DUE, trigger="test")["nominations_expired"] == 3
    assert kept() == {(S.EXPIRED, Region.APAC): 2, (S.EXPIRED, Region.EMEA): 1}
    assert_exact()


def test_nomination_counts_follow_bulk_updates_and_the_admin(rf: RequestFactory, mvp):
    nominations = [
        nominate(region, nominated_by=mvp, area_slug=slug)
        for region in (Region.APAC, Region.EMEA)
        for slug in ("azure", "data-platform")
    ]
    Nomination.objects.filter(region=Region.APAC).update(status=S.DECLINED)
    assert kept() == {(S.DECLINED, Region.APAC): 2, (S.SUBMITTED, Region.EMEA): 2}
    Nomination.objects.filter(pk=nominations[2].pk).update(region=Region.APAC)  # a move
    Nomination.objects.filter(pk=nominations[3].pk).update(status=S.WITHDRAWN, region="")
    Nomination.objects.filter(pk=nominations[0].pk).update(status=S.DECLINED)  # no change
    assert kept() == {
        (S.DECLINED, Region.APAC): 2,
        (S.SUBMITTED, Region.APAC): 1,
        (S.WITHDRAWN, ""): 1,
    }
    nominations[1].region = Region.INDIA  # one save through the ORM
    nominations[1].save(update_fields=["region"])
    assert_exact()
    request = rf.post("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    site._registry[Nomination].delete_queryset(
        request, Nomination.objects.filter(region=Region.APAC)
    )
    assert kept() == {(S.DECLINED, Region.INDIA): 1, (S.WITHDRAWN, ""): 1}
    nominations[1].delete()
    assert kept() == {(S.WITHDRAWN, ""): 1}
    assert_exact()


def test_nomination_counts_follow_raw_sql(mvp):
    nomination = nominate(Region.EMEA, nominated_by=mvp)
    table = connection.ops.quote_name(Nomination._meta.db_table)
    copied = [
        f.column
        for f in Nomination._meta.concrete_fields
        if f.column not in ("id", "status", "region")
    ]
    columns = ", ".join(connection.ops.quote_name(name) for name in copied)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, status, region) "  # noqa: S608
            f"SELECT {columns}, %s, %s FROM {table} WHERE id = %s",
            [S.DECLINED, Region.APAC, nomination.pk],
        )
        cursor.execute(
            f"UPDATE {table} SET status = %s WHERE id = %s",  # noqa: S608
            [S.WITHDRAWN, nomination.pk],
        )
    assert kept() == {(S.DECLINED, Region.APAC): 1, (S.WITHDRAWN, Region.EMEA): 1}
    assert_exact()


def test_nomination_counts_backfill_recounts_every_nomination(mvp):
    from bench.load import summary_backfill

    nominate(Region.APAC, nominated_by=mvp)
    nominate(Region.APAC, nominated_by=mvp, area_slug="data-platform")
    nominate("", nominated_by=mvp)
    NominationCount.objects.all().delete()  # as after a load with the triggers off
    NominationCount.objects.create(status=S.DECLINED, region=Region.EMEA, n=7)
    with connection.cursor() as cursor:
        for statement in BACKFILL:
            cursor.execute(statement)
    assert kept() == {(S.SUBMITTED, Region.APAC): 2, (S.SUBMITTED, ""): 1}
    assert_exact()
    assert all(statement in summary_backfill() for statement in BACKFILL)  # the benchmark's
