"""The domain's events reach the outbox (and the receiver) through the real task path."""

import json
import time
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from standardwebhooks.webhooks import Webhook

from awards.enums import AwardStatus
from awards.jobs import expire_mcc_statuses
from awards.models import EligibilityPolicy
from awards.services import renew_award, revoke_award
from nominations.enums import NominationStatus as S
from nominations.workflow.decisions import transition_nomination
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import AS_OF, make_nomination
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db

ALL = (
    "award.granted",
    "award.renewed",
    "award.expired",
    "award.revoked",
    "nomination.submitted",
    "nomination.decided",
)


def bodies(event=None):
    rows = Delivery.objects.order_by("pk")
    if event:
        rows = rows.filter(event=event)
    return [json.loads(row.body) for row in rows]


def test_award_granted_reaches_the_receiver_within_seconds_of_a_decision(
    receiver, make_endpoint, webhook_staff, django_capture_on_commit_callbacks
):
    nomination = make_nomination()  # (the nominator's own award is granted before this)
    _endpoint, secret = make_endpoint(events=["award.granted", "nomination.decided"])
    started = time.monotonic()
    # execute=True runs the commit hooks: the delivery task (eager in tests) POSTs.
    with django_capture_on_commit_callbacks(execute=True):
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=S.AWARDED,
            actor=webhook_staff,
            reason="Outstanding",
            as_of=AS_OF,
        )
    elapsed = time.monotonic() - started
    assert elapsed < 5
    received = [
        Webhook(secret).verify(r.body, {k.lower(): v for k, v in r.headers.items()})
        for r in receiver.requests
    ]
    assert [body["type"] for body in received] == ["award.granted", "nomination.decided"]
    nomination.refresh_from_db()
    assert received[0]["data"]["award_id"] == nomination.award_id
    assert received[1]["data"] == {
        "nomination_id": nomination.pk,
        "status": "awarded",
        "source": "mvp",
        "technology_area_id": nomination.technology_area_id,
        "candidate_contributor_id": nomination.candidate_id,
        "award_id": nomination.award_id,
        "decided_at": nomination.decided_at.isoformat().replace("+00:00", "Z"),
    }
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_award_events_carry_ids_and_public_fields_only(make_endpoint, webhook_staff):
    make_endpoint(events=ALL)
    contributor = ContributorFactory(date_of_birth=date(1990, 5, 17))
    award = make_award(contributor=contributor, starts_on=date(2026, 1, 1))
    renewed = renew_award(award_id=award.pk, actor=webhook_staff)
    revoke_award(award_id=renewed.pk, actor=webhook_staff, reason="Code of conduct")
    types = [body["type"] for body in bodies()]
    assert types == ["award.granted", "award.granted", "award.renewed", "award.revoked"]
    assert bodies("award.renewed")[0]["data"]["renewed_from_id"] == award.pk
    assert bodies("award.revoked")[0]["data"] == {
        "award_id": renewed.pk,
        "kind": "mvp",
        "status": AwardStatus.REVOKED,
        "contributor_id": contributor.pk,
        "technology_area_id": award.technology_area_id,
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
    }
    text = " ".join(row.body for row in Delivery.objects.all())
    assert contributor.user.email not in text
    assert "1990" not in text
    assert "Code of conduct" not in text


def test_nomination_submitted_and_declined_are_emitted(make_endpoint, webhook_staff):
    make_endpoint(events=["nomination.submitted", "nomination.decided"])
    nomination = make_nomination(candidate_email="ada@example.com")
    transition_nomination(
        nomination_id=nomination.pk,
        to_status=S.DECLINED,
        actor=webhook_staff,
        reason="Not yet",
        as_of=AS_OF,
    )
    assert [(b["type"], b["data"]["status"]) for b in bodies()] == [
        ("nomination.submitted", "submitted"),
        ("nomination.decided", "declined"),
    ]
    assert "ada@example.com" not in Delivery.objects.first().body


def test_withdrawal_is_no_decision(make_endpoint, webhook_staff):
    make_endpoint(events=["nomination.decided"])
    nomination = make_nomination()
    transition_nomination(
        nomination_id=nomination.pk,
        to_status=S.WITHDRAWN,
        actor=webhook_staff,
        reason="",
        as_of=AS_OF,
    )
    assert bodies() == []


def _expiry_queries(as_of):
    with CaptureQueriesContext(connection) as captured:
        counts = expire_mcc_statuses(as_of=as_of)
    return len(captured.captured_queries), counts


def test_bulk_expiry_writes_its_webhook_rows_in_a_fixed_number_of_statements(
    make_endpoint, django_assert_num_queries
):
    make_endpoint(events=["award.expired"])
    make_endpoint(events=["award.expired", "award.granted"])
    EligibilityPolicy.current()
    make_award(kind="mcc", starts_on=date(2026, 1, 1))
    Delivery.objects.all().delete()
    # PostgreSQL: the expiry with its audit and read, is anyone listening, the webhook rows,
    # the emails with their notifications. SQLite runs the expiry's pieces one by one.
    statements = 4 if connection.vendor == "postgresql" else 7
    with django_assert_num_queries(statements):
        assert expire_mcc_statuses(as_of=date(2026, 4, 1)) == {"mcc_expired": 1}
    assert Delivery.objects.filter(event="award.expired").count() == 2
    for _ in range(7):
        make_award(kind="mcc", starts_on=date(2026, 1, 2))
    with django_assert_num_queries(statements):
        assert expire_mcc_statuses(as_of=date(2026, 4, 2)) == {"mcc_expired": 7}
    assert Delivery.objects.filter(event="award.expired").count() == 2 + 14
    ids = Delivery.objects.filter(event="award.expired").values_list("webhook_id", flat=True)
    assert len(set(ids)) == 8  # one id per award, shared by both endpoints
    data = bodies("award.expired")[-1]["data"]
    assert data["status"] == "expired"
    assert set(data) == {"award_id", "kind", "status", "contributor_id", "starts_on", "ends_on"}


def test_bulk_expiry_without_listeners_builds_no_webhook_rows(django_assert_num_queries):
    EligibilityPolicy.current()
    for _ in range(3):
        make_award(kind="mcc", starts_on=date(2026, 1, 1))
    statements = 3 if connection.vendor == "postgresql" else 6
    with django_assert_num_queries(statements):
        assert expire_mcc_statuses(as_of=date(2026, 4, 1)) == {"mcc_expired": 3}
    assert Delivery.objects.count() == 0
