import contextlib
import zoneinfo

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show times in the signed-in person's own time zone, for this request only: the zone
    is reset afterwards, so nothing else the thread runs later (a test after a request, a
    job) takes "today" in that person's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tzname = getattr(request.user, "timezone", None) if request.user.is_authenticated else None
        timezone.deactivate()
        if tzname:
            with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.activate(zoneinfo.ZoneInfo(tzname))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequireMFAForPrivilegedRolesMiddleware:
    """Staff, regional managers, reviewers and whoever may use the admin site (``is_staff``,
    superusers: they can change anything there) must set up a second factor before anything
    else: a TOTP app or a WebAuthn security key / passkey, either will do.

    Until they do, every page except the account/MFA pages, language switching, static files
    and the health check redirects to the two-factor page, which offers both.
    """

    SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and self.privileged(user)
            and not Authenticator.objects.filter(user=user, type__in=self.SECOND_FACTORS).exists()
        ):
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def privileged(user) -> bool:
        return bool(
            user.is_staff or user.is_superuser or user.roles & set(settings.MFA_REQUIRED_ROLES)
        )
