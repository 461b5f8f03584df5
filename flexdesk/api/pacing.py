"""`AdaptiveLimiter`: no cap of its own until the server refuses a request, then below the
rate that was refused.

For a tenant whose plan nobody told flexdesk: a Growth or Enterprise tenant must not be held
to Starter's 100 requests a minute, and a Starter one must not be hammered either. So nothing
is paced until the first 429. Then every thread of the client waits out the `Retry-After`,
and from then on requests are spaced evenly at a fifth below the rate at which they were
refused (the requests started in the last `window` seconds, the refused one among them).
Refused again at that pace, it slows by a fifth again: the server's limit is found from
above, and a run is never refused for long. A refusal that arrives while every thread holds
answers a request sent before the pace changed, and changes nothing more. The cap holds for
the client's life (one window on one profile); choosing the plan in the profile replaces
guessing with the real figure.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from flexdesk.api.retry import Clock, Sleep, background_share

__all__ = ["AdaptiveLimiter"]

# Paced at this share of the rate that was refused.
MARGIN = 0.8


class AdaptiveLimiter:
    """Free until refused; then evenly spaced below the refused rate. Thread-safe."""

    def __init__(self, *, window: float = 60.0, margin: float = MARGIN,
                 clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        if window <= 0 or not 0 < margin < 1:
            raise ValueError("window must be positive and margin between 0 and 1")
        self.window = window
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()  # those of the last window: the rate if refused
        self._cap: int | None = None
        self._hold_until = 0.0
        self._next_start = 0.0
        self._lock = threading.Lock()

    @property
    def cap(self) -> int | None:
        """Requests per window since the server refused one; None while there is no cap."""
        with self._lock:
            return self._cap

    def acquire(self, *, background: bool = False, refused_waited: bool = False) -> float:
        """Block until a request may start; return how long it waited (`Limiter.acquire`)."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                hold = 0.0 if refused_waited else self._hold_until
                wait = max(hold, self._next_start) - now
                if wait <= 0:
                    self._starts.append(now)
                    if self._cap is not None:
                        share = background_share(self._cap) if background else self._cap
                        self._next_start = now + self.window / share
                    return waited
            self._sleep(wait)
            waited += wait

    def refused(self, retry_after: float | None) -> None:
        """A 429: every thread holds until `Retry-After` has passed (or, without one, for
        one spacing at the new pace), and the pace drops below the rate that was refused:
        the requests of the last window the first time, the pace kept since then after."""
        with self._lock:
            now = self._clock()
            if now < self._hold_until:
                # Sent before the last refusal took effect (the other senders' requests
                # under way then): no news about the new pace.
                if retry_after is not None:
                    self._hold_until = max(self._hold_until, now + retry_after)
                return
            if self._cap is None:
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                refused_rate = max(1, len(self._starts))
            else:
                refused_rate = self._cap
            self._cap = max(1, math.floor(refused_rate * self.margin))
            pause = retry_after if retry_after is not None else self.window / self._cap
            self._hold_until = now + pause
