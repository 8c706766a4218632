"""Concurrency: random sequences of grants, renewals and revocations (hypothesis stateful
testing) against ``awards.services``, with a model of what each call should do.

After every step one SQL query over ``awards_award`` counts overlapping active terms of one
person, kind and area (must be 0), and the exclusion constraint must still be in place and
refuse a direct insert of an overlapping term that bypasses the services.
"""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from awards.enums import AwardKind, AwardStatus
from awards.models import Award, AwardEvent, RenewalReview
from awards.services import AwardConflict, AwardError, grant_award, renew_award, revoke_award
from awards.services import term_end as compute_term_end
from tests.factories.contributions import ContributorFactory, area
from tests.reliability.conftest import scale
from tests.reliability.faults import needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]

BASE = date(2026, 1, 1)
OVERLAPS_SQL = """
    SELECT count(*) FROM awards_award a JOIN awards_award b
      ON a.id < b.id
     AND a.contributor_id = b.contributor_id
     AND a.kind = b.kind
     AND COALESCE(a.technology_area_id, 0) = COALESCE(b.technology_area_id, 0)
     AND daterange(a.starts_on, a.ends_on, '[]') && daterange(b.starts_on, b.ends_on, '[]')
    WHERE a.status = 'active' AND b.status = 'active'
"""
CONSTRAINT_SQL = """
    SELECT count(*) FROM pg_constraint
    WHERE conname = 'award_no_overlapping_active_terms' AND contype = 'x'
      AND convalidated
"""


def overlapping_active_terms() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        return cursor.fetchone()[0]


def exclusion_constraint_present() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(CONSTRAINT_SQL)
        return cursor.fetchone()[0] == 1


