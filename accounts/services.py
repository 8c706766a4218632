"""Writes on accounts: role grants (audited) and the security log."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.enums import Role, SecurityEventKind
from accounts.models import RoleGrant, SecurityEvent, User


class RoleError(ValueError):
    pass


def record_security_event(
    *,
    kind: str,
    user: User | None = None,
    actor: User | None = None,
    identifier: str = "",
    ip_address: str | None = None,
    detail: dict | None = None,
) -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        identifier=identifier[:254],
        ip_address=ip_address or None,
        detail=detail or {},
    )


@transaction.atomic
def grant_role(*, user: User, role: str, region: str = "", actor: User | None = None) -> RoleGrant:
    """Give ``user`` a program role. Regional managers need a region; others must not have one.

    Program staff also get admin-site access, which the Django admin needs.
    """
    if role not in Role.values:
        raise RoleError(f"Unknown role {role!r}.")
    if role == Role.REGIONAL_MANAGER and not region:
        raise RoleError("A regional manager needs a region.")
    if role != Role.REGIONAL_MANAGER and region:
        raise RoleError("Only a regional manager has a region.")
    grant, created = RoleGrant.objects.select_for_update().get_or_create(
        user=user, role=role, defaults={"region": region, "granted_by": actor}
    )
    if not created and grant.region != region:
        grant.region = region
        grant.save(update_fields=["region"])
    if role == Role.STAFF and not user.is_staff:
        get_user_model().objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    record_security_event(
        kind=SecurityEventKind.ROLE_GRANTED,
        user=user,
        actor=actor,
        identifier=user.email,
        detail={"role": role, "region": region},
    )
    user.__dict__.pop("role_grants", None)
    return grant


@transaction.atomic
def revoke_role(*, user: User, role: str, actor: User | None = None) -> bool:
    deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
    if role == Role.STAFF and user.is_staff and not user.is_superuser:
        get_user_model().objects.filter(pk=user.pk).update(is_staff=False)
        user.is_staff = False
    if deleted:
        record_security_event(
            kind=SecurityEventKind.ROLE_REVOKED,
            user=user,
            actor=actor,
            identifier=user.email,
            detail={"role": role},
        )
    user.__dict__.pop("role_grants", None)
    return bool(deleted)
