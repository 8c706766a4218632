"""Role edits in the admin go through grant_role / revoke_role: audited, with who granted."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts.enums import Role, SecurityEventKind
from accounts.models import RoleGrant, SecurityEvent
from accounts.services import grant_role
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "rolegrant_set"


@pytest.fixture
def operator(client):
    person = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(person, generate_totp_secret())
    client.force_login(person)
    return person


def change_form_data(client, user) -> dict:
    """What the admin's change page would post back unchanged."""
    response = client.get(reverse("admin:users_user_change", args=[user.pk]))
    assert response.status_code == 200
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if hasattr(field.widget, "decompress"):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    (inline,) = response.context["inline_admin_formsets"]
    formset = inline.formset
    data.update(
        {
            f"{PREFIX}-TOTAL_FORMS": str(len(formset.forms)),
            f"{PREFIX}-INITIAL_FORMS": str(formset.initial_form_count()),
            f"{PREFIX}-MIN_NUM_FORMS": "0",
            f"{PREFIX}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, grant_form in enumerate(formset.forms):
        grant = grant_form.instance
        data[f"{PREFIX}-{index}-id"] = str(grant.pk)
        data[f"{PREFIX}-{index}-user"] = str(user.pk)
        data[f"{PREFIX}-{index}-role"] = grant.role
        data[f"{PREFIX}-{index}-region"] = grant.region
    return data


def add_row(data: dict, user, **fields) -> None:
    index = int(data[f"{PREFIX}-TOTAL_FORMS"])
    data[f"{PREFIX}-TOTAL_FORMS"] = str(index + 1)
    data[f"{PREFIX}-{index}-id"] = ""
    data[f"{PREFIX}-{index}-user"] = str(user.pk)
    for name, value in fields.items():
        data[f"{PREFIX}-{index}-{name}"] = value


def post(client, user, data):
    return client.post(reverse("admin:users_user_change", args=[user.pk]), data)


def test_admin_role_grant_writes_a_security_event_with_granted_by(client, operator):
    person = UserFactory()
    data = change_form_data(client, person)
    add_row(data, person, role=Role.REVIEWER, region="")
    response = post(client, person, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    grant = RoleGrant.objects.get(user=person)
    assert (grant.role, grant.granted_by) == (Role.REVIEWER, operator)
    event = SecurityEvent.objects.get(user=person, kind=SecurityEventKind.ROLE_GRANTED)
    assert event.actor == operator
    assert event.detail == {"role": Role.REVIEWER, "region": ""}


def test_admin_role_removal_writes_a_revocation(client, operator):
    person = UserFactory()
    grant_role(user=person, role=Role.STAFF)
    data = change_form_data(client, person)
    data[f"{PREFIX}-0-DELETE"] = "on"
    data["is_staff"] = "on"  # the page shows the flag grant_role set
    assert post(client, person, data).status_code == 302
    assert not RoleGrant.objects.filter(user=person).exists()
    event = SecurityEvent.objects.get(user=person, kind=SecurityEventKind.ROLE_REVOKED)
    assert (event.actor, event.detail) == (operator, {"role": Role.STAFF})
    person.refresh_from_db()
    assert person.is_staff is False


def test_admin_role_change_is_a_revocation_and_a_grant(client, operator):
    person = UserFactory()
    grant_role(user=person, role=Role.REVIEWER)
    data = change_form_data(client, person)
    data[f"{PREFIX}-0-role"] = Role.REGIONAL_MANAGER
    data[f"{PREFIX}-0-region"] = "emea"
    assert post(client, person, data).status_code == 302
    grant = RoleGrant.objects.get(user=person)
    assert (grant.role, grant.region, grant.granted_by) == (Role.REGIONAL_MANAGER, "emea", operator)
    kinds = list(
        SecurityEvent.objects.filter(user=person, actor=operator)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [SecurityEventKind.ROLE_REVOKED, SecurityEventKind.ROLE_GRANTED]


def test_admin_invalid_role_row_changes_nothing(client, operator):
    person = UserFactory()
    data = change_form_data(client, person)
    add_row(data, person, role=Role.REGIONAL_MANAGER, region="")  # a manager needs a region
    response = post(client, person, data)
    assert response.status_code == 200
    assert not RoleGrant.objects.filter(user=person).exists()
    assert not SecurityEvent.objects.filter(user=person).exists()


def test_unchanged_admin_save_writes_no_event(client, operator):
    person = UserFactory()
    grant_role(user=person, role=Role.REVIEWER)
    before = SecurityEvent.objects.count()
    assert post(client, person, change_form_data(client, person)).status_code == 302
    assert SecurityEvent.objects.count() == before


def test_axes_keeps_no_second_login_log(client):
    from axes.models import AccessLog

    from tests.factories.users import PASSWORD

    person = UserFactory()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.LOGIN).count() == 1
    assert not AccessLog.objects.exists()
