"""Rate limits: one token bucket per key (or per client address for anonymous requests)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Token buckets refilled at ``rate_per_minute / 60`` per second, holding a quarter-minute burst.

    :meth:`take` returns 0 when the request may go ahead, else the seconds to wait.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def capacity(rate_per_minute: int) -> float:
        return max(1.0, rate_per_minute / 4)

    def take(self, identity: str, rate_per_minute: int) -> int:
        refill = rate_per_minute / 60.0
        capacity = self.capacity(rate_per_minute)
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(identity, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * refill)
            if tokens >= 1.0:
                self._buckets[identity] = (tokens - 1.0, now)
                return 0
            self._buckets[identity] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / refill))
