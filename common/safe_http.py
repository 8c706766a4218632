"""Outbound HTTP to addresses people type in (feeds, webhook receivers), guarded against
server-side request forgery and against answers that never end.

Every request goes through :class:`GuardedTransport`, which resolves the host itself, refuses
it unless every address it resolves to is allowed, and then connects to the checked address
(the URL's host is kept for the ``Host`` header and TLS's SNI and certificate check), so a DNS
answer that changes between the check and the connection cannot reach an internal service.
Redirects are followed here, one hop at a time, so each new host goes through the same check.

Only http and https; at most ``max_redirects`` hops; 10 s to connect and between reads and an
overall deadline; the body is read up to ``max_bytes`` and the read stops past it. Callers pass
``allow_private`` from their own setting (``IMPORT_ALLOW_PRIVATE_NETWORKS``,
``WEBHOOKS_ALLOW_PRIVATE_NETWORKS``), which only tests and local demos turn on.
"""

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[Address], bool]

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT = 10.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# 100.64.0.0/10 (CGNAT) is neither private nor global in Python's tables; name it outright.
CGNAT = ipaddress.ip_network("100.64.0.0/10")


class FetchError(Exception):
    """The request could not be made or its answer was refused; ``str()`` says why, for people."""


class UnsafeURL(FetchError):
    """The URL is not one the server may request (scheme, host or address)."""


def is_public_address(address: Address) -> bool:
    """True for a globally routable unicast address; False for loopback, private, link-local,
    CGNAT, multicast, reserved and unspecified addresses (IPv4-mapped IPv6 is judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv4Address) and address in CGNAT:
        return False
    return bool(
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_unspecified
    )


def allow_any_address(address: Address) -> bool:
    return True


def address_check(*, allow_private: bool) -> AddressCheck:
    return allow_any_address if allow_private else is_public_address


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(_("The host %(host)s could not be found.") % {"host": host}) from exc
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])  # the host is a str
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_url(
    url: str, *, allowed: AddressCheck, resolver: Callable = resolve
) -> tuple[str, int, Address]:
    """Refuse a URL that is not http(s) or whose host resolves to a refused address.

    Returns the host, port and the address to connect to. Every address the host resolves to
    must be allowed, not just the first: a name with one public and one internal address is
    refused.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise UnsafeURL(_("Only http and https addresses can be fetched."))
    host = parts.hostname
    if not host:
        raise UnsafeURL(_("The address has no host name."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Addresses with a user name or password are not accepted."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL(_("The address has an invalid port.")) from exc
    addresses = resolver(host, port)
    if not addresses:
        raise FetchError(_("The host %(host)s could not be found.") % {"host": host})
    for address in addresses:
        if not allowed(address):
            raise UnsafeURL(
                _(
                    "%(host)s resolves to %(address)s, a private, loopback, link-local or "
                    "reserved address, which this server does not fetch from."
                )
                % {"host": host, "address": address}
            )
    return host, port, addresses[0]


class GuardedTransport(httpx.HTTPTransport):
    """Connects only to checked addresses, keeping the name for ``Host`` and TLS."""

    def __init__(self, *, allowed: AddressCheck, resolver: Callable = resolve, **kwargs):
        super().__init__(**kwargs)
        self.allowed = allowed
        self.resolver = resolver

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host, _port, address = check_url(
            str(request.url), allowed=self.allowed, resolver=self.resolver
        )
        literal = f"[{address}]" if address.version == 6 else str(address)
        request.url = request.url.copy_with(host=literal.strip("[]"))
        request.headers["Host"] = request.headers.get("Host") or host
        if request.url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)


@dataclass(frozen=True)
class FetchResult:
    status: int
    url: str  # the final URL, after redirects
    headers: Mapping[str, str]
    content: bytes = b""
    redirects: tuple[str, ...] = field(default_factory=tuple)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def user_agent() -> str:
    agent = f"{settings.SITE_NAME}/{settings.APP_VERSION}"
    return f"{agent} (+{settings.SITE_URL})" if settings.SITE_URL else agent


def request(
    method: str,
    url: str,
    *,
    allow_private: bool,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
    deadline: float | None = None,
    max_redirects: int = MAX_REDIRECTS,
    follow_redirects: bool = True,
    resolver: Callable = resolve,
    allowed: AddressCheck | None = None,
) -> FetchResult:
    """Make one guarded request; follow redirects (GET and HEAD only) with the same checks.

    Raises :class:`UnsafeURL` for a refused URL or redirect target, :class:`FetchError` for a
    network error, a timeout, a redirect loop or an answer larger than ``max_bytes``.
    ``deadline`` bounds the whole exchange in seconds (default: three times ``timeout``), so a
    server that sends a byte every few seconds cannot hold a worker.
    """
    allowed = allowed or address_check(allow_private=allow_private)
    started = time.monotonic()
    deadline = deadline if deadline is not None else 3 * timeout
    transport = GuardedTransport(allowed=allowed, resolver=resolver)
    sent_headers = {"User-Agent": user_agent(), **(headers or {})}
    hops: list[str] = []
    with httpx.Client(
        transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False
    ) as client:
        while True:
            try:
                with client.stream(method, url, headers=sent_headers, content=content) as answer:
                    location = answer.headers.get("location")
                    if (
                        follow_redirects
                        and answer.status_code in REDIRECT_STATUSES
                        and location
                        and method in {"GET", "HEAD"}
                    ):
                        if len(hops) >= max_redirects:
                            raise FetchError(
                                _("More than %(count)s redirects.") % {"count": max_redirects}
                            )
                        hops.append(url)
                        url = urljoin(url, location)
                        continue
                    body = _read_limited(
                        answer.iter_bytes(), max_bytes=max_bytes, started=started, deadline=deadline
                    )
                    return FetchResult(
                        status=answer.status_code,
                        url=url,
                        headers=dict(answer.headers),
                        content=body,
                        redirects=tuple(hops),
                    )
            except httpx.TimeoutException as exc:
                raise FetchError(
                    _("The server did not answer within %(seconds)s seconds.")
                    % {"seconds": int(timeout)}
                ) from exc
            except httpx.HTTPError as exc:
                raise FetchError(
                    _("The request failed: %(error)s") % {"error": type(exc).__name__}
                ) from exc


def get(url: str, **kwargs) -> FetchResult:
    return request("GET", url, **kwargs)


def post(url: str, **kwargs) -> FetchResult:
    return request("POST", url, follow_redirects=False, **kwargs)


def _read_limited(chunks: Iterable[bytes], *, max_bytes: int, started: float, deadline: float):
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(
                _("The answer is larger than %(size)s MB; only smaller ones are read.")
                % {"size": max_bytes // (1024 * 1024) or 1}
            )
        if time.monotonic() - started > deadline:
            raise FetchError(
                _("The server took longer than %(seconds)s seconds to answer.")
                % {"seconds": int(deadline)}
            )
    return bytes(body)
