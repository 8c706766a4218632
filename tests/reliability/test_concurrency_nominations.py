"""Concurrency: many people nominating the same candidate at the same moment, many staff
deciding one nomination at once, many grants of overlapping terms at once. Each request runs
in its own thread on its own database connection, released together by a barrier."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from api.services import issue_token
from awards.enums import AwardKind, AwardStatus
from awards.models import Award
from awards.services import AwardConflict, grant_award
from nominations.enums import NominationStatus
from nominations.models import Endorsement, Nomination, NominationEvent
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import make_mvp, make_nomination, make_privileged
from tests.reliability.faults import needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]

URL = "/api/v1/nominations"
NOMINATORS = 50
DECIDERS = 10
GRANTS = 10


def bearer(user) -> dict[str, str]:
    _token, secret = issue_token(user=user, name="concurrency")
    return {"Authorization": f"Bearer {secret}"}


def all_at_once(calls) -> list:
    """Run each call in its own thread (own connection), all released by one barrier; returns
    each call's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def post(path: str, payload: dict, headers: dict):
    def call():
        response = Client().post(
            path, json.dumps(payload), content_type="application/json", headers=headers
        )
        return response.status_code, response.json() if response.content else {}

    return call


def test_concurrency_fifty_identical_nominations_make_one_nomination(seeded, figure):
    payload = {
        "candidate_email": "popular.person@example.com",
        "candidate_name": "Popular Person",
        "technology_area": "azure",
        "reason": "Answers hundreds of questions every month.",
        "evidence_urls": ["https://example.com/answers"],
    }
    tokens = [bearer(make_mvp()) for _ in range(NOMINATORS)]

    results = all_at_once([post(URL, payload, headers) for headers in tokens])

    statuses = [r[0] if isinstance(r, tuple) else repr(r) for r in results]
    server_errors = [s for s in statuses if not isinstance(s, int) or s >= 500]
    nominations = Nomination.objects.filter(candidate_email="popular.person@example.com")
    endorsements = Endorsement.objects.filter(nomination__in=nominations).count()
    ids = {r[1].get("id") for r in results if isinstance(r, tuple) and r[0] in (200, 201)}
    figure(
        "Concurrency",
        "nominations from 50 simultaneous identical nominations",
        nominations.count(),
        target="= 1",
        ok=nominations.count() == 1,
    )
    figure(
        "Concurrency",
        "endorsements recorded from the other 49",
        endorsements,
        target="= 49",
        ok=endorsements == NOMINATORS - 1,
    )
    figure(
        "Concurrency",
        "server errors from 50 simultaneous nominations",
        len(server_errors),
        target="0",
        ok=not server_errors,
        detail="; ".join(map(str, server_errors[:3])),
    )
    assert server_errors == []
    assert sorted(statuses) == [200] * (NOMINATORS - 1) + [201]
    assert nominations.count() == 1
    assert ids == {nominations.get().pk}
    assert endorsements == NOMINATORS - 1


def test_concurrency_ten_simultaneous_decisions_make_one_award(seeded, figure):
    nomination = make_nomination(nominated_by=make_mvp(), as_of=timezone.localdate())
    tokens = [bearer(make_privileged(role=Role.STAFF)) for _ in range(DECIDERS)]
    decision = {"decision": "award", "reason": "Outstanding."}

    results = all_at_once(
        [post(f"{URL}/{nomination.pk}/decision", decision, headers) for headers in tokens]
    )

    statuses = sorted(r[0] if isinstance(r, tuple) else repr(r) for r in results)
    events = NominationEvent.objects.filter(
        nomination=nomination, to_status=NominationStatus.AWARDED
    ).count()
    awards = Award.objects.filter(contributor=nomination.candidate).count()
    server_errors = [s for s in statuses if not isinstance(s, int) or s >= 500]
    figure(
        "Concurrency",
        "decision events from 10 simultaneous decisions",
        events,
        target="= 1",
        ok=events == 1,
    )
    figure(
        "Concurrency", "awards from 10 simultaneous decisions", awards, target="= 1", ok=awards == 1
    )
    figure(
        "Concurrency",
        "conflicts (409) among the other 9",
        statuses.count(409),
        target="= 9",
        ok=statuses.count(409) == DECIDERS - 1,
        detail=f"answers: {statuses}",
    )
    assert server_errors == []
    assert statuses == [200] + [409] * (DECIDERS - 1)
    assert (events, awards) == (1, 1)


def test_concurrency_ten_simultaneous_overlapping_grants_make_one_term(seeded, figure):
    contributor = ContributorFactory()
    today = timezone.localdate()

    def grant(offset):
        return lambda: grant_award(
            contributor=contributor,
            kind=AwardKind.MCC,
            starts_on=today.replace(day=1) if offset == 0 else today,
            actor=None,
        )

    results = all_at_once([grant(i % 2) for i in range(GRANTS)])

    granted = [r for r in results if isinstance(r, Award)]
    conflicts = [r for r in results if isinstance(r, AwardConflict)]
    other = [repr(r) for r in results if not isinstance(r, Award | AwardConflict)]
    active = Award.objects.filter(contributor=contributor, status=AwardStatus.ACTIVE).count()
    figure(
        "Concurrency",
        "active terms from 10 simultaneous overlapping grants",
        active,
        target="= 1",
        ok=active == 1,
        detail=f"{len(conflicts)} refused as conflicts",
    )
    assert other == []
    assert (len(granted), len(conflicts), active) == (1, GRANTS - 1, 1)
