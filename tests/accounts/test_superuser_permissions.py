"""A superuser keeps the admin but is nobody special in the program until granted a role."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts.enums import Role
from accounts.services import grant_role
from tests.factories.contributions import ContributionFactory, area
from tests.factories.nominations import make_mvp, make_nomination
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    person = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(person, generate_totp_secret())
    return person


def test_superuser_has_no_program_permission_by_being_one(superuser):
    entry = ContributionFactory()
    nomination = make_nomination()
    assert not superuser.has_perm("nominations.nominate")
    assert not superuser.has_perm("contributions.manage_contribution", entry)
    assert not superuser.has_perm("nominations.view_nomination", nomination)
    assert not superuser.has_perm("nominations.review_nomination", nomination)
    assert not superuser.has_perm("awards.view_staff_pages")


def test_superuser_keeps_the_admin_model_permissions(superuser):
    assert superuser.has_perm("users.change_user")
    assert superuser.has_perm("contributions.change_technologyarea")
    assert superuser.has_perm("contributions.view_contribution")
    assert superuser.has_perm("nominations.change_nomination")
    assert superuser.has_module_perms("contributions")


def test_superuser_cannot_nominate_or_edit_someone_elses_entry(client, superuser):
    entry = ContributionFactory()
    client.force_login(superuser)
    data = {
        "candidate_name": "Fresh Face",
        "candidate_email": "fresh@example.com",
        "technology_area": area("azure").pk,
        "reason": "Runs the local user group.",
    }
    assert client.post(reverse("nominations:nominate"), data).status_code == 403
    response = client.post(reverse("contributions:edit", args=[entry.pk]), {"title": "Mine now"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.title != "Mine now"
    assert client.get(reverse("nominations:queue")).status_code == 403


def test_superuser_still_reaches_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:users_user_changelist")).status_code == 200
    assert client.get(reverse("admin:contributions_technologyarea_changelist")).status_code == 200


def test_superuser_with_a_program_role_acts_in_it(client, superuser):
    grant_role(user=superuser, role=Role.STAFF)
    client.force_login(superuser)
    assert client.get(reverse("nominations:queue")).status_code == 200
    assert make_mvp().has_perm("nominations.nominate")
