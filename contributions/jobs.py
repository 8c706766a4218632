"""Daily jobs of the contribution log (composed in ``ops.jobs``)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from contributions.models import PendingImport

PENDING_IMPORT_DAYS = 2


def purge_stale_imports(*, as_of: date) -> dict[str, int]:
    """Forget import previews nobody confirmed within two days."""
    cutoff = timezone.make_aware(
        datetime.combine(as_of - timedelta(days=PENDING_IMPORT_DAYS), time())
    )
    deleted, _ = PendingImport.objects.filter(created_at__lt=cutoff).delete()
    return {"purged_imports": deleted}


DAILY_JOBS = [("purge_stale_imports", purge_stale_imports)]
