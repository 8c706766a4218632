from datetime import date

import pytest
from django.db import IntegrityError, transaction

from awards.enums import AwardEventKind, AwardStatus
from awards.models import Award, AwardEvent
from awards.rules import is_mvp_on
from awards.services import (
    AwardConflict,
    AwardError,
    grant_award,
    renew_award,
    revoke_award,
    term_end,
)
from notifications.models import Notification, OutboxEmail
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory, area

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "starts_on", "ends_on"),
    [
        ("mvp", date(2026, 1, 1), date(2026, 12, 31)),
        ("mvp", date(2024, 2, 29), date(2025, 2, 28)),
        ("mcc", date(2026, 1, 1), date(2026, 3, 31)),  # 90 days counting the first
    ],
)
def test_term_end_is_computed_once(kind, starts_on, ends_on):
    assert term_end(kind=kind, starts_on=starts_on) == ends_on


def test_grant_award_stores_term_audits_and_welcomes(staff):
    award = make_award(actor=staff)
    assert (award.status, award.ends_on) == (AwardStatus.ACTIVE, date(2026, 12, 31))
    event = AwardEvent.objects.get(award=award)
    assert (event.kind, event.actor) == (AwardEventKind.GRANTED, staff)
    assert (
        OutboxEmail.objects.filter(
            to=award.contributor.user.email, category="award_welcome"
        ).count()
        == 1
    )
    assert Notification.objects.filter(recipient=award.contributor.user).count() == 1


def test_grant_award_overlapping_term_is_rejected():
    award = make_award()
    with pytest.raises(AwardConflict):
        make_award(contributor=award.contributor, starts_on=date(2026, 12, 31))
    assert Award.objects.count() == 1


def test_grant_award_other_area_or_after_term_is_allowed():
    award = make_award()
    make_award(contributor=award.contributor, area_slug="azure")
    make_award(contributor=award.contributor, starts_on=date(2027, 1, 1))
    assert Award.objects.filter(contributor=award.contributor).count() == 3


def test_database_rejects_overlapping_active_terms():
    award = make_award()
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            contributor=award.contributor,
            kind="mvp",
            technology_area=award.technology_area,
            starts_on=date(2026, 6, 1),
            ends_on=date(2027, 5, 31),
        )


def test_database_allows_overlap_with_revoked_term():
    award = make_award()
    revoke_award(award_id=award.pk, actor=None, reason="Conduct")
    again = Award.objects.create(
        contributor=award.contributor,
        kind="mvp",
        technology_area=award.technology_area,
        starts_on=date(2026, 6, 1),
        ends_on=date(2027, 5, 31),
    )
    # The overlapping term is stored beside the revoked one, which stays revoked.
    award.refresh_from_db()
    assert award.status == AwardStatus.REVOKED
    assert award.starts_on <= again.starts_on <= award.ends_on
    assert set(Award.objects.filter(contributor=award.contributor).values_list("pk", "status")) == {
        (award.pk, AwardStatus.REVOKED),
        (again.pk, AwardStatus.ACTIVE),
    }


def test_grant_award_mvp_needs_category_area():
    person = ContributorFactory()
    with pytest.raises(AwardError):
        grant_award(contributor=person, kind="mvp", starts_on=date(2026, 1, 1), actor=None)
    with pytest.raises(AwardError):
        grant_award(
            contributor=person,
            kind="mvp",
            technology_area=area("dotnet"),
            starts_on=date(2026, 1, 1),
            actor=None,
        )
    assert not Award.objects.exists()


def test_revoke_award_needs_reason_and_is_audited(staff):
    award = make_award()
    with pytest.raises(AwardError):
        revoke_award(award_id=award.pk, actor=staff, reason="  ")
    revoke_award(award_id=award.pk, actor=staff, reason="Violated the code of conduct")
    award.refresh_from_db()
    assert award.status == AwardStatus.REVOKED
    assert award.revoked_by == staff
    with pytest.raises(AwardConflict):
        revoke_award(award_id=award.pk, actor=staff, reason="again")


def test_renew_award_starts_the_day_after_the_term_and_only_once(staff):
    award = make_award()
    new = renew_award(award_id=award.pk, actor=staff)
    assert (new.starts_on, new.ends_on, new.renewed_from) == (
        date(2027, 1, 1),
        date(2027, 12, 31),
        award,
    )
    with pytest.raises(AwardConflict):
        renew_award(award_id=award.pk, actor=staff)


def test_is_mvp_follows_the_stored_term_immediately():
    award = make_award()
    user = award.contributor.user
    assert is_mvp_on(user, date(2026, 12, 31))
    assert not is_mvp_on(user, date(2027, 1, 1))  # before any expiry job runs
    revoke_award(award_id=award.pk, actor=None, reason="Conduct")
    assert not is_mvp_on(user, date(2026, 6, 1))
