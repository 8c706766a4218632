"""Thin tasks: ids in, the fetching functions called. The clock is read here."""

from celery import shared_task
from django.utils import timezone

from imports import fetching


@shared_task
def fetch_source_task(source_id: int) -> dict:
    counts = fetching.fetch_source(
        source_id=source_id, as_of=timezone.localdate(), now=timezone.now()
    )
    return counts.as_dict()


@shared_task
def fetch_due_sources_task() -> int:
    """The beat job: claim the sources that are due and queue one fetch each."""
    ids = fetching.claim_due_sources(now=timezone.now())
    for source_id in ids:
        fetch_source_task.delay(source_id)
    return len(ids)
