import pytest
from django.core.management import CommandError, call_command

from accounts.enums import Region, Role, SecurityEventKind
from accounts.models import RoleGrant, SecurityEvent
from accounts.rules import (
    is_global_staff,
    is_program_staff,
    is_regional_manager,
    is_reviewer,
)
from accounts.services import RoleError, grant_role, revoke_role

pytestmark = pytest.mark.django_db

PREDICATES = {
    "reviewer": is_reviewer,
    "global_staff": is_global_staff,
    "regional_manager": is_regional_manager,
    "program_staff": is_program_staff,
}


@pytest.mark.parametrize(
    ("role", "region", "expected"),
    [
        (None, "", set()),
        (Role.REVIEWER, "", {"reviewer"}),
        (Role.STAFF, "", {"global_staff", "program_staff"}),
        (Role.REGIONAL_MANAGER, Region.EMEA, {"regional_manager", "program_staff"}),
    ],
)
def test_role_predicates_match_granted_role(make_user, role, region, expected):
    person = make_user(role=role, region=region)
    person = type(person).objects.get(pk=person.pk)  # fresh, as a request would load it
    held = {name for name, predicate in PREDICATES.items() if predicate(person)}
    assert held == expected


def test_role_predicates_false_for_anonymous():
    from django.contrib.auth.models import AnonymousUser

    assert not any(predicate(AnonymousUser()) for predicate in PREDICATES.values())


def test_grant_role_regional_manager_requires_region(user):
    with pytest.raises(RoleError):
        grant_role(user=user, role=Role.REGIONAL_MANAGER)
    assert not RoleGrant.objects.exists()


def test_grant_role_staff_gives_admin_access_and_is_audited(user, staff):
    grant_role(user=user, role=Role.STAFF, actor=staff)
    user.refresh_from_db()
    assert user.is_staff
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_GRANTED, user=user).get()
    assert event.actor == staff
    assert event.detail == {"role": "staff", "region": ""}


def test_revoke_role_removes_grant_and_admin_access(staff):
    assert revoke_role(user=staff, role=Role.STAFF) is True
    staff.refresh_from_db()
    assert not staff.is_staff
    assert not RoleGrant.objects.filter(user=staff).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_REVOKED, user=staff).exists()


def test_grant_role_command_grants_and_revokes(user):
    call_command("grant_role", user.email.upper(), "regional_manager", "--region", "apac")
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.region) == ("regional_manager", "apac")
    call_command("grant_role", user.email, "regional_manager", "--revoke")
    assert not RoleGrant.objects.filter(user=user).exists()


def test_grant_role_command_unknown_email_fails(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("grant_role", "nobody@example.com", "reviewer")
