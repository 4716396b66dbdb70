"""One rate limit for every public form: a sliding window counted in Django's cache.

The window is cut into ``buckets`` slices; each attempt increments the current
slice atomically (``cache.incr``) and the attempts of the last ``buckets``
slices are summed.  An attempt over the limit is refused and still counted, so
a flood stays throttled while it goes on, and what was accepted before it is
kept.  Addresses and e-mail addresses are kept only as a keyed hash.

Production needs a cache shared by every worker process (``CACHE_URL``, e.g.
Redis); the embedded default (local memory) limits per process.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

BUCKETS = 10


def client_address(request) -> str:
    """The client's address; behind ``TRUSTED_PROXY_COUNT`` proxies, the one they were asked by."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def keyed(value: str) -> str:
    """A cache key's part for ``value`` (an address, an e-mail) that does not reveal it."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def hit(key: str, *, limit: int, window: int, buckets: int = BUCKETS, now: float | None = None) -> bool:
    """Count one attempt for ``key``; False when it is over ``limit`` attempts within ``window`` seconds."""
    now = time.time() if now is None else now
    size = window / buckets
    current = int(now // size)
    keys = [f"ratelimit:{key}:{b}" for b in range(current - buckets + 1, current + 1)]
    timeout = int(window + size) + 1
    if cache.add(keys[-1], 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(keys[-1])
        except ValueError:  # expired between add and incr
            cache.set(keys[-1], 1, timeout=timeout)
            count = 1
    earlier = cache.get_many(keys[:-1])
    return count + sum(int(v) for v in earlier.values()) <= limit


def retry_after(window: int, buckets: int = BUCKETS) -> int:
    """Seconds until the oldest slice leaves the window."""
    return max(1, int(window / buckets))
