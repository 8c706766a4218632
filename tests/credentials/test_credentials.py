"""The award's Open Badges 3.0 credential: what it says, who may fetch it, and that an
independent JOSE library (PyJWT) verifies it against the published keys."""

import json
from datetime import UTC, date, datetime, time, timedelta

import jwt
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from awards.services import revoke_award
from credentials.models import AwardCredential
from tests.credentials.helpers import bit, ob3_validator, unverified_payload
from tests.factories.awards import make_award

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BASE = "https://mvp.example.org"


@pytest.fixture
def owner(make_user):
    person = make_user(email="ada.owner@example.com")
    person.contributor.display_name = "Ada Owner"
    person.contributor.save()
    return person


@pytest.fixture
def award(owner):
    return make_award(contributor=owner.contributor, starts_on=TODAY - timedelta(days=10))


def download(client, person, award, **params):
    client.force_login(person)
    return client.get(reverse("credentials:download", args=[award.pk]), params)


def pyjwt_verify(client, token: str, **options) -> dict:
    """Verify with PyJWT and the JWKS the site publishes: nothing from credentials/ is used."""
    keys = jwt.PyJWKSet.from_dict(json.loads(client.get("/.well-known/jwks.json").content))
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    return jwt.decode(token, key, algorithms=["RS256"], options=options)


def test_credential_signature_verifies_with_an_independent_library(client, owner, award):
    response = download(client, owner, award)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert "attachment" in response["Content-Disposition"]
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    assert header["typ"] == "JWT"
    assert header["kid"]
    claims = pyjwt_verify(client, token)
    assert claims["iss"] == f"{BASE}/credentials/issuer/"
    assert claims["jti"] == f"{BASE}/verify/{award.certificate_code}/"
    assert claims["sub"] == claims["credentialSubject"]["id"]
    start = datetime.combine(award.starts_on, time.min, tzinfo=UTC)
    assert claims["nbf"] == int(start.timestamp())


def test_credential_validates_against_the_ob3_schema_and_says_what_it_should(client, owner, award):
    token = download(client, owner, award).content.decode()
    payload = unverified_payload(token)
    ob3_validator().validate(payload)  # raises with the failing path if not
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["validFrom"] == f"{award.starts_on:%Y-%m-%d}T00:00:00Z"
    assert payload["validUntil"] == f"{award.ends_on:%Y-%m-%d}T23:59:59Z"
    assert payload["issuer"]["name"] == "Example MVP Program"
    assert payload["issuer"]["url"] == f"{BASE}/"
    assert payload["issuer"]["image"]["id"].startswith(f"{BASE}/static/img/")
    subject = payload["credentialSubject"]
    assert subject["id"].startswith("urn:uuid:")
    achievement = subject["achievement"]
    assert achievement["name"] == f"MVP in {award.technology_area.name}"
    assert "6 contributions" in achievement["criteria"]["narrative"]  # the policy's threshold
    assert achievement["image"]["id"] == f"{BASE}/static/img/badge-mvp.svg"
    record = AwardCredential.objects.get(award=award)
    assert payload["credentialStatus"] == {
        "id": f"{BASE}/credentials/status/1#{record.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(record.status_index),
        "statusListCredential": f"{BASE}/credentials/status/1",
    }
    # The holder is named by a random identifier; the email travels only salted and hashed.
    assert "ada.owner@example.com" not in json.dumps(payload)
    assert subject["identifier"][0]["hashed"] is True


def test_credential_json_format_is_the_decoded_credential(client, owner, award):
    token = download(client, owner, award).content.decode()
    response = download(client, owner, award, format="json")
    assert response["Content-Type"] == "application/json"
    claims = unverified_payload(token)
    for registered in ("iss", "sub", "jti", "nbf", "exp"):
        claims.pop(registered)
    assert json.loads(response.content) == claims


def test_mcc_credential_is_schema_valid(client, owner):
    mcc = make_award(contributor=owner.contributor, kind="mcc", starts_on=TODAY)
    payload = unverified_payload(download(client, owner, mcc).content.decode())
    ob3_validator().validate(payload)
    assert payload["credentialSubject"]["achievement"]["name"] == "MCC (Community Contributor)"


