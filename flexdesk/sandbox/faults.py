"""Misbehaviour on demand: latency, random 500s, scripted answers and dropped connections.

Tests set these in-process while the server runs (every member is guarded by one lock):

    server.faults.script(503, 503)   # the next two requests get 503, then all is normal
    server.faults.script(429)        # 429 with `Retry-After: <faults.retry_after>`
    server.faults.drop_next()        # the next request gets no answer: the socket is closed
    server.faults.failure_rate = 0.2 # 500 INTERNAL_ERROR one time in five (seeded RNG)
    server.faults.latency = 0.5      # every request waits half a second before anything else
"""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from flexdesk.sandbox.validation import ApiError


@dataclass(frozen=True)
class Fault:
    """What to do instead of answering normally."""

    status: int  # Faults.DROP: close the connection without any answer
    retry_after: float = 1

    def error(self) -> ApiError:
        """The answer, in the API's error shape (429 carries `Retry-After`)."""
        seconds = self.retry_after
        headers = {"Retry-After": str(int(seconds)) if float(seconds).is_integer()
                   else str(seconds)} if self.status == 429 else {}
        usual = ApiError.for_status(self.status)
        return ApiError(self.status, usual.code, f"{usual.message} (injected by the sandbox)",
                        headers=headers)


class Faults:
    """The fault settings of one server. `reset()` returns to normal behaviour."""

    DROP: ClassVar[int] = 0  # in `script()`: close the connection without answering

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._rng = random.Random(seed)
        self._script: deque[int] = deque()
        self._latency = 0.0
        self._failure_rate = 0.0
        self._retry_after: float = 1

    @property
    def latency(self) -> float:
        """Seconds every request waits before it is answered (or dropped)."""
        with self._lock:
            return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("latency cannot be negative")
        with self._lock:
            self._latency = float(seconds)

    @property
    def failure_rate(self) -> float:
        """Probability (0..1) that a request not covered by the script gets 500 INTERNAL_ERROR."""
        with self._lock:
            return self._failure_rate

    @failure_rate.setter
    def failure_rate(self, rate: float) -> None:
        if not 0 <= rate <= 1:
            raise ValueError("failure_rate must be between 0 and 1")
        with self._lock:
            self._failure_rate = float(rate)

    @property
    def retry_after(self) -> float:
        """The `Retry-After` seconds that scripted 429 answers carry (default 1)."""
        with self._lock:
            return self._retry_after

    @retry_after.setter
    def retry_after(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("retry_after cannot be negative")
        with self._lock:
            self._retry_after = seconds

    def script(self, *statuses: int) -> None:
        """Queue answers for the next requests, in order, after anything already queued.

        Each entry is an HTTP status (4xx/5xx answered in the API's error shape), `Faults.DROP`,
        or a status below 400 meaning "answer this one normally".
        """
        for status in statuses:
            if status != self.DROP and not 100 <= status <= 599:
                raise ValueError(f"not an HTTP status: {status}")
        with self._lock:
            self._script.extend(statuses)

    def drop_next(self, count: int = 1) -> None:
        """Close the connection of the next `count` requests (queued like `script`)."""
        self.script(*[self.DROP] * count)

    @property
    def scripted(self) -> tuple[int, ...]:
        """What the script still holds."""
        with self._lock:
            return tuple(self._script)

    def reset(self) -> None:
        """No latency, no failures, an empty script, and the failure RNG back at its seed."""
        with self._lock:
            self._script.clear()
            self._latency = 0.0
            self._failure_rate = 0.0
            self._retry_after = 1
            self._rng = random.Random(self._seed)

    def next_fault(self) -> Fault | None:
        """The fault for the request being handled now, or None to answer it normally."""
        with self._lock:
            if self._script:
                status = self._script.popleft()
            elif self._failure_rate and self._rng.random() < self._failure_rate:
                status = 500
            else:
                return None
            retry_after = self._retry_after
        return None if 0 < status < 400 else Fault(status, retry_after)
