"""Retry timing and the client-side rate limit, both with injectable clocks for tests."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

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


class Limiter(Protocol):
    """What the client asks of a rate limit: leave to start a request, and word of a 429."""

    def acquire(self, *, background: bool = False, refused_waited: bool = False) -> float:
        """Block until a request may start; return how long it waited. `refused_waited`:
        the caller has just slept out the `Retry-After` of its own 429, so the hold that
        429 set is not waited again (the pace still is)."""
        ...

    def refused(self, retry_after: float | None) -> None:
        """The server answered 429: no request of this client starts before `retry_after`
        seconds have passed (when given)."""
        ...


def background_share(limit: int) -> int:
    """How many of a window's requests background work may start: a fifth short of `limit`,
    so what is left is the user's and a save never waits behind a background page."""
    return limit - max(1, limit // 5) if limit > 1 else 1


class RateLimiter:
    """A sliding window: at most `per_minute` requests start in any `window` (60) seconds.

    Shared by every thread of one client, so a bulk sync cannot push a Starter-tier tenant
    into 429s; a caller waits here instead (outside the lock). Should the server refuse one
    anyway (another program on the same key), its `Retry-After` holds every thread.

    Background work (filling the copy of the tenant) may use the window only up to a fifth
    short of the limit (`background_share`).
    """

    def __init__(self, per_minute: int, *, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep, window: float = 60.0) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._hold_until = 0.0
        self._lock = threading.Lock()

    @property
    def background_share(self) -> int:
        """How many of a window's requests background work may start."""
        return background_share(self.per_minute)

    def acquire(self, *, background: bool = False, refused_waited: bool = False) -> float:
        """Block until a request may start; return how long it waited."""
        limit = self.background_share if background else self.per_minute
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                wait = 0.0 if refused_waited else self._hold_until - now
                if wait <= 0:
                    if len(self._starts) < limit:
                        self._starts.append(now)
                        return waited
                    # Until enough of the oldest starts leave the window to make room.
                    wait = self.window - (now - self._starts[len(self._starts) - limit])
            self._sleep(wait)
            waited += wait

    def refused(self, retry_after: float | None) -> None:
        if retry_after is not None:
            with self._lock:
                self._hold_until = max(self._hold_until, self._clock() + retry_after)
