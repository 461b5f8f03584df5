"""Sends queued saves on a worker, one customer at a time, and watches the connection.

Saving is always "queue, then send the outbox": one path, so every save gets the three-way
check, and a save made offline simply waits. While offline the controller probes the
server with growing pauses and sends the queue as soon as it answers.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from flexdesk.api.client import FlexPortalClient
from flexdesk.store import ConnectionKey, Draft, Store
from flexdesk.sync import Outcome, SyncResult, send_outbox
from flexdesk.ui.workers import JobRunner

log = logging.getLogger(__name__)

FIRST_PROBE_MS = 2_000
LAST_PROBE_MS = 60_000


class SyncController(QObject):
    result = Signal(object)  # SyncResult, one per draft sent (emitted from the worker)
    run_finished = Signal()
    state_changed = Signal()

    def __init__(self, store: Store, connection: ConnectionKey, client: FlexPortalClient,
                 jobs: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._connection = connection
        self._client = client
        self._jobs = jobs
        self.online = True
        self.sending = False
        self.problem = ""
        self._again = False
        self.first_probe_ms = FIRST_PROBE_MS
        self._probe_delay = FIRST_PROBE_MS
        self._probe = QTimer(self)
        self._probe.setSingleShot(True)
        self._probe.timeout.connect(self._probe_server)

    def stop(self) -> None:
        """No more probing (shutting down); a run under way finishes on its own."""
        self._probe.stop()

    def pending(self) -> int:
        return self._store.outbox_count(self._connection)

    def queue(self, customer_id: str) -> Draft:
        return self._store.queue(self._connection, customer_id)

    def send_now(self) -> None:
        """Send everything queued (F9, a save, the connection coming back, start-up)."""
        if self.sending:
            self._again = True  # a save queued during a run may have been read already
            return
        if not self.pending():
            return
        self.sending = True
        self.state_changed.emit()

        def progress(_draft: Draft, outcome: SyncResult | None) -> None:
            if outcome is not None:
                self.result.emit(outcome)  # from the worker: delivered queued

        self._jobs.submit(
            "send outbox",
            lambda: send_outbox(self._store, self._client, self._connection,
                                on_progress=progress),
            self._finished, self._crashed)

    def _finished(self, results: object) -> None:
        assert isinstance(results, list)
        self.sending = False
        last = results[-1] if results else None
        if isinstance(last, SyncResult) and last.outcome.ends_run:
            self._go_offline(last)
        else:  # the server answered; a save it could not take waits on its own
            self._go_online()
        self.run_finished.emit()
        if self._again and self.online:
            self._again = False
            self.send_now()

    def _crashed(self, exc: Exception) -> None:
        log.error("sending the outbox failed", exc_info=exc)
        self.sending = False
        self.problem = "Sending stopped on an unexpected error; the saves are kept."
        self.state_changed.emit()
        self.run_finished.emit()

    def _go_offline(self, result: SyncResult) -> None:
        if self.online:
            self._probe_delay = self.first_probe_ms
        self.online = result.outcome is not Outcome.OFFLINE and self.online
        self.problem = result.reason
        if result.outcome is not Outcome.UNAUTHORIZED:  # a refused key needs a person
            self._probe.start(self._probe_delay)
            self._probe_delay = min(self._probe_delay * 2, LAST_PROBE_MS)
        self.state_changed.emit()

    def _go_online(self) -> None:
        self.online = True
        self.problem = ""
        self._probe_delay = self.first_probe_ms
        self._probe.stop()
        self.state_changed.emit()

    def report_unreachable(self, reason: str) -> None:
        """Another part of the app (the list) found the server gone."""
        if self.online:
            self.online = False
            self.problem = reason
            self._probe_delay = self.first_probe_ms
            self._probe.start(self._probe_delay)
            self.state_changed.emit()

    def _probe_server(self) -> None:
        def answered(_page: object) -> None:
            self._go_online()
            self.send_now()

        def silent(exc: Exception) -> None:
            self.problem = str(exc)
            self._probe.start(self._probe_delay)
            self._probe_delay = min(self._probe_delay * 2, LAST_PROBE_MS)
            self.state_changed.emit()

        self._jobs.submit("probe", lambda: self._client.list_customers(limit=1), answered,
                          silent)
