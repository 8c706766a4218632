"""Create the benchmark's signed-in users and print their session cookies as JSON.

Run with the bench settings against the loaded database: ``python -m bench.prepare``.
"""

import json

import django


def main() -> None:
    django.setup()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.enums import Role
    from accounts.services import grant_role

    user_model = get_user_model()
    staff, _ = user_model.objects.get_or_create(email="bench-staff@example.com")
    staff.is_superuser = True
    staff.is_staff = True
    staff.set_unusable_password()
    staff.save()
    grant_role(user=staff, role=Role.STAFF)
    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, generate_totp_secret())
    contributor = user_model.objects.get(pk=1)
    from contributions.models import Contributor
    from nominations.models import Nomination

    public_handle = (
        Contributor.objects.filter(is_public=True).order_by("pk").values_list("handle", flat=True)
    )[0]
    # A nominee page with everything on it: in review, reviews, an endorsement.
    nomination_id = (
        Nomination.objects.filter(
            status="in_review", reviews__isnull=False, endorsements__isnull=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )[0]

    def cookie(user) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.ModelPermissionBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    print(
        json.dumps(
            {
                "contributor": cookie(contributor),
                "contributor_id": contributor.contributor.pk,
                "staff": cookie(staff),
                "public_handle": public_handle,
                "nomination_id": nomination_id,
            }
        )
    )


if __name__ == "__main__":
    main()
