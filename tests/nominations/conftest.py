import pytest

from accounts.enums import Region, Role
from tests.factories.nominations import make_mvp, make_privileged


@pytest.fixture
def mvp(db):
    return make_mvp()


@pytest.fixture
def panel_reviewer(db):
    return make_privileged(role=Role.REVIEWER)


@pytest.fixture
def program_staff(db):
    return make_privileged(role=Role.STAFF)


@pytest.fixture
def other_region_manager(db):
    return make_privileged(role=Role.REGIONAL_MANAGER, region=Region.EMEA)


@pytest.fixture
def region_manager(db):
    return make_privileged(role=Role.REGIONAL_MANAGER, region=Region.APAC)
