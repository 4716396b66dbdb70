"""A small sliding-window rate limit in Django's cache, for the public nomination form.

The window is cut into ``buckets`` slices; each attempt increments the
current slice atomically (``cache.incr``) and the attempts of the last
``buckets`` slices are summed.  An attempt over the limit is refused and still
counted, so a flood from one address stays throttled while it goes on, and
what was accepted before it is kept.  Addresses are kept only as a keyed hash.

Production needs a cache shared by every worker process (``CACHE_URL``, e.g.
Redis); the embedded default (local memory) limits per process.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 10
DEFAULT_WINDOW = 3600  # seconds


def nomination_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "AWARD_NOMINATIONS_PER_IP", DEFAULT_LIMIT)),
        int(getattr(settings, "AWARD_NOMINATION_WINDOW", DEFAULT_WINDOW)),
    )


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"bidra:nominate:{digest}"


def hit(key: str, *, limit: int, window: int, buckets: int = 10, now: float | None = None) -> bool:
    """Count one attempt for ``key``; False when it is over ``limit`` attempts within ``window`` seconds."""
    now = time.time() if now is None else now
    size = window / buckets
    current = int(now // size)
    keys = [f"{key}:{b}" for b in range(current - buckets + 1, current + 1)]
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


def retry_after(window: int, buckets: int = 10) -> int:
    return max(1, int(window / buckets))
