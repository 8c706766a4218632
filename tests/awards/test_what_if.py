"""The set-based what-if (rules as one SQL condition) against the pure evaluation of each person.

``policy_what_if`` counts most people in the database through
``awards.eligibility.mvp_thresholds_q``; these tests hold it equal to running
``evaluate_contributor`` (the pure ``evaluate``) on every contributor, on random people,
logs and policies, so the two expressions of the rules cannot drift apart.
"""

import random
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from awards.enums import AwardKind
from awards.models import EligibilityPolicy, PillarException
from awards.queries import evaluate_contributor
from awards.what_if import policy_what_if
from contributions.enums import EmployerCategory
from contributions.models import Contribution, ContributionKind, Contributor, TechnologyArea
from contributions.services import age_on
from tests.factories.contributions import ContributorFactory

AS_OF = date(2026, 6, 30)


@given(
    born=st.dates(min_value=date(1940, 1, 1), max_value=date(2030, 12, 31)),
    on=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    min_age=st.integers(min_value=0, max_value=40),
)
def test_age_cutoff_equals_age_on(born, on, min_age):
    """The SQL age check (born on or before as_of - N years) is age_on(...) >= N, 29 Feb too."""
    assert (born <= on - relativedelta(years=min_age)) == (
        age_on(date_of_birth=born, on=on) >= min_age
    )


def _random_people(rng: random.Random, count: int) -> list[Contributor]:
    categories = list(TechnologyArea.objects.filter(parent__isnull=True, children__isnull=False))
    categories = rng.sample(categories, 2)
    areas = [a for c in categories for a in [c, *c.children.all()[:2]]]
    kinds = list(ContributionKind.objects.all())
    employers = [*EmployerCategory.values, ""]
    people = []
    for _ in range(count):
        birth = rng.choice(
            [
                None,
                AS_OF - relativedelta(years=18),  # 18 today
                AS_OF - relativedelta(years=18) + timedelta(days=1),  # 18 tomorrow
                date(2008, 2, 29),
                date(1980 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            ]
        )
        person = ContributorFactory(
            primary_area=rng.choice(areas),
            date_of_birth=birth,
            employer_category=rng.choice(employers),
        )
        days = rng.sample(range(-20, 380), rng.randrange(0, 14))
        Contribution.objects.bulk_create(
            Contribution(
                contributor=person,
                kind=rng.choice(kinds),
                technology_area=rng.choice(areas),
                title=f"c{n}",
                date=AS_OF - timedelta(days=day),  # some outside the window on either side
                url=f"https://example.com/{person.pk}/{n}",
                canonical_url=f"https://example.com/{person.pk}/{n}",
                quantity=rng.randrange(0, 15),
                reach=rng.randrange(0, 600),
            )
            for n, day in enumerate(days)
        )
        if rng.random() < 0.25:
            PillarException.objects.create(
                contributor=person,
                technology_area=rng.choice([None, person.primary_area, rng.choice(areas)]),
                reason="Deep expertise in one pillar",
                withdrawn_at=timezone.now() if rng.random() < 0.3 else None,
            )
        people.append(person)
    return people


def _random_policy(rng: random.Random) -> EligibilityPolicy:
    return EligibilityPolicy(
        min_age=rng.choice([0, 16, 18, 21]),
        min_area_contributions=rng.randrange(0, 6),
        min_pillars=rng.randrange(1, 4),
        min_active_months=rng.randrange(0, 5),
        min_quantity=rng.randrange(0, 25),
        min_reach=rng.choice([0, 300, 1000]),
    )


def _by_evaluate(people, policy: EligibilityPolicy) -> set[int]:
    return {
        person.pk
        for person in people
        if evaluate_contributor(
            contributor=person, award_kind=AwardKind.MVP, as_of=AS_OF, policy=policy
        ).eligible
    }


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_policy_what_if_equals_evaluate_on_every_contributor(seed):
    rng = random.Random(seed)
    people = _random_people(rng, 30)
    people = list(Contributor.objects.filter(pk__in=[p.pk for p in people]))
    seen_eligible = 0
    for _ in range(6):
        current, proposed = _random_policy(rng), _random_policy(rng)
        before, after = _by_evaluate(people, current), _by_evaluate(people, proposed)
        result = policy_what_if(proposed=proposed, current=current, as_of=AS_OF)
        assert (
            result.eligible_now,
            result.eligible_proposed,
            result.gain,
            result.lose,
        ) == (len(before), len(after), len(after - before), len(before - after))
        seen_eligible += len(before | after)
    assert seen_eligible  # the random people are not all trivially ineligible


@pytest.mark.django_db
def test_policy_what_if_counts_an_exception_holder_with_an_empty_window():
    """A pillar exception and a policy asking for nothing else: eligible with no contributions
    (evaluate says so), although the grouped window has no row for them."""
    category = TechnologyArea.objects.filter(parent__isnull=True).first()
    person = ContributorFactory(
        primary_area=category,
        date_of_birth=date(1990, 1, 1),
        employer_category=EmployerCategory.INDEPENDENT,
    )
    PillarException.objects.create(contributor=person, technology_area=None, reason="Ok")
    lax = EligibilityPolicy(
        min_area_contributions=0, min_pillars=1, min_active_months=0, min_quantity=0, min_reach=0
    )
    strict = EligibilityPolicy(min_area_contributions=1)
    assert _by_evaluate([person], lax) == {person.pk}
    result = policy_what_if(proposed=lax, current=strict, as_of=AS_OF)
    assert (result.eligible_now, result.eligible_proposed, result.gain) == (0, 1, 1)
