"""The sandbox's plans: Starter's rate limit, enforced per API key with real 429s.

FlexPortal's Starter tier allows 100 requests a minute and answers 429 `RATE_LIMITED` with
`Retry-After` beyond that; Growth and Enterprise have no limit (API.md). Tests use a
`RateLimit` of their own (a few requests per fraction of a second), so they need not wait
a minute to see the limit bite.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["PLANS", "RateLimit", "RequestMeter"]


@dataclass(frozen=True)
class RateLimit:
    """At most `requests` accepted in any `window` seconds, per key."""

    requests: int
    window: float = 60.0

    def __post_init__(self) -> None:
        if self.requests < 1 or self.window <= 0:
            raise ValueError("a rate limit lets at least one request through a positive window")

    def retry_after(self, seconds: float) -> str:
        """A wait as `Retry-After` says it: whole seconds, rounded up, as HTTP has it; in
        hundredths for a window shorter than a few seconds (a test's), or it would be 1 s
        for a window of 0.2 s."""
        if self.window >= 5:
            return str(max(1, math.ceil(seconds)))
        return f"{max(0.01, math.ceil(seconds * 100) / 100):.2f}"


PLANS: dict[str, RateLimit | None] = {
    "starter": RateLimit(100, 60.0),
    "growth": None,
    "enterprise": None,
}


class RequestMeter:
    """Counts each key's accepted requests in a sliding window. Thread-safe.

    A refused request does not count: a client that waits as told gets through.
    """

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._starts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, key: str) -> float | None:
        """None if a request of `key` may go on now (it is counted); else the seconds until
        one may."""
        with self._lock:
            now = self._clock()
            starts = self._starts.setdefault(key, deque())
            while starts and now - starts[0] >= self.limit.window:
                starts.popleft()
            if len(starts) < self.limit.requests:
                starts.append(now)
                return None
            return self.limit.window - (now - starts[len(starts) - self.limit.requests])
