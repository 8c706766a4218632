import pytest

from accounts.enums import Region, Role
from accounts.services import grant_role
from tests.factories.users import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def make_user(db):
    def make(*, role: str | None = None, region: str = "", **kwargs):
        person = UserFactory(**kwargs)
        if role:
            grant_role(user=person, role=role, region=region)
        return person

    return make


@pytest.fixture
def reviewer(make_user):
    return make_user(role=Role.REVIEWER)


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


@pytest.fixture
def regional_manager(make_user):
    return make_user(role=Role.REGIONAL_MANAGER, region=Region.APAC)


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with an empty cache (Redis in CI): rate-limit counters, used TOTP codes
    and cached values never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
