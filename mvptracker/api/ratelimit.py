"""A fixed-window request counter per caller in Django's cache (Redis in production).

One ``INCR`` per request; the window's key expires with the window. A fixed window lets a
burst of up to twice the limit straddle a boundary, which is acceptable for fair use.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 600  # requests per window and caller (settings.API_RATE_LIMIT)
PERIOD = 60  # seconds: the limit is "per minute"


def rate_limit() -> tuple[int, int]:
    return int(getattr(settings, "API_RATE_LIMIT", DEFAULT_LIMIT)), PERIOD


def hit(key: str, *, now: float | None = None) -> tuple[bool, int, int]:
    """Count one request for ``key``. Returns (allowed, remaining, seconds until the reset)."""
    limit, period = rate_limit()
    now = time.time() if now is None else now
    window = int(now // period)
    reset = max(1, math.ceil((window + 1) * period - now))
    cache_key = f"api:rl:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: this request opens a new count
            cache.set(cache_key, 1, timeout=period + 1)
            count = 1
    return count <= limit, max(0, limit - count), reset
