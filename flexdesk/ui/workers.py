"""Run blocking work (HTTP, SQLite) on a thread pool and hear back on the GUI thread.

A job never touches a widget: it returns a value or raises, and the runner calls the
caller's callbacks on the thread that owns the runner (the GUI thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Work = Callable[[], Any]
OnSuccess = Callable[[Any], None]
OnFailure = Callable[[Exception], None]


class _JobSignals(QObject):
    # (job, value or exception): emitted on the worker thread, delivered queued.
    succeeded = Signal(object, object)
    failed = Signal(object, object)


class Job(QRunnable):
    def __init__(self, work: Work, name: str) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name
        self.signals = _JobSignals()
        self._work = work

    def run(self) -> None:
        try:
            value = self._work()
        except Exception as exc:  # noqa: BLE001 - handed to the caller, who decides
            self.signals.failed.emit(self, exc)
        else:
            self.signals.succeeded.emit(self, value)


class JobRunner(QObject):
    """Owns the worker threads and keeps each job alive until its result is delivered."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._callbacks: dict[Job, tuple[OnSuccess, OnFailure]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def submit(self, name: str, work: Work, on_success: OnSuccess,
               on_failure: OnFailure) -> Job:
        job = Job(work, name)
        job.signals.succeeded.connect(self._succeeded)
        job.signals.failed.connect(self._failed)
        was_busy = self.busy
        self._callbacks[job] = (on_success, on_failure)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(job)
        return job

    def wait_for_done(self, msecs: int = -1) -> bool:
        """For shutdown: let running jobs finish so no thread outlives the application."""
        return self._pool.waitForDone(msecs)

    @Slot(object, object)
    def _succeeded(self, job: Job, value: object) -> None:
        on_success, _ = self._finish(job)
        on_success(value)

    @Slot(object, object)
    def _failed(self, job: Job, exc: Exception) -> None:
        _, on_failure = self._finish(job)
        log.debug("job %s failed: %s", job.name, exc)
        on_failure(exc)

    def _finish(self, job: Job) -> tuple[OnSuccess, OnFailure]:
        callbacks = self._callbacks.pop(job)
        if not self._callbacks:
            self.busy_changed.emit(False)
        return callbacks
