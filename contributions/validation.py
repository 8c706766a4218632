"""The rules a contribution's input must follow, written once for every way in: the web form,
the CSV import and the HTTP API. Each raises Django's ``ValidationError`` with a message meant
for the person who typed the value; callers attach it to their own field."""

from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
HTTP_URL_MESSAGE = _("Enter a web address that starts with http:// or https://.")
ROLE_MISFIT_MESSAGE = _("This role does not fit the chosen kind.")


def check_http_url(url: str) -> None:
    """Only http and https links with a host: no javascript:, data: or file: addresses."""
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError(HTTP_URL_MESSAGE)


def check_contribution_date(day: date, *, today: date) -> None:
    """Not in the future (the contributor's today), not before 2000."""
    if day > today:
        raise ValidationError(_("The date cannot be in the future."))
    if day < EARLIEST_DATE:
        raise ValidationError(_("The date cannot be before 1 January 2000."))


def check_role_fits_kind(role: str | None, kind) -> None:
    """An empty role always fits; otherwise it must be one of the kind's roles."""
    if role and kind is not None and role not in kind.roles:
        raise ValidationError(ROLE_MISFIT_MESSAGE)
