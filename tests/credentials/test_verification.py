"""The public verification page: the award's credential, or one pasted or uploaded, is valid,
expired, revoked, invalid or not issued here, with the reason."""

import base64
import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from joserfc.jwk import RSAKey

from awards.services import revoke_award
from credentials import issuing
from credentials.models import AwardCredential
from credentials.services import issue_credential
from tests.credentials.helpers import unverified_payload
from tests.factories.awards import make_award

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BASE = "https://mvp.example.org"
VERIFY = reverse("credentials:verify_pasted")


@pytest.fixture
def owner(make_user):
    person = make_user(email="ada.owner@example.com")
    person.contributor.display_name = "Ada Owner"
    person.contributor.save()
    return person


@pytest.fixture
def award(owner):
    return make_award(contributor=owner.contributor, starts_on=TODAY - timedelta(days=10))


def token_for(award) -> str:
    return issue_credential(award=award, base=BASE).token


def state_of(response) -> str:
    body = response.content.decode()
    start = body.index('id="credential-state"')
    return body[start : body.index("</div>", start)]


def test_pasted_valid_credential_says_valid_with_every_check(client, award):
    response = client.post(VERIFY, {"token": token_for(award)})
    assert response.status_code == 200
    verdict = response.context["verdict"]
    assert verdict.state == "valid"
    assert [(c.code, c.passed) for c in verdict.checks] == [
        ("signature", True),
        ("issuer", True),
        ("status", True),
        ("dates", True),
    ]
    assert "Valid: signed by this site" in state_of(response)
    assert "Ada Owner" in response.content.decode()


def test_uploaded_credential_file_is_checked(client, award):
    upload = SimpleUploadedFile("credential.jwt", token_for(award).encode() + b"\n")
    response = client.post(VERIFY, {"file": upload})
    assert response.context["verdict"].state == "valid"


def test_revoked_credential_says_revoked_on_both_pages(client, award, staff):
    token = token_for(award)
    revoke_award(award_id=award.pk, actor=staff, reason="Conduct")
    pasted = client.post(VERIFY, {"token": token})
    assert pasted.context["verdict"].state == "revoked"
    assert "Revoked" in state_of(pasted)
    assert "status list is set" in state_of(pasted)
    page = client.get(reverse("credentials:verify", args=[award.certificate_code]))
    assert page.context["verdict"].state == "revoked"
    assert "Revoked: the credential is authentic but was revoked." in state_of(page)


def test_credential_past_valid_until_says_expired(client, owner):
    old = make_award(contributor=owner.contributor, starts_on=date(2020, 1, 1))
    response = client.post(VERIFY, {"token": token_for(old)})
    verdict = response.context["verdict"]
    assert verdict.state == "expired"
    assert verdict.reason == "Expired: valid until 2020-12-31T23:59:59Z."
    assert "Expired" in state_of(response)


def test_award_page_checks_its_credential_once_issued(client, award):
    page = client.get(reverse("credentials:verify", args=[award.certificate_code]))
    assert page.context["verdict"] is None
    assert "No Open Badges credential has been issued" in page.content.decode()
    assert not AwardCredential.objects.exists()  # a visitor's look allocates nothing
    token_for(award)
    page = client.get(reverse("credentials:verify", args=[award.certificate_code]))
    assert page.context["verdict"].state == "valid"


def _tamper(token: str, **changes) -> str:
    header, _payload, signature = token.split(".")
    claims = {**unverified_payload(token), **changes}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{body}.{signature}"


def test_tampered_credential_is_invalid_because_of_its_signature(client, owner):
    old = make_award(contributor=owner.contributor, starts_on=date(2020, 1, 1))
    forged = _tamper(token_for(old), validUntil="2099-12-31T23:59:59Z")
    response = client.post(VERIFY, {"token": forged})
    verdict = response.context["verdict"]
    assert verdict.state == "invalid"
    assert verdict.checks[0].code == "signature"
    assert "changed after signing" in verdict.reason
    assert verdict.award is None


def test_credential_signed_by_another_key_is_not_issued_here(client, award):
    record_payload = issue_credential(award=award, base=BASE).payload
    stranger = RSAKey.generate_key(2048, private=True)
    forged = issuing.sign(record_payload, stranger)
    verdict = client.post(VERIFY, {"token": forged}).context["verdict"]
    assert verdict.state == "not_issued_here"
    assert verdict.reason == "Signed with a key this site never used."


def test_credential_for_another_issuer_is_not_issued_here(client, award, settings):
    token = token_for(award)
    settings.SITE_URL = "https://other.example.net"  # the same key, another site's identity
    verdict = client.post(VERIFY, {"token": token}).context["verdict"]
    assert verdict.state == "not_issued_here"
    assert "not by this site" in verdict.reason


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste a credential or choose a file."),
        ({"token": '{"type": "OpenBadgeCredential"}'}, "carries no signature"),
    ],
)
def test_bad_input_gets_a_message_and_no_verdict(client, data, message):
    response = client.post(VERIFY, data)
    assert response.status_code == 400
    assert response.context["verdict"] is None
    assert message in response.content.decode()


@pytest.mark.parametrize("text", ["not a token", "a.b.c", "e30.e30.", "x" * 70_000])
def test_garbage_is_invalid_not_an_error(client, text):
    response = client.post(VERIFY, {"token": text})
    if len(text) > 65_536:
        assert response.status_code == 400  # the field's limit
    else:
        assert response.status_code == 200
        assert response.context["verdict"].state == "invalid"


def test_binary_upload_is_refused_with_a_message(client):
    upload = SimpleUploadedFile("badge.png", b"\x89PNG\r\n\x1a\n\xff\xfe")
    response = client.post(VERIFY, {"file": upload})
    assert response.status_code == 400
    assert "This file is not text" in response.content.decode()


def test_credential_signed_before_a_key_rotation_still_verifies(client, award, settings, rsa_pems):
    token = token_for(award)
    settings.CREDENTIALS_SIGNING_KEY = rsa_pems[1]
    verdict = client.post(VERIFY, {"token": token}).context["verdict"]
    assert verdict.state == "valid"
    assert verdict.award == award
