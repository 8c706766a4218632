"""Bad input, part 2: schemathesis against the API's own OpenAPI document, in-process.

Every operation of /api/v1/openapi.json gets schema-valid (positive) and schema-breaking
(negative) requests, sent through the WSGI application with the bearer token of a user who has
data (an MVP with a log, also program staff). Every response goes through schemathesis's
checks: no 5xx, and status code, content type, headers and body as the document says;
schema-breaking input refused, no answer without the token.

One check is left out: ``positive_data_acceptance`` wants every schema-valid request accepted,
but the API has rules JSON Schema cannot state (a contributor id that exists, dates from 2000 on,
a cursor the server signed, a slug from the vocabularies), and breaking them is a documented
400 problem document, which the other checks still hold to the document.
"""

import pytest
import schemathesis
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.enums import Role
from accounts.services import grant_role
from api.services import issue_token
from tests.factories.contributions import ContributionFactory
from tests.reliability.conftest import scale
from tests.reliability.input_world import build_world


@pytest.fixture
def in_process_app(db):
    """The WSGI app sharing the test's connection and transaction: like Django's test client,
    keep the request signals from closing the connection between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_input_api_conforms_to_its_openapi_document(in_process_app, settings_override, figure):
    world = build_world()
    caller = world.mvp
    grant_role(user=caller, role=Role.STAFF)
    TOTP.activate(caller, generate_totp_secret())
    for number in range(3):
        ContributionFactory(contributor=caller.contributor, title=f"API data {number}")
    _token, secret = issue_token(user=caller, name="schemathesis")
    auth = {"Authorization": f"Bearer {secret}"}

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_process_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    tried = 0
    server_errors: list[str] = []
    violations: list[str] = []

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            tried += fuzz_operation(operation, mode, auth, server_errors, violations)

    figure(
        "Bad input",
        "API fuzzed (schemathesis): server errors",
        len(server_errors),
        target="0",
        ok=not server_errors,
        detail=f"{tried} requests over {len(operations)} operations",
    )
    figure(
        "Bad input",
        "API fuzzed (schemathesis): responses not as the OpenAPI document says",
        len(violations),
        target="0",
        ok=not violations,
        detail=f"{tried} requests over {len(operations)} operations",
    )
    assert len(operations) >= 19
    assert not server_errors, sorted(set(server_errors))[:10]
    assert not violations, sorted(set(violations))[:10]


@pytest.fixture
def settings_override(settings):
    settings.API_RATE_LIMIT = 1_000_000  # the fuzzer must not be throttled into 429s
    return settings


def _negates_headers(case) -> bool:
    component = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    return component is not None and component.mode.is_negative


def fuzz_operation(operation, mode, auth: dict, server_errors: list, violations: list) -> int:
    """Send ``scale()`` generated requests to one operation; file each failure by kind."""
    label = f"{operation.label} [{mode.value}]"
    tried = 0

    @settings(
        max_examples=scale(4, 100),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal tried
        tried += 1
        # A case whose negation is in its headers (e.g. the Authorization header removed or
        # mangled) is sent as generated: adding the token back would turn it into a valid
        # request that schemathesis still expects to be refused.
        headers = {} if _negates_headers(case) else auth
        with transaction.atomic():
            try:
                response = case.call(headers=headers)
                case.validate_response(
                    response, headers=headers, excluded_checks=[positive_data_acceptance]
                )
            except FailureGroup as group:
                for failure in group.exceptions:
                    if isinstance(failure, ServerError):
                        server_errors.append(f"{label} {failure.title}")
                    else:
                        violations.append(
                            f"{label} {failure.title}: {failure.message[:300]} -> "
                            f"{response.status_code} {response.content[:300]!r} "
                            f"{case.path_parameters} {case.query} {case.body!r:.200}"
                        )
            except Exception as exc:  # an exception escaping the app is a server error
                server_errors.append(f"{label} {exc!r:.300}")
            transaction.set_rollback(True)

    run()
    return tried
