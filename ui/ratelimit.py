"""Per-client token buckets: `RateLimiter(per_minute, burst).allow(key)` says whether one more action by `key`
(a client address, a session) fits. Each key holds at most `burst` tokens and regains `per_minute` a minute.

Memory is bounded: at most `max_keys` buckets are kept, the least recently used go first (a flood of new keys
then only forgets old ones, which start over with a full bucket — the same as a new client)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class RateLimiter:
    """Thread-safe: one lock around a dict update, far cheaper than the action it guards."""

    def __init__(self, per_minute: float, burst: int, max_keys: int = 10_000) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be > 0 and burst ≥ 1")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one token from `key`'s bucket if there is one."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return allowed
