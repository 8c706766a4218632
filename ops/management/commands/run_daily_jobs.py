import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.jobs import run_daily_jobs


class Command(BaseCommand):
    help = "Run every daily job (the ones the scheduler runs) and print JSON counts."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="Evaluate as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, as_of=None, **options):
        if as_of:
            try:
                day = date.fromisoformat(as_of)
            except ValueError as exc:
                raise CommandError(
                    f"--as-of must be a date like 2026-01-31, not {as_of!r}."
                ) from exc
        else:
            day = timezone.localdate()
        counts = run_daily_jobs(as_of=day, trigger="command")
        self.stdout.write(json.dumps(counts, sort_keys=True))
