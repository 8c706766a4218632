from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.enums import TokenScope
from api.services import expiry_for_day, issue_token


class Command(BaseCommand):
    help = (
        "Create a personal access token for a user and print it (once: it is stored hashed). "
        "Write scope and one year of life unless --scope / --expires say otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.WRITE)
        parser.add_argument(
            "--expires", metavar="YYYY-MM-DD", help="the last day it works (default: a year)"
        )

    def handle(self, *args, email, name, scope, expires, **options):
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {email!r}.")
        if not name.strip():
            raise CommandError("The token needs a name.")
        expires_at = None
        if expires:
            try:
                day = date.fromisoformat(expires)
            except ValueError:
                raise CommandError(
                    f"--expires must be a date YYYY-MM-DD, not {expires!r}."
                ) from None
            if day < timezone.localdate():
                raise CommandError(f"--expires {expires} is in the past.")
            expires_at = expiry_for_day(day)
        token, secret = issue_token(user=user, name=name, scope=scope, expires_at=expires_at)
        expiry = timezone.localtime(token.expires_at)
        self.stderr.write(
            f"Token {token.name!r} ({token.prefix}…) for {user.email}, scope {token.scope}, "
            f"expires {expiry:%Y-%m-%d %H:%M %Z}:"
        )
        self.stdout.write(secret)
