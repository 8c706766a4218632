"""The daily jobs, composed from the domain apps. The scheduler and ``run_daily_jobs`` both
call :func:`run_daily_jobs`, so there is one way to run them.

Every job is state-driven ("everything past its date and not yet handled as of D"), so a
second run for the same date, a late run or a run after a crash changes nothing more.
"""

import traceback
from collections.abc import Callable
from datetime import date
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from ops.models import JobRun

# (name in the counts, function taking as_of and returning a dict of counts)
DailyJob = tuple[str, Callable[..., dict[str, int]]]


def daily_jobs() -> list[DailyJob]:
    """The jobs in the order they run: the ``DAILY_JOBS`` of each module named by
    ``settings.DAILY_JOB_MODULES`` (awards first: expiry frees people for new terms; then
    nominations; then housekeeping). The list lives in the configuration layer, which sees every
    app: ``api`` sits beside ``ops``, so ops may not import it."""
    return [
        job for module in settings.DAILY_JOB_MODULES for job in import_module(module).DAILY_JOBS
    ]


def run_daily_jobs(*, as_of: date, trigger: str = "scheduler") -> dict[str, int]:
    run = JobRun.objects.create(as_of=as_of, trigger=trigger)
    counts: dict[str, int] = {}
    try:
        for _name, job in daily_jobs():
            counts.update(job(as_of=as_of))
    except Exception:
        run.error = traceback.format_exc()[-4000:]
        raise
    finally:
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at", "error"])
    return counts
