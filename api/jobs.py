"""Daily jobs of the API app (composed in ``ops.jobs`` through ``settings.DAILY_JOB_MODULES``)."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from notifications.services import Templated, queue_emails, ref

TOKEN_EXPIRY_NOTICE_DAYS = 7


@transaction.atomic(savepoint=False)
def warn_expiring_tokens(*, as_of: date) -> dict[str, int]:
    """Tell each owner once, by email and in the app, that a live token expires within
    seven days of ``as_of``. Once per token (the outbox dedupe key), so a second run, a late
    run or a run after a skipped day tells nobody twice; a revoked or expired token, or one
    whose owner is inactive, is not mentioned."""
    start = timezone.make_aware(datetime.combine(as_of, time()))
    end = start + timedelta(days=TOKEN_EXPIRY_NOTICE_DAYS + 1)
    rows = (
        ApiToken.objects.usable()
        .filter(expires_at__gt=start, expires_at__lt=end)
        .values_list("pk", "name", "expires_at", "user_id", "user__email")
        .order_by("pk")
    )
    text = _("Your API token “%(name)s” expires on %(day)s.")
    queued = queue_emails(
        Templated(
            to=email,
            template="api/email/token_expiring",
            context={"token": ref("api.apitoken", pk), "site_url": settings.SITE_URL},
            category="api_token_expiring",
            dedupe_key=f"apitoken:{pk}:expiring",
            recipient_id=user_id,
            message=text % {"name": name, "day": timezone.localtime(expires_at).date()},
            url="/settings/tokens/",
        )
        for pk, name, expires_at, user_id, email in rows
    )
    return {"token_expiry_notices": len(queued)}


DAILY_JOBS = [("warn_expiring_tokens", warn_expiring_tokens)]
