from celery import shared_task
from django.utils import timezone

from ops.jobs import run_daily_jobs


@shared_task(acks_late=True)
def run_daily_jobs_task() -> dict[str, int]:
    return run_daily_jobs(as_of=timezone.localdate(), trigger="scheduler")
