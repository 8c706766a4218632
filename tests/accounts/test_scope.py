import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.enums import Region, Role
from accounts.scope import ALL_REGIONS, NO_REGIONS, RegionScope
from accounts.services import grant_role
from contributions.models import Contributor
from tests.factories.contributions import ContributorFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def _person(role=None, region=""):
    person = UserFactory()
    if role:
        grant_role(user=person, role=role, region=region)
    return person


@pytest.mark.parametrize(
    ("role", "region", "expected"),
    [
        (None, "", NO_REGIONS),
        (Role.REVIEWER, "", NO_REGIONS),
        (Role.STAFF, "", ALL_REGIONS),
        (Role.REGIONAL_MANAGER, Region.EMEA, RegionScope(region=Region.EMEA)),
    ],
)
def test_for_user_by_role(role, region, expected):
    assert RegionScope.for_user(_person(role, region)) == expected


def test_for_user_anonymous_and_none_oversee_nothing():
    assert RegionScope.for_user(AnonymousUser()) == NO_REGIONS
    assert RegionScope.for_user(None) == NO_REGIONS


def test_staff_and_regional_manager_together_see_all_regions():
    person = _person(Role.STAFF)
    grant_role(user=person, role=Role.REGIONAL_MANAGER, region=Region.KOREA)
    person = type(person).objects.get(pk=person.pk)  # fresh role cache
    assert RegionScope.for_user(person) == ALL_REGIONS


@pytest.mark.parametrize(
    ("scope", "region", "expected"),
    [
        (ALL_REGIONS, Region.EMEA, True),
        (ALL_REGIONS, "", True),
        (RegionScope(region=Region.EMEA), Region.EMEA, True),
        (RegionScope(region=Region.EMEA), Region.KOREA, False),
        (RegionScope(region=Region.EMEA), "", False),
        (RegionScope(region=Region.EMEA), None, False),
        (NO_REGIONS, Region.EMEA, False),
        (NO_REGIONS, "", False),
    ],
)
def test_contains(scope, region, expected):
    assert scope.contains(region) is expected


def test_is_empty_only_without_regions():
    assert NO_REGIONS.is_empty
    assert RegionScope(region="").is_empty
    assert not ALL_REGIONS.is_empty
    assert not RegionScope(region=Region.JAPAN).is_empty


def test_filter_cuts_a_queryset_by_the_region_field():
    emea = ContributorFactory(region=Region.EMEA)
    korea = ContributorFactory(region=Region.KOREA)
    everyone = Contributor.objects.filter(pk__in=[emea.pk, korea.pk])

    assert set(ALL_REGIONS.filter(everyone)) == {emea, korea}
    assert list(RegionScope(region=Region.EMEA).filter(everyone)) == [emea]
    assert list(NO_REGIONS.filter(everyone)) == []


def test_filter_follows_a_related_field():
    emea = ContributorFactory(region=Region.EMEA)
    ContributorFactory(region=Region.KOREA)
    users = type(emea.user).objects.all()

    scoped = RegionScope(region=Region.EMEA).filter(users, "contributor__region")

    assert list(scoped) == [emea.user]


def test_q_for_combining_conditions():
    assert ALL_REGIONS.q() == Q()  # everything
    assert NO_REGIONS.q() is None
    assert RegionScope(region=Region.APAC).q("award__region").children == [
        ("award__region", Region.APAC)
    ]


def test_scope_is_frozen():
    with pytest.raises(AttributeError):
        ALL_REGIONS.region = Region.EMEA  # type: ignore[misc]
