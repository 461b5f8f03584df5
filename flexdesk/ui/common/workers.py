"""Run blocking work (HTTP, SQLite) on a thread pool and hear back on the GUI thread.

A job never touches a widget: it returns a value or raises, and the runner calls the
caller's callbacks on the thread that owns the runner (the GUI thread). Jobs are known by a
number, so Qt may delete a finished runnable while its result is still on its way.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[], Any]
OnSuccess = Callable[[Any], None]
OnFailure = Callable[[Exception], None]


class _JobSignals(QObject):
    # (job number, value or exception): emitted on the worker thread, delivered queued.
    succeeded = Signal(int, object)
    failed = Signal(int, object)


class Job(QRunnable):
    def __init__(self, number: int, work: Work, signals: _JobSignals) -> None:
        super().__init__()
        self.number = number
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            value = self._work()
        except Exception as exc:  # noqa: BLE001 - handed to the caller, who decides
            self._signals.failed.emit(self.number, exc)
        else:
            self._signals.succeeded.emit(self.number, value)


class JobRunner(QObject):
    """Owns the worker threads and the callbacks of the jobs still running."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._signals = _JobSignals(self)
        self._signals.succeeded.connect(self._succeeded)
        self._signals.failed.connect(self._failed)
        self._numbers = itertools.count(1)
        self._pending: dict[int, tuple[str, OnSuccess, OnFailure]] = {}

    def submit(self, name: str, work: Callable[[], T], on_success: Callable[[T], None],
               on_failure: OnFailure) -> int:
        """Run `work` on a worker; `on_success(its value)` or `on_failure(exception)` then
        runs on the runner's thread. Typed end to end: a slot needs no isinstance check."""
        number = next(self._numbers)
        self._pending[number] = (name, on_success, on_failure)
        self._pool.start(Job(number, work, self._signals))
        return number

    def wait_for_done(self, msecs: int = -1) -> bool:
        """For shutdown: let running jobs finish so no thread outlives the application."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object)
    def _succeeded(self, number: int, value: object) -> None:
        _, on_success, _ = self._finish(number)
        on_success(value)

    @Slot(int, object)
    def _failed(self, number: int, exc: Exception) -> None:
        name, _, on_failure = self._finish(number)
        log.debug("job %s failed: %s", name, exc)
        on_failure(exc)

    def _finish(self, number: int) -> tuple[str, OnSuccess, OnFailure]:
        return self._pending.pop(number)