def test_status_index_is_allocated_once_and_distinct(client, owner, award):
    other = make_award(contributor=owner.contributor, kind="mcc", starts_on=TODAY)
    first = download(client, owner, award).content
    assert download(client, owner, award).content == first  # same credential every time
    download(client, owner, other)
    indexes = list(AwardCredential.objects.values_list("status_index", flat=True))
    assert sorted(indexes) == [0, 1]


def test_revocation_sets_the_status_bit_at_once(client, owner, award, staff):
    token = download(client, owner, award).content.decode()
    index = int(unverified_payload(token)["credentialStatus"]["statusListIndex"])
    client.logout()
    listed = client.get("/credentials/status/1")
    assert listed["Content-Type"] == "application/vc+jwt"
    status = pyjwt_verify(client, listed.content.decode())
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status["credentialSubject"]["statusPurpose"] == "revocation"
    assert not bit(status["credentialSubject"]["encodedList"], index)

    revoke_award(award_id=award.pk, actor=staff, reason="Conduct")

    status = pyjwt_verify(client, client.get("/credentials/status/1").content.decode())
    assert bit(status["credentialSubject"]["encodedList"], index)
    decoded = json.loads(client.get("/credentials/status/1", {"format": "json"}).content)
    assert decoded["credentialSubject"] == status["credentialSubject"]


@pytest.mark.parametrize(
    ("who", "expected"), [("owner", 200), ("staff", 200), ("stranger", 403), ("anonymous", 302)]
)
def test_download_permissions(client, make_user, owner, award, who, expected):
    staff = make_user(role=Role.STAFF)
    TOTP.activate(staff, generate_totp_secret())  # staff pages need TOTP first
    people = {"owner": owner, "staff": staff, "stranger": make_user()}
    if who != "anonymous":
        client.force_login(people[who])
    response = client.get(reverse("credentials:download", args=[award.pk]))
    assert response.status_code == expected
    assert AwardCredential.objects.exists() == (expected == 200)  # a denial allocates nothing


def test_jwks_keeps_a_rotated_key_while_its_credentials_are_in_force(
    client, settings, rsa_pems, owner, award
):
    from credentials.services import jwks

    old_token = download(client, owner, award).content.decode()
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    settings.CREDENTIALS_SIGNING_KEY = rsa_pems[1]  # rotate
    kids = [key["kid"] for key in json.loads(client.get("/.well-known/jwks.json").content)["keys"]]
    assert old_kid in kids
    assert len(kids) == 2
    assert pyjwt_verify(client, old_token)["jti"].endswith(f"/{award.certificate_code}/")
    new_token = download(client, owner, award).content.decode()
    assert jwt.get_unverified_header(new_token)["kid"] != old_kid
    # Once the last credential it signed is past validUntil, the old key leaves the set.
    after = [key["kid"] for key in jwks(as_of=award.ends_on + timedelta(days=1))["keys"]]
    assert old_kid not in after
    assert len(after) == 1


def test_demo_key_is_generated_once_under_the_data_dir(settings, tmp_path):
    from credentials.keys import key_id, signing_key

    settings.CREDENTIALS_SIGNING_KEY = ""
    settings.CREDENTIALS_SIGNING_KEY_FILE = str(tmp_path / "credentials" / "key.pem")
    first = key_id(signing_key())
    assert (tmp_path / "credentials" / "key.pem").stat().st_mode & 0o077 == 0
    assert key_id(signing_key()) == first


def test_missing_key_without_generation_is_a_clear_configuration_error(settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from credentials.keys import signing_key

    settings.CREDENTIALS_SIGNING_KEY = ""
    settings.CREDENTIALS_SIGNING_KEY_FILE = str(tmp_path / "absent.pem")
    settings.CREDENTIALS_GENERATE_KEY = False
    with pytest.raises(ImproperlyConfigured, match="CREDENTIALS_SIGNING_KEY"):
        signing_key()
    assert not (tmp_path / "absent.pem").exists()


def test_expired_award_credential_is_past_valid_until(client, owner):
    old = make_award(contributor=owner.contributor, starts_on=date(2020, 1, 1))
    token = download(client, owner, old).content.decode()
    with pytest.raises(jwt.ExpiredSignatureError):
        pyjwt_verify(client, token)
    assert pyjwt_verify(client, token, verify_exp=False)["validUntil"] == "2020-12-31T23:59:59Z"
