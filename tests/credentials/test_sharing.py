"""Where holders and staff take an award away: the buttons, LinkedIn, the API, the PDF."""

import io
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.enums import Role
from tests.factories.awards import make_award

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def owner(make_user):
    person = make_user(email="ada.owner@example.com")
    person.contributor.display_name = "Ada Owner"
    person.contributor.save()
    return person


@pytest.fixture
def award(owner):
    return make_award(contributor=owner.contributor, starts_on=TODAY - timedelta(days=10))


@pytest.fixture
def staff(make_user):
    person = make_user(role=Role.STAFF)
    TOTP.activate(person, generate_totp_secret())
    return person


# Not "page": pytest-playwright claims a parameter of that name for its browser fixture.
@pytest.mark.parametrize("url_name", ["awards:detail", "awards:certificate"])
def test_award_pages_offer_credential_pdf_and_linkedin(client, staff, award, url_name):
    client.force_login(staff)
    body = client.get(reverse(url_name, args=[award.pk])).content.decode()
    assert f'href="/awards/{award.pk}/credential.jwt"' in body
    assert "Download credential" in body
    assert f'href="/awards/{award.pk}/certificate.pdf"' in body
    assert "https://www.linkedin.com/profile/add?" in body


def test_linkedin_link_carries_the_certification(client, owner, award):
    client.force_login(owner)
    response = client.get(reverse("awards:certificate", args=[award.pk]))
    query = parse_qs(urlsplit(response.context["linkedin_url"]).query)
    assert query == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [f"MVP in {award.technology_area.name}"],
        "organizationName": ["Example MVP Program"],
        "issueYear": [str(award.starts_on.year)],
        "issueMonth": [str(award.starts_on.month)],
        "expirationYear": [str(award.ends_on.year)],
        "expirationMonth": [str(award.ends_on.month)],
        "certUrl": [f"https://mvp.example.org/verify/{award.certificate_code}/"],
        "certId": [award.certificate_code],
    }


# --- API ------------------------------------------------------------------------------------


def api_get(client, award, **params):
    return client.get(f"/api/v1/awards/{award.pk}/credential", params)


def test_api_credential_for_the_holder_as_jwt_and_json(client, owner, award):
    client.force_login(owner)
    response = api_get(client, award)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response.content.count(b".") == 2
    decoded = api_get(client, award, format="json")
    assert decoded["Content-Type"] == "application/json"
    assert json.loads(decoded.content)["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_api_private_award_is_a_404_to_strangers(client, make_user, award, who):
    award.contributor.is_public = False
    award.contributor.save()
    if who == "stranger":
        client.force_login(make_user())
    response = api_get(client, award)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_api_public_award_is_readable_by_anyone(client, award):
    award.contributor.is_public = True
    award.contributor.save()
    assert api_get(client, award).status_code == 200


def test_api_bad_format_is_a_400(client, owner, award):
    client.force_login(owner)
    response = api_get(client, award, format="xml")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_api_credential_is_in_the_openapi_document(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    operation = document["paths"]["/api/v1/awards/{award_id}/credential"]["get"]
    assert "application/vc+jwt" in operation["responses"]["200"]["content"]


# --- PDF ------------------------------------------------------------------------------------


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_certificate_in_korean_shows_korean_text(client, owner, award):
    owner.language = "ko"
    owner.save(update_fields=["language"])
    owner.contributor.display_name = "김민수"
    owner.contributor.save()
    client.force_login(owner)
    text = pdf_text(client.get(reverse("credentials:certificate_pdf", args=[award.pk])))
    assert "공로 인증서" in text  # "Certificate of recognition"
    assert "분야 MVP" in text  # "MVP in <area>", the achievement's Korean name
    assert "김민수" in text
    assert "임기" in text  # "Term"
    assert f"/verify/{award.certificate_code}/" in text


def test_pdf_certificate_follows_the_holders_language_not_the_viewers(client, staff, award):
    client.force_login(staff)
    text = pdf_text(
        client.get(
            reverse("credentials:certificate_pdf", args=[award.pk]), HTTP_ACCEPT_LANGUAGE="ko"
        )
    )
    assert "is recognised as MVP in" in text
    assert "CERTIFICATE OF RECOGNITION" in text  # upper-cased by the stylesheet
    assert "공로 인증서" not in text


def test_pdf_certificate_is_refused_to_a_stranger(client, make_user, award):
    client.force_login(make_user())
    response = client.get(reverse("credentials:certificate_pdf", args=[award.pk]))
    assert response.status_code == 403


# --- the holder's language ------------------------------------------------------------------


def test_profile_saves_the_language(client, owner):
    client.force_login(owner)
    page = client.get(reverse("contributions:profile"))
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "display_name": "Ada Owner",
            "handle": owner.contributor.handle,
            "language": "ko",
            "timezone": "Asia/Seoul",
            "links": "",
            "languages": "",
        }
    )
    data.pop("additional_areas", None)
    for name in ("primary_area", "country", "region", "employer_category"):
        value = data.get(name)
        data[name] = getattr(value, "pk", value) or ""
    response = client.post(reverse("contributions:profile"), data)
    assert response.status_code == 302, response.context["form"].errors
    owner.refresh_from_db()
    assert owner.language == "ko"
    assert owner.timezone == "Asia/Seoul"


def test_profile_refuses_an_unknown_language(client, owner):
    client.force_login(owner)
    response = client.post(reverse("contributions:profile"), {"language": "xx"})
    assert "language" in response.context["form"].errors
    owner.refresh_from_db()
    assert owner.language == "en"


def test_signup_keeps_the_language_it_was_made_in(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.com",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(email="new.person@example.com").language == "ko"


def test_holders_own_eligibility_page_links_each_badge_to_its_certificate(client, owner, award):
    client.force_login(owner)
    body = client.get(reverse("awards:my_eligibility")).content.decode()
    assert f'href="/awards/{award.pk}/certificate/"' in body
    certificate = client.get(f"/awards/{award.pk}/certificate/").content.decode()
    assert "Download credential" in certificate
