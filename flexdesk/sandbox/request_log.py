"""The sandbox's request log: every request it received, as it saw it, key redacted."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the sandbox saw it. The Authorization value reads "<redacted>"."""

    method: str
    path: str  # without the query string
    query: dict[str, str]  # the first value of each parameter
    headers: dict[str, str]  # lower-case names
    body: Any  # the parsed JSON body; None when absent or not JSON
    # The answer's status; Faults.DROP (0) when the connection was dropped unanswered,
    # Faults.ANSWER_LOST (-1) when the request was applied and then dropped unanswered.
    status: int
    # When the sandbox began to read it and when its answer was decided (time.monotonic):
    # what tests measure overlap with. Not compared: a test lists what it expects without.
    started: float = field(default=0.0, compare=False)
    finished: float = field(default=0.0, compare=False)


class RequestLog(Sequence[RecordedRequest]):
    """A thread-safe, append-only list of requests; compares equal to a list of the same."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def append(self, request: RecordedRequest) -> None:
        with self._lock:
            self._items.append(request)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    @overload
    def __getitem__(self, index: int) -> RecordedRequest: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordedRequest]: ...
    def __getitem__(self, index: int | slice) -> RecordedRequest | list[RecordedRequest]:
        with self._lock:
            return self._items[index]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RequestLog):
            return self.snapshot() == other.snapshot()
        if isinstance(other, list | tuple):
            return self.snapshot() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"RequestLog({self.snapshot()!r})"
