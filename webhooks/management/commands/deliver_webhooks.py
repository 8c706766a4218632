import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from webhooks.delivery import deliver_due
from webhooks.services import make_waiting_due


class Command(BaseCommand):
    help = "Deliver the webhooks that are due now; print {delivered, failed, pending}."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="Also make every delivery waiting for its next attempt due now.",
        )

    def handle(self, *args, retry_now=False, **options):
        now = timezone.now()
        if retry_now:
            make_waiting_due(now=now)
        self.stdout.write(json.dumps(deliver_due()))
