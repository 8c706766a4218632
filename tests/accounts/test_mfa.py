import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role_fixture", ["staff", "reviewer", "regional_manager"])
def test_privileged_role_without_totp_is_sent_to_mfa_setup(client, request, role_fixture):
    person = request.getfixturevalue(role_fixture)
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    # The set-up page stays reachable (allauth first asks for the password again).
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_admin_site_user_without_a_role_is_sent_to_mfa_setup(client, flags):
    """The admin changes anything: its users need TOTP whether or not they hold a role."""
    from tests.factories.users import UserFactory

    person = UserFactory(**flags)
    client.force_login(person)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    TOTP.activate(person, generate_totp_secret())
    assert client.get(reverse("admin:index")).status_code == 200


def test_privileged_role_with_totp_reaches_pages(client, staff):
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    assert client.get(reverse("home")).status_code == 200


def test_contributor_is_not_asked_for_mfa(client, user):
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_mfa_available_to_contributors(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert b"authenticator" in response.content.lower()
