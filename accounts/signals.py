"""Feed the security log from Django's and axes' authentication signals."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.enums import SecurityEventKind
from accounts.services import record_security_event


def _ip(request) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    record_security_event(
        kind=SecurityEventKind.LOGIN, user=user, identifier=user.email, ip_address=_ip(request)
    )


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(
            kind=SecurityEventKind.LOGOUT,
            user=user,
            identifier=user.email,
            ip_address=_ip(request),
        )


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    identifier = str(credentials.get("email") or credentials.get("username") or "")
    user = get_user_model().objects.filter(email__iexact=identifier).first() if identifier else None
    record_security_event(
        kind=SecurityEventKind.LOGIN_FAILED,
        user=user,
        identifier=identifier,
        ip_address=_ip(request),
    )


@receiver(user_locked_out)
def _on_locked_out(sender, request, username, ip_address, **kwargs):
    # Linked to the account (like failed logins) so it shows in that person's security log.
    identifier = username or ""
    user = get_user_model().objects.filter(email__iexact=identifier).first() if identifier else None
    record_security_event(
        kind=SecurityEventKind.LOCKED_OUT, user=user, identifier=identifier, ip_address=ip_address
    )
