from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import issue_token


class Command(BaseCommand):
    help = "Create a personal access token for a user and print it (once: it is stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line")

    def handle(self, *args, email, name, **options):
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {email!r}.")
        if not name.strip():
            raise CommandError("The token needs a name.")
        token, secret = issue_token(user=user, name=name)
        self.stderr.write(f"Token {token.name!r} ({token.prefix}…) for {user.email}:")
        self.stdout.write(secret)
