"""``NominationCount`` stays exactly the nominations' per-status, per-region counts on every
path that writes a nomination (database triggers, migration 0005), and the metrics page's
pipeline read from it equals grouping the nominations themselves."""

import datetime
import random
from importlib import import_module

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory

from accounts.enums import Region, Role
from nominations.enums import NominationSource, NominationStatus
from nominations.metrics import program_metrics
from nominations.models import Nomination, NominationCount
from nominations.queries import queue_scope
from nominations.workflow.candidate import accept_invitation
from nominations.workflow.decisions import (
    expire_overdue_nominations,
    transition_nomination,
    withdraw_nomination,
)
from nominations.workflow.submission import create_nomination
from ops.jobs import run_daily_jobs
from tests.factories.contributions import area
from tests.factories.nominations import AS_OF, make_nomination, make_privileged
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


# --- the metrics page's pipeline -----------------------------------------------------------


def _random_world(rng: random.Random) -> None:
    """Nominations in random regions and states, written in bulk, then moved, updated and
    deleted at random; one decided through the workflow."""
    regions = [*Region.values, ""]
    statuses = [s for s in S.values if s != S.AWARDED]  # an award needs an Award row
    areas = [area("azure"), area("data-platform")]
    nominator = UserFactory()
    Nomination.objects.bulk_create(
        Nomination(
            candidate_email=f"candidate-{n}@example.com",
            candidate_name=f"Candidate {n}",
            technology_area=rng.choice(areas),
            source=NominationSource.MVP,
            nominated_by=nominator,
            reason="Good",
            status=rng.choice(statuses),
            region=rng.choice(regions),
            decision_due=AS_OF + datetime.timedelta(days=rng.randrange(-30, 90)),
        )
        for n in range(60)
    )
    ids = list(Nomination.objects.values_list("pk", flat=True))
    for pk in rng.sample(ids, 8):
        Nomination.objects.filter(pk=pk).update(region=rng.choice(regions))
    Nomination.objects.filter(pk__in=rng.sample(ids, 8), status=S.SUBMITTED).update(
        status=S.IN_REVIEW
    )
    Nomination.objects.filter(pk__in=rng.sample(ids, 5)).delete()
    expire_overdue_nominations(as_of=AS_OF)
    staff = make_privileged(role=Role.STAFF)
    transition_nomination(
        nomination_id=nominate(rng.choice(Region.values)).pk,
        to_status=S.AWARDED,
        actor=staff,
        reason="Outstanding",
        as_of=AS_OF,
    )


def _grouped(user) -> tuple[tuple[str, int], ...]:
    """The pipeline as the page made it before the counts were kept: a GROUP BY over the
    viewer's nominations."""
    counts = dict(queue_scope(user).order_by().values_list("status").annotate(total=Count("pk")))
    labels = dict(S.choices)
    return tuple((labels[s], counts.get(s, 0)) for s in S.values)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_program_metrics_pipeline_equals_grouping_the_nominations(seed, program_staff):
    _random_world(random.Random(seed))
    assert_exact()
    viewers = [
        program_staff,
        *(make_privileged(role=Role.REGIONAL_MANAGER, region=region) for region in Region.values),
        make_privileged(role=Role.REVIEWER),  # no scope: every status at zero
    ]
    for user in viewers:
        assert program_metrics(user=user, as_of=AS_OF).pipeline == _grouped(user)
    assert sum(n for _label, n in _grouped(program_staff)) == Nomination.objects.count()
    assert {n for _label, n in _grouped(viewers[-1])} == {0}


def test_program_metrics_pipeline_skips_the_nominations_table(
    program_staff, region_manager, django_assert_num_queries
):
    nominate(Region.APAC)
    nominate(Region.EMEA)
    for user, submitted in ((program_staff, 2), (region_manager, 1)):
        program_metrics(user=user, as_of=AS_OF)  # the user's roles, read once
        with django_assert_num_queries(4) as captured:
            metrics = program_metrics(user=user, as_of=AS_OF)
        assert dict(metrics.pipeline)["Submitted"] == submitted
        assert not [q["sql"] for q in captured if '"nominations_nomination"' in q["sql"]]
