"""Sends queued saves on workers (a few customers at once), and watches the connection.

Saving is always "queue, then send the outbox": one path, so every save gets the three-way
check, and a save made offline simply waits. While offline the controller probes the
server with growing pauses and sends the queue as soon as it answers.

A save the server could not take (a server error, a rate limit) is that save's trouble, not
the connection's: the server answered, so there is nothing to probe. The store keeps when
each such save is due again, and one timer wakes the controller for the earliest of them
(`next_attempt_at`, shown as "next try at 14:32").

While a run goes, `progress` counts its outcomes (sent, conflicts, failed, left). Ctrl+.
(`stop_sending`) ends the run after the saves under way and holds the rest in line: the
retry timer and the connection probe send nothing until the user asks again (F9, a save,
`send_now`).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import user_text
from flexdesk.store import ConnectionKey, Draft, Store, StoreClosed, StoreError
from flexdesk.sync import Backoff, Outcome, SendProgress, SyncResult, send_outbox
from flexdesk.ui.common.workers import JobRunner

log = logging.getLogger(__name__)

FIRST_PROBE_MS = 2_000
LAST_PROBE_MS = 60_000
# A timer is set for the earliest due save; a longer wait is checked again after this long.
LONGEST_WAIT_MS = 3_600_000
READ_ONLY = "The drafts file is read-only, so saves cannot be sent: an outcome could not be kept."


class SyncController(QObject):
    result = Signal(SyncResult)  # one per draft taken (emitted from the worker)
    run_finished = Signal()
    state_changed = Signal()
    progress_changed = Signal()  # `progress` counted another result, or the run ended

    def __init__(self, store: Store, connection: ConnectionKey, client: FlexPortalClient,
                 jobs: JobRunner, parent: QObject | None = None, *,
                 backoff: Backoff | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._connection = connection
        self._client = client
        self._jobs = jobs
        self._backoff = backoff
        self.online = True
        self.sending = False
        self.problem = ""
        # When the next save waiting for a retry is tried (epoch seconds), and why it waits.
        self.next_attempt_at: float | None = None
        self.retry_reason = ""
        self._key_refused = False
        self._again = False
        self._stopped = False
        # Ctrl+.: the run under way takes no new draft, and nothing is sent by itself until
        # the user asks again. Read by the run's workers: a plain flag is enough.
        self.held = False
        self.progress: SendProgress | None = None  # of the run under way
        self.result.connect(self._count)  # queued: counted on this (the GUI) thread
        self.first_probe_ms = FIRST_PROBE_MS
        self._probe_delay = FIRST_PROBE_MS
        self._probe = QTimer(self)
        self._probe.setSingleShot(True)
        self._probe.timeout.connect(self._probe_server)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._send_due)

    def stop(self) -> None:
        """No more probing, retries or runs (shutting down: the store may close next); a run
        under way stops after the draft it is sending, whose outcome it still records."""
        self._stopped = True
        self._probe.stop()
        self._retry.stop()

    @property
    def probing(self) -> bool:
        """Waiting to ask whether the server is back."""
        return self._probe.isActive()

    def pending(self) -> int:
        return self._store.outbox_count(self._connection)

    def queue(self, customer_id: str) -> Draft:
        """The user's save: queued, and due at once whatever its retry schedule said."""
        return self._store.queue(self._connection, customer_id)

    def retry_now(self) -> None:
        """F9: every queued save is due at once, waiting for a retry or not, and goes now."""
        self.send_now(force=True)

    def stop_sending(self) -> None:
        """Ctrl+.: the saves under way finish (their outcomes are kept); the rest stays
        queued, and waits for F9, a save or `send_now`."""
        if self.sending and not self.held:
            self.held = True
            self.state_changed.emit()

    def send_now(self, *, force: bool = False) -> None:
        """Send every queued save that is due (a save, an import, start-up, F9); with
        `force`, those waiting for a retry too. Asked for, so a Ctrl+. hold ends."""
        self.held = False
        self._send_due(force=force)

    def _send_due(self, *, force: bool = False) -> None:
        """`send_now` for what the controller does by itself (the retry timer, the server
        back, another pass): nothing while the user holds the line."""
        if self._stopped or self.held:
            return
        if self._store.read_only:  # an outcome could not be written: nothing may be sent
            self._store_trouble(READ_ONLY)
            return
        try:
            if force:
                self._store.make_due(self._connection)
            due = None if self.sending else self._store.next_attempt_due(self._connection)
            in_line = 0 if self.sending else self.pending()
        except StoreError as exc:
            self._store_trouble(exc)
            return
        if self.sending:
            self._again = True  # a save queued during a run may have been passed already
            return
        if due is None or due > time.time():
            self._schedule_retry()
            return
        self.sending = True
        self._retry.stop()
        self.progress = SendProgress(time.monotonic(), left=in_line)
        self.state_changed.emit()
        self.progress_changed.emit()

        def progress(_draft: Draft, outcome: SyncResult | None) -> None:
            if outcome is not None:
                self.result.emit(outcome)  # from the worker: delivered queued

        self._jobs.submit(
            "send outbox",
            lambda: send_outbox(self._store, self._client, self._connection,
                                on_progress=progress, backoff=self._backoff,
                                should_stop=lambda: self._stopped or self.held),
            self._finished, self._crashed)

    def _count(self, result: SyncResult) -> None:
        if self.progress is None:
            return
        self.progress.count(result)
        try:
            self.progress.left = self.pending()
        except StoreError:  # said by the run's end; the count is what matters here
            self.progress.left = max(0, self.progress.left - 1)
        self.progress_changed.emit()

    def _end_progress(self) -> None:
        self.progress = None
        self.progress_changed.emit()

    def _finished(self, results: list[SyncResult]) -> None:
        self.sending = False
        self._end_progress()
        if self._stopped:
            self.run_finished.emit()
            return
        ended = next((r for r in results if r.outcome.ends_run), None)
        if ended is not None:
            self._go_offline(ended)
        else:  # the server answered; a save it could not take waits on its own
            self._key_refused = False
            self._go_online()
        waiting = [r for r in results if r.outcome is Outcome.RETRY_LATER]
        if waiting:
            self.retry_reason = waiting[-1].reason
        self._schedule_retry()
        self.run_finished.emit()
        if self._again and self.online:
            self._again = False
            self._send_due()

    def _crashed(self, exc: Exception) -> None:
        """The run raised: a store that closed under it (the window is going: nothing to
        say), the drafts file's trouble (said in its words), or a bug (logged in full)."""
        self.sending = False
        self._end_progress()
        if isinstance(exc, StoreClosed):
            log.info("sending the outbox ended with the store: %s", exc)
        elif isinstance(exc, StoreError):
            log.warning("sending the outbox stopped: %s", exc, exc_info=exc)
            self._store_trouble(exc)
        else:
            log.error("sending the outbox failed", exc_info=exc)
            self.problem = "Sending stopped on an unexpected error; the saves are kept."
            self.state_changed.emit()
        self.run_finished.emit()

    def _store_trouble(self, exc: StoreError | str) -> None:
        """The drafts file cannot be used as the outbox needs (read-only, full, damaged):
        shown like a connection problem, and tried again with the next save or F9. A closed
        store means the window is going: the controller stops, saying nothing."""
        if isinstance(exc, StoreClosed) or self._stopped:
            self.stop()
            return
        self.problem = str(exc)
        self.state_changed.emit()

    def _schedule_retry(self) -> None:
        """One timer for the earliest save waiting for a retry; none while offline (the
        probe sends the queue when the server is back) or while the key is refused."""
        self._retry.stop()
        try:
            due = None if not self.online or self._key_refused else \
                self._store.next_attempt_due(self._connection)
        except StoreError as exc:
            self._store_trouble(exc)
            due = None
        if due is None:
            changed = self.next_attempt_at is not None
            self.next_attempt_at = None
            if self.online and not self._key_refused:
                self.retry_reason = ""
        else:
            wait = max(0.0, due - time.time())
            next_at = due if wait > 0 else None
            changed = next_at != self.next_attempt_at
            self.next_attempt_at = next_at
            self._retry.start(min(int(wait * 1000), LONGEST_WAIT_MS))
        if changed:
            self.state_changed.emit()

    def _go_offline(self, result: SyncResult) -> None:
        if self.online:
            self._probe_delay = self.first_probe_ms
        self.online = result.outcome is not Outcome.OFFLINE and self.online
        self.problem = result.reason
        if result.outcome is Outcome.UNAUTHORIZED:  # a refused key needs a person
            self._key_refused = True
        elif not self._stopped:
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
        if self.online and not self._stopped:
            self.online = False
            self.problem = reason
            self._probe_delay = self.first_probe_ms
            self._probe.start(self._probe_delay)
            self._retry.stop()
            self.next_attempt_at = None
            self.state_changed.emit()

    def _probe_server(self) -> None:
        def answered(_page: object) -> None:
            self._go_online()
            self._send_due()

        def silent(exc: Exception) -> None:
            self.problem = user_text(exc)
            if self._stopped:
                return
            self._probe.start(self._probe_delay)
            self._probe_delay = min(self._probe_delay * 2, LAST_PROBE_MS)
            self.state_changed.emit()

        self._jobs.submit("probe", lambda: self._client.list_customers(limit=1), answered,
                          silent)
