"""A fixed-window request counter per caller in Django's cache (Redis in production).

One ``INCR`` per request; the window's key expires with the window. A fixed window lets a
burst of up to twice the limit straddle a boundary, which is acceptable for fair use.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 600  # requests per window and caller (settings.API_RATE_LIMIT)
PERIOD = 60  # seconds: the limit is "per minute"


def rate_limit() -> tuple[int, int]:
    return int(getattr(settings, "API_RATE_LIMIT", DEFAULT_LIMIT)), PERIOD


def hit(key: str, *, now: float | None = None) -> tuple[bool, int, int]:
    """Count one request for ``key``. Returns (allowed, remaining, seconds until the reset).

    If the cache is down the request is allowed (and logged): an outage of the counter must
    not become an outage of the API."""
    limit, period = rate_limit()
    now = time.time() if now is None else now
    window = int(now // period)
    reset = max(1, math.ceil((window + 1) * period - now))
    cache_key = f"api:rl:{key}:{window}"
    try:
        count = _count(cache_key, timeout=period + 1)
    except Exception:  # any cache backend error: fail open
        logger.warning("API rate limit not enforced: the cache is unavailable", exc_info=True)
        return True, limit, reset
    return count <= limit, max(0, limit - count), reset


def _count(cache_key: str, *, timeout: int) -> int:
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this request opens a new count
        cache.set(cache_key, 1, timeout=timeout)
        return 1
