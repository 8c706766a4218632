import pytest

from accounts.enums import Role
from tests.factories.nominations import make_privileged
from tests.local_http import LocalHTTPServer
from webhooks.services import create_endpoint


@pytest.fixture
def receiver():
    with LocalHTTPServer() as server:
        server.route("/hook", status=204)
        yield server


@pytest.fixture
def webhook_staff(db):
    return make_privileged(role=Role.STAFF)


@pytest.fixture
def make_endpoint(db, receiver, webhook_staff):
    """An endpoint on the local receiver; returns (endpoint, secret)."""

    def make(*, path="/hook", events=("award.granted",), **kwargs):
        return create_endpoint(
            url=receiver.url(path), events=list(events), actor=webhook_staff, **kwargs
        )

    return make


@pytest.fixture
def fast_retries(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0
    return settings
