"""Demo data to look at: one user per role. Idempotent: a second run changes nothing."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.enums import Region, Role
from accounts.services import grant_role
from awards.demo import load_demo as load_award_demo
from contributions.demo import load_demo as load_contribution_demo
from contributions.services import ensure_contributor
from nominations.demo import load_demo as load_nomination_demo

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 — printed on purpose, demo mode only
# A fixed TOTP secret so staff and reviewers can add it to an authenticator app in the demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

DEMO_USERS = [
    # (email, role, region)
    ("contributor@demo.mvptracker.test", None, ""),
    ("reviewer@demo.mvptracker.test", Role.REVIEWER, ""),
    ("staff@demo.mvptracker.test", Role.STAFF, ""),
    ("manager.apac@demo.mvptracker.test", Role.REGIONAL_MANAGER, Region.APAC),
]


class Command(BaseCommand):
    help = "Load demo data (idempotent). Passwords are printed only in the embedded demo mode."

    @transaction.atomic
    def handle(self, *args, **options):
        demo_mode = settings.MVPTRACKER_DEMO_MODE
        user_model = get_user_model()
        users = {}
        for email, role, region in DEMO_USERS:
            user, created = user_model.objects.get_or_create(email=email)
            users[role or "contributor"] = user
            ensure_contributor(user=user)
            if created:
                if demo_mode:
                    user.set_password(DEMO_PASSWORD)
                else:
                    user.set_unusable_password()
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if role:
                grant_role(user=user, role=role, region=region)
                if (
                    demo_mode
                    and not Authenticator.objects.filter(
                        user=user, type=Authenticator.Type.TOTP
                    ).exists()
                ):
                    TOTP.activate(user, DEMO_TOTP_SECRET)
        today = timezone.localdate()
        for load in (load_contribution_demo, load_award_demo, load_nomination_demo):
            load(users=users, today=today)
        if demo_mode:
            self.stdout.write("Demo users (embedded demo mode only):")
            for email, role, region in DEMO_USERS:
                label = role or "contributor"
                if region:
                    label += f" ({region})"
                self.stdout.write(f"  {label:<28} {email}  password: {DEMO_PASSWORD}")
            self.stdout.write(
                f"  Staff and reviewers need TOTP: add secret {DEMO_TOTP_SECRET} "
                "to an authenticator app."
            )
        else:
            self.stdout.write("Demo data loaded (passwords unusable outside the demo mode).")
