"""Who is calling: a personal access token (``Authorization: Bearer``), else the browser
session (with CSRF on unsafe methods), else nobody. Every identified caller is rate limited.
"""

import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security.http import HttpAuthBase
from ninja.utils import check_csrf

from api import ratelimit
from api.errors import Forbidden, NotAuthenticated, RateLimited
from api.models import ApiToken
from api.services import mark_token_used, token_for_secret

if TYPE_CHECKING:
    from accounts.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    user: "User | AnonymousUser"
    token: ApiToken | None = None

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    def __bool__(self) -> bool:  # ninja accepts any truthy result, anonymous included
        return True


def _activate_timezone(user) -> None:
    # Session requests get this from UserTimezoneMiddleware; token requests are identified
    # only here, after the middleware ran, so "today" would otherwise be UTC's today.
    try:
        timezone.activate(zoneinfo.ZoneInfo(user.timezone or "UTC"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


def _bearer(header: str) -> ApiToken:
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated(_("Use the header “Authorization: Bearer <token>”."))
    token = token_for_secret(secret.strip())
    if token is None:
        raise NotAuthenticated(_("The token is invalid or has been revoked."))
    if token.is_expired():
        raise NotAuthenticated(
            _("The token expired on %(day)s. Create a new one at /settings/tokens/.")
            % {"day": timezone.localtime(token.expires_at).date().isoformat()}
        )
    return token


def _check_scope(request, token: ApiToken) -> None:
    if token.is_read_only and request.method not in SAFE_METHODS:
        raise Forbidden(
            _("This token is read-only: it may only read (GET). Use a token with write scope.")
        )


def _throttle(request, key: str) -> None:
    allowed, remaining, reset = ratelimit.hit(key)
    request.rate_limit_headers = {
        "RateLimit-Limit": str(ratelimit.rate_limit()[0]),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(reset),
    }
    if not allowed:
        raise RateLimited(
            _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": reset},
            headers={"Retry-After": str(reset), **request.rate_limit_headers},
        )


class ApiAuth(HttpAuthBase):
    """Bearer token, else session. ``required=False`` also admits anonymous callers (public
    reads); a token that is sent but wrong is still a 401, never a silent anonymous call."""

    openapi_scheme = "bearer"
    openapi_description = (
        "A personal access token from /settings/tokens/. Its scope is `read` (safe methods only; "
        "anything else is 403) or `write`; after its expiry (one year by default) it is 401."
    )

    def __init__(self, *, required: bool = True):
        self.required = required
        super().__init__()

    def __call__(self, request) -> Caller:
        header = request.headers.get("Authorization")
        if header:
            token = _bearer(header)
            _check_scope(request, token)
            user: User | AnonymousUser = token.user
            request.user = user
            _activate_timezone(user)
            caller = Caller(user=user, token=token)
            _throttle(request, f"token:{token.pk}")
            mark_token_used(token=token)
            return caller
        user = getattr(request, "user", None) or AnonymousUser()
        if user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise Forbidden(_("CSRF check failed. Send the X-CSRFToken header."))
            _throttle(request, f"user:{user.pk}")
            return Caller(user=user)
        if self.required:
            raise NotAuthenticated(_("Send a personal access token or sign in."))
        _throttle(request, f"ip:{request.META.get('REMOTE_ADDR', '')}")
        return Caller(user=AnonymousUser())


class OptionalApiAuth(ApiAuth):
    """The same, admitting anonymous callers; the OpenAPI document says so (see api.py)."""

    def __init__(self):
        super().__init__(required=False)


token_or_session = ApiAuth()
optional_auth = OptionalApiAuth()
