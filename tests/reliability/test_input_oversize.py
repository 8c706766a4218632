"""Bad input, part 5: oversized bodies and uploads are refused cleanly.

Each case sends something too big (or too deep, or too many) to a real endpoint: the answer must
be a 4xx that says what is wrong, and nothing may be written. The limits: Django's
DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB, form and JSON bodies), DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000),
FILE_UPLOAD_MAX_MEMORY_SIZE (5 MB before spooling to disk) and the CSV import's own 2 MB.
"""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from api.services import issue_token
from contributions.models import Contribution, PendingImport
from tests.reliability.input_world import build_world

MB = 1024 * 1024
CONTRIBUTION = {
    "kind": "blog-post",
    "technology_area": "dotnet",
    "title": "A post",
    "date": "2026-01-05",
}


def _written() -> tuple[int, int]:
    return Contribution.objects.count(), PendingImport.objects.count()


def _cases(client, auth):
    def api(method, body: str):
        return client.generic(
            method, "/api/v1/contributions", body, content_type="application/json", headers=auth
        )

    def csv_upload(size):
        data = b"kind,technology_area,title,date\n" + b"x" * size
        return client.post("/me/import/", {"file": SimpleUploadedFile("big.csv", data)})

    return [
        # (name, send, expected statuses, words the answer must contain)
        ("CSV import just over 2 MB", lambda: csv_upload(2 * MB + 1), {413}, "larger than 2 MB"),
        ("CSV import of 12 MB", lambda: csv_upload(12 * MB), {413}, "larger than 2 MB"),
        (
            "API JSON body of 6 MB",
            lambda: api("POST", json.dumps({**CONTRIBUTION, "description": "x" * 6 * MB})),
            {413},
            "larger than",
        ),
        (
            "API JSON string field of 4 MB",
            lambda: api("POST", json.dumps({**CONTRIBUTION, "title": "x" * 4 * MB})),
            {400},
            "title",
        ),
        ("API JSON nested 100,000 deep", lambda: api("POST", "[" * 100_000), {400}, "JSON"),
        (
            "API JSON with 200,000 keys",
            lambda: api("POST", json.dumps({f"k{n}": n for n in range(200_000)})),
            {400, 413},
            "",
        ),
        (
            "Form field of 6 MB",
            lambda: client.post(
                "/me/contributions/new/", {**CONTRIBUTION, "description": "x" * 6 * MB}
            ),
            {413},
            "larger than this site accepts",
        ),
        (
            "Form with 1,500 fields",
            lambda: client.post("/me/contributions/new/", {f"f{n}": "1" for n in range(1500)}),
            {413},
            "larger than this site accepts",
        ),
        (
            "Form field of 1 MB (under the body limit)",
            lambda: client.post("/me/contributions/new/", {**CONTRIBUTION, "title": "x" * MB}),
            {200},  # the form re-renders with its error on the field
            "at most 200 characters",
        ),
    ]


@pytest.fixture
def caller(db):
    return build_world().contributor.user


def test_input_oversized_requests_are_refused_cleanly(client, caller, figure):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 5 * MB
    client.force_login(caller)
    _token, secret = issue_token(user=caller, name="oversize")
    auth = {"Authorization": f"Bearer {secret}"}
    failures: list[str] = []
    cases = _cases(client, auth)
    for name, send, expected, words in cases:
        before = _written()
        try:
            response = send()
        except Exception as exc:  # an exception escaping the app is a failure
            failures.append(f"{name}: {exc!r:.200}")
            continue
        body = response.content.decode(errors="replace")
        if response.status_code not in expected:
            failures.append(f"{name}: {response.status_code} {body[:200]!r}")
        elif words and words not in body:
            failures.append(f"{name}: answer does not say {words!r}: {body[:200]!r}")
        if _written() != before:
            failures.append(f"{name}: something was written")
    figure(
        "Bad input",
        "Oversized bodies and uploads not refused cleanly (4xx, message, nothing written)",
        len(failures),
        target="0",
        ok=not failures,
        detail=f"{len(cases)} cases: CSV import, API JSON, web forms",
    )
    assert not failures, failures