class AwardTerms(RuleBasedStateMachine):
    """Two people, MVP in two categories and MCC; the model is a dict of award id → term."""

    awards = Bundle("awards")

    def __init__(self):
        super().__init__()
        self.people = [ContributorFactory(), ContributorFactory()]
        self.areas = [area("azure"), area("developer-technologies")]
        self.model: dict[int, dict] = {}
        self.steps = 0
        self.refused_bypasses = 0

    # --- the model -----------------------------------------------------------------------
    def _overlaps(self, *, person, kind, area_id, starts_on, ends_on, ignore=None) -> bool:
        return any(
            term["status"] == AwardStatus.ACTIVE
            and pk != ignore
            and (term["person"], term["kind"], term["area"]) == (person, kind, area_id)
            and term["starts_on"] <= ends_on
            and starts_on <= term["ends_on"]
            for pk, term in self.model.items()
        )

    def _remember(self, award: Award, person: int) -> None:
        self.model[award.pk] = {
            "person": person,
            "kind": award.kind,
            "area": award.technology_area_id,
            "starts_on": award.starts_on,
            "ends_on": award.ends_on,
            "status": AwardStatus.ACTIVE,
            "renewed": False,
        }

    # --- rules ---------------------------------------------------------------------------
    @rule(
        target=awards,
        person=st.integers(0, 1),
        kind=st.sampled_from([AwardKind.MVP, AwardKind.MCC]),
        area_index=st.integers(0, 1),
        offset=st.integers(0, 800),
    )
    def grant(self, person, kind, area_index, offset):
        self.steps += 1
        technology_area = self.areas[area_index] if kind == AwardKind.MVP else None
        area_id = technology_area.pk if technology_area else None
        starts_on = BASE + timedelta(days=offset)
        ends_on = compute_term_end(kind=kind, starts_on=starts_on)
        expected = not self._overlaps(
            person=person, kind=kind, area_id=area_id, starts_on=starts_on, ends_on=ends_on
        )
        try:
            award = grant_award(
                contributor=self.people[person],
                kind=kind,
                technology_area=technology_area,
                starts_on=starts_on,
                actor=None,
            )
        except AwardConflict:
            assert not expected, "a grant without overlap was refused"
            return None
        assert expected, "an overlapping grant was accepted"
        self._remember(award, person)
        return award.pk

    @rule(award_id=awards)
    def renew(self, award_id):
        self.steps += 1
        if award_id is None:
            return
        term = self.model[award_id]
        starts_on = term["ends_on"] + timedelta(days=1)
        ends_on = compute_term_end(kind=term["kind"], starts_on=starts_on)
        expected = (
            term["kind"] == AwardKind.MVP
            and term["status"] != AwardStatus.REVOKED
            and not term["renewed"]
            and not self._overlaps(
                person=term["person"],
                kind=term["kind"],
                area_id=term["area"],
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )
        try:
            successor = renew_award(award_id=award_id, actor=None, reason="Renewed")
        except AwardError:
            assert not expected, "a valid renewal was refused"
            return
        assert expected, "an invalid renewal was accepted"
        term["renewed"] = True
        self._remember(successor, term["person"])

    @rule(award_id=awards)
    def revoke(self, award_id):
        self.steps += 1
        if award_id is None:
            return
        term = self.model[award_id]
        expected = term["status"] == AwardStatus.ACTIVE
        try:
            revoke_award(award_id=award_id, actor=None, reason="Code of conduct")
        except AwardConflict:
            assert not expected, "revoking an active award was refused"
            return
        assert expected, "a non-active award was revoked"
        term["status"] = AwardStatus.REVOKED

    @precondition(lambda self: any(t["status"] == AwardStatus.ACTIVE for t in self.model.values()))
    @rule(data=st.data())
    def insert_overlap_behind_the_services(self, data):
        """Write an overlapping active term straight into the table, as a buggy or careless
        writer would: the database must refuse it."""
        self.steps += 1
        active = sorted(pk for pk, t in self.model.items() if t["status"] == AwardStatus.ACTIVE)
        term = self.model[data.draw(st.sampled_from(active))]
        shift = data.draw(st.integers(0, (term["ends_on"] - term["starts_on"]).days))
        starts_on = term["starts_on"] + timedelta(days=shift)
        try:
            with transaction.atomic():
                Award.objects.create(
                    contributor=self.people[term["person"]],
                    kind=term["kind"],
                    technology_area_id=term["area"],
                    starts_on=starts_on,
                    ends_on=compute_term_end(kind=term["kind"], starts_on=starts_on),
                )
        except IntegrityError:
            self.refused_bypasses += 1
            return
        AwardTotals.kept_bypasses += 1
        raise AssertionError("the database kept an overlapping active term")

    # --- invariants ----------------------------------------------------------------------
    @invariant()
    def no_overlapping_active_terms(self):
        assert overlapping_active_terms() == 0

    @invariant()
    def the_table_matches_the_model(self):
        actual = dict(Award.objects.filter(contributor__in=self.people).values_list("pk", "status"))
        assert actual == {pk: term["status"] for pk, term in self.model.items()}

    def teardown(self):
        AwardTotals.steps += self.steps
        AwardTotals.refused_bypasses += self.refused_bypasses
        AwardTotals.examples += 1
        RenewalReview.objects.all().delete()
        AwardEvent.objects.all().delete()
        Award.objects.update(renewed_from=None)
        Award.objects.all().delete()


class AwardTotals:
    kept_bypasses = 0
    steps = 0
    refused_bypasses = 0
    examples = 0


def test_concurrency_random_grant_renew_revoke_never_overlap(seeded, figure):
    AwardTotals.steps = AwardTotals.refused_bypasses = AwardTotals.examples = 0
    AwardTotals.kept_bypasses = 0
    failure = None
    try:
        run_state_machine_as_test(
            AwardTerms,
            settings=settings(
                max_examples=scale(15, 150),
                stateful_step_count=scale(15, 30),
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    except AssertionError as exc:
        failure = exc
    overlaps = overlapping_active_terms()
    present = exclusion_constraint_present()
    detail = (
        f"{AwardTotals.examples} random sequences, {AwardTotals.steps} steps; "
        f"{AwardTotals.refused_bypasses} direct overlapping inserts refused by the database"
    )
    figure(
        "Concurrency",
        "overlapping active terms after random grant/renew/revoke",
        overlaps if failure is None else f"failed: {str(failure)[:80]}",
        target="0",
        ok=failure is None and overlaps == 0,
        detail=detail,
    )
    figure(
        "Concurrency",
        "overlapping terms written behind the services that the database kept",
        AwardTotals.kept_bypasses,
        target="0",
        ok=AwardTotals.kept_bypasses == 0 and present,
        detail="exclusion constraint award_no_overlapping_active_terms",
    )
    if failure is not None:
        raise failure
    assert AwardTotals.kept_bypasses == 0
    assert present
    assert AwardTotals.refused_bypasses > 0
