"""Misbehaviour on demand: latency, random 500s, scripted answers and dropped connections.

Tests set these in-process while the server runs (every member is guarded by one lock):

    server.faults.script(503, 503)   # the next two requests get 503, then all is normal
    server.faults.script(429)        # 429 with `Retry-After: <faults.retry_after>`
    server.faults.script(Fault(503, retry_after=120))  # 503 with `Retry-After: 120`
    server.faults.script(Fault(500, body=LongBody(32 << 20)))  # 32 MiB of text as the answer
    server.faults.drop_next()        # the next request gets no answer: the socket is closed
    server.faults.lose_answer(then=f)  # the next request is applied, f() runs, then no answer
    server.faults.failure_rate = 0.2 # 500 INTERNAL_ERROR one time in five (seeded RNG)
    server.faults.latency = 0.5      # every request waits half a second before anything else
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from flexdesk.sandbox.validation import ApiError

DROP = 0  # close the connection without any answer
ANSWER_LOST = -1  # handle the request as usual (a PUT is applied), then close without answering


class LongBody:
    """A large answer body made on the fly, counting the bytes the server managed to send.

    A client that stops reading closes its socket, and the server's writes then fail: `written`
    stays below `size`. `finished` is set once the server stopped writing, either way.
    """

    CHUNK = 64 * 1024

    def __init__(self, size: int, *, fill: bytes = b"x") -> None:
        if size < 0 or not fill:
            raise ValueError("a body has a size of zero or more, made of a non-empty fill")
        self.size = size
        self._chunk = (fill * (self.CHUNK // len(fill) + 1))[: self.CHUNK]
        self._lock = threading.Lock()
        self._written = 0
        self.finished = threading.Event()

    @property
    def written(self) -> int:
        with self._lock:
            return self._written

    def chunks(self) -> Iterator[bytes]:
        left = self.size
        while left > 0:
            chunk = self._chunk[:left]
            left -= len(chunk)
            yield chunk

    def note_written(self, count: int) -> None:
        with self._lock:
            self._written += count


@dataclass(frozen=True)
class Fault:
    """What to do instead of answering normally.

    `status` is an HTTP status, `DROP` or `ANSWER_LOST`. Without a `body` a 4xx/5xx is answered
    in the API's error shape and a status below 400 means "answer this one normally"; with a
    `body`, those bytes are the answer, whatever the status (a malformed success, a huge page).
    """

    status: int
    retry_after: float | None = None  # sent as `Retry-After`, with any status
    body: bytes | LongBody | None = None
    # ANSWER_LOST: runs after the request was applied, before the connection is closed; e.g. a
    # colleague's change landing while our answer is lost.
    then: Callable[[], object] | None = None

    def __post_init__(self) -> None:
        if self.status not in (DROP, ANSWER_LOST) and not 100 <= self.status <= 599:
            raise ValueError(f"not an HTTP status: {self.status}")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after cannot be negative")

    @property
    def passes(self) -> bool:
        """The request is answered normally."""
        return 0 < self.status < 400 and self.body is None

    def headers(self) -> dict[str, str]:
        seconds = self.retry_after
        if seconds is None:
            return {}
        return {"Retry-After": str(int(seconds)) if float(seconds).is_integer() else str(seconds)}

    def error(self) -> ApiError:
        """The answer in the API's error shape (for a fault without a `body`)."""
        usual = ApiError.for_status(self.status)
        return ApiError(self.status, usual.code, f"{usual.message} (injected by the sandbox)",
                        headers=self.headers())


class Faults:
    """The fault settings of one server. `reset()` returns to normal behaviour."""

    DROP: ClassVar[int] = DROP  # in `script()`: close the connection without answering
    ANSWER_LOST: ClassVar[int] = ANSWER_LOST  # in `script()`: apply, then close unanswered

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._rng = random.Random(seed)
        self._script: deque[int | Fault] = deque()
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

    def script(self, *entries: int | Fault) -> None:
        """Queue answers for the next requests, in order, after anything already queued.

        Each entry is a `Fault`, or a status meaning `Fault(status)`: an HTTP status (4xx/5xx
        answered in the API's error shape; a 429 carries `retry_after`), `DROP`, `ANSWER_LOST`,
        or a status below 400 meaning "answer this one normally".
        """
        for entry in entries:
            if isinstance(entry, int):
                Fault(entry)  # refuses what is not a status
        with self._lock:
            self._script.extend(entries)

    def drop_next(self, count: int = 1) -> None:
        """Close the connection of the next `count` requests (queued like `script`)."""
        self.script(*[DROP] * count)

    def lose_answer(self, then: Callable[[], object] | None = None) -> None:
        """Apply the next request as usual, run `then()`, and close without answering.

        The client cannot tell whether its request was applied: what a lost answer to a PUT
        looks like. `then` runs on the server's thread while the client still waits, so a
        colleague's change made there lands between ours and our retry, every time.
        """
        self.script(Fault(ANSWER_LOST, then=then))

    @property
    def scripted(self) -> tuple[int | Fault, ...]:
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
                entry = self._script.popleft()
            elif self._failure_rate and self._rng.random() < self._failure_rate:
                entry = 500
            else:
                return None
            retry_after = self._retry_after
        if isinstance(entry, int):
            entry = Fault(entry, retry_after if entry == 429 else None)
        return None if entry.passes else entry
