from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.enums import Region, Role
from accounts.services import RoleError, grant_role, revoke_role


class Command(BaseCommand):
    help = "Grant (or with --revoke, take away) a program role: reviewer, staff, regional_manager."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--region", choices=Region.values, default="")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, email, role, region, revoke, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email {email!r}.")
        if revoke:
            changed = revoke_role(user=user, role=role)
            self.stdout.write(
                f"Revoked {role} from {user.email}."
                if changed
                else f"{user.email} did not have {role}."
            )
            return
        try:
            grant_role(user=user, role=role, region=region)
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        suffix = f" ({region})" if region else ""
        self.stdout.write(f"Granted {role}{suffix} to {user.email}.")
