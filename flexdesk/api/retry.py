"""Retry timing and the client-side rate limit, both with injectable clocks for tests."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before giving up: bounded attempts inside a total deadline.

    A `Retry-After` from the server is waited as given, never cut short (asking again sooner
    only earns another refusal); a wait that does not fit in the deadline is not waited here
    at all: the error carries it, for a caller that can come back later.
    """

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    deadline: float = 30.0
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def backoff(self, retry_number: int) -> float:
        """Full jitter: spreads retries from many clients over the whole backoff window."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        return self.rng.uniform(0, ceiling)

    def delay_for(self, retry_number: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return max(retry_after, 0.0)
        return self.backoff(retry_number)


NO_RETRY = RetryPolicy(attempts=1)


class RateLimiter:
    """A sliding window: at most `per_minute` requests start in any 60 seconds.

    Shared by every thread of one client, so a bulk sync cannot push a Starter-tier tenant
    into 429s; a caller waits here instead (outside the lock).

    Background work (filling the copy of the tenant) may use the window only up to a fifth
    short of the limit: what is left is the user's, so a save or a page asked for never
    waits behind a background page.
    """

    WINDOW = 60.0

    def __init__(self, per_minute: int, *, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    @property
    def background_share(self) -> int:
        """How many of a window's requests background work may start."""
        return self.per_minute - max(1, self.per_minute // 5) if self.per_minute > 1 else 1

    def acquire(self, *, background: bool = False) -> float:
        """Block until a request may start; return how long it waited."""
        limit = self.background_share if background else self.per_minute
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.WINDOW:
                    self._starts.popleft()
                if len(self._starts) < limit:
                    self._starts.append(now)
                    return waited
                # Until enough of the oldest starts leave the window to make room.
                wait = self.WINDOW - (now - self._starts[len(self._starts) - limit])
            self._sleep(wait)
            waited += wait
