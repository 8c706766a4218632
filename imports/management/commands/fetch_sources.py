import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from imports.fetching import fetch_sources


class Command(BaseCommand):
    help = "Fetch import sources in the foreground and print one JSON object of counts."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, help="Only this source id (even if paused).")

    def handle(self, *args, source=None, **options):
        counts = fetch_sources(as_of=timezone.localdate(), now=timezone.now(), source_id=source)
        self.stdout.write(json.dumps(counts.as_dict()))
