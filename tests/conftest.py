import pytest

from contributions.enums import Region, Role
from mvptracker.users.services import grant_role
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
