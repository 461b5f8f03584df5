"""One customer's saves, from Ctrl+S to what the server made of them.

The editor asks and paints; this object does the rest. A save is checked once (here, not
again by the sender), written to the drafts store exactly as it stands, queued and handed to
the outbox, and ends in one typed report: delivered, refused, conflict or deferred. Whether a
result answers the latest save is read from the store, the outbox's record of each draft, not
guessed from the order of signals: a second Ctrl+S while the first save is on its way keeps
the flow saving until the second one is answered, so the screen never says "saved" or "not
sent" about something else than what the server received.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from PySide6.QtCore import QObject, Signal

from flexdesk.api.models import Customer
from flexdesk.editing import LABELS, EditSession, values_from_customer
from flexdesk.store import Draft, DraftState, StoreError
from flexdesk.sync import Outcome, SyncResult
from flexdesk.ui.drafts.draft_keeper import DraftKeeper
from flexdesk.ui.drafts.sync_controller import SyncController

log = logging.getLogger(__name__)

_IN_LINE = (DraftState.QUEUED, DraftState.SENDING)
_tokens = itertools.count(1)


class SaveOutcome(Enum):
    DELIVERED = "delivered"  # the server holds what was saved
    REFUSED = "refused"  # not sent: invalid here, or refused by the server (see the reasons)
    CONFLICT = "conflict"  # a colleague changed what this save would write: nothing was sent
    DEFERRED = "deferred"  # queued: offline, the server busy, or the key refused


@dataclass(frozen=True)
class ConflictRow:
    """One field of a conflict: the value my edit started from, the server's, and mine."""

    path: str
    was: str
    theirs: str
    mine: str


@dataclass(frozen=True)
class SaveReport:
    """What became of a save, worded for people in `text`.

    `token` is the save's number (0: a result that no save of this window asked for, such as a
    draft queued in an earlier session). `record` is the server's record when one came back.
    """

    outcome: SaveOutcome
    customer_id: str
    text: str
    token: int = 0
    record: Customer | None = None
    field_errors: Mapping[str, str] = field(default_factory=dict)
    conflict: tuple[ConflictRow, ...] = ()


class SaveFlow(QObject):
    started = Signal(int)  # the token of a save that is now on its way
    finished = Signal(SaveReport)
    record_changed = Signal(Customer)  # the server's newer record: the list shows it

    def __init__(self, session: EditSession, keeper: DraftKeeper, sync: SyncController,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._keeper = keeper
        self._sync = sync
        self._token = 0  # the save waiting for its answer, or 0
        self._nudged = False
        sync.result.connect(self._result)
        sync.run_finished.connect(self._run_finished)

    @property
    def customer_id(self) -> str:
        return self.session.customer_id

    @property
    def name(self) -> str:
        return self.session.base.display_name or self.customer_id

    @property
    def pending(self) -> bool:
        """A save is on its way and not answered yet."""
        return self._token != 0

    def close(self) -> None:
        """Stop listening: the editor is done with this customer and nothing is pending."""
        self._sync.result.disconnect(self._result)
        self._sync.run_finished.disconnect(self._run_finished)

    def save(self) -> int:
        """Check, write the draft as it stands, queue it and send; the save's token, or 0.

        Problems found here are reported at once (REFUSED, nothing queued).
        """
        session = self.session
        if not session.is_dirty_any:
            return 0
        problems = session.validate()
        if problems:
            names = ", ".join(LABELS.get(path, path) for path in problems)
            self._report(SaveOutcome.REFUSED, f"Cannot save yet: check {names}.", 0,
                         field_errors=problems)
            return 0
        self._keeper.schedule(session)
        self._keeper.flush()  # the queued draft holds exactly what is on screen now
        try:
            if self._keeper.problem:
                raise StoreError(self._keeper.problem)
            self._sync.queue(session.customer_id)
        except StoreError as exc:  # the drafts file cannot take it: nothing was queued
            self._report(SaveOutcome.REFUSED, f"Not saved: {exc}", 0)
            return 0
        log.info("queued a save of %s: %s", session.customer_id,
                 ", ".join(session.dirty_paths))
        self._token = next(_tokens)
        self._nudged = False
        self.started.emit(self._token)
        self._sync.send_now()
        return self._token

    # -- the outbox's answers ----------------------------------------------------------------

    def _result(self, result: SyncResult) -> None:
        if result.customer_id != self.customer_id:
            return
        if result.outcome.delivered and result.customer is not None:
            # What was sent is the server's now; what was typed since stays a change.
            self.session.rebase(result.customer, dict(result.edits))
            self._keeper.schedule(self.session)
            self.record_changed.emit(result.customer)
        if self._newer_save_in_line(result):
            return  # this answers an earlier save; the latest one is still on its way
        token, self._token = self._token, 0
        match result.outcome:
            case Outcome.SENT | Outcome.ALREADY_THERE:
                self._report(SaveOutcome.DELIVERED, f"Saved {self.name}", token,
                             record=result.customer)
            case Outcome.CONFLICT if result.customer is not None:
                self._conflict(result, result.customer, token)
            case Outcome.FAILED | Outcome.CONFLICT:
                self._report(SaveOutcome.REFUSED, f"Not saved: {result.reason}", token,
                             field_errors=result.field_errors, record=result.customer)
            case _:
                stored = self._stored()
                self._report(SaveOutcome.DEFERRED, deferred_text(
                    result.outcome, result.reason, stored.next_attempt_at if stored else None),
                    token)

    def _conflict(self, result: SyncResult, theirs: Customer, token: int) -> None:
        session = self.session
        now = values_from_customer(theirs)
        rows = tuple(ConflictRow(path, session.original(path), now[path], session.value(path))
                     for path in result.conflicts)
        # The colleague's other changes show at once; the contested fields keep the value
        # they started from as their base, so saving again asks again until the user chooses.
        session.rebase(theirs, keep_base_for=result.conflicts)
        self._keeper.schedule(session)
        self.record_changed.emit(theirs)
        names = ", ".join(LABELS[row.path] for row in rows)
        self._report(SaveOutcome.CONFLICT,
                     f"Not saved: {names} changed on the server since you opened {self.name}.",
                     token, record=theirs, conflict=rows)

    def _run_finished(self) -> None:
        """A run ended without a word about the pending save: say why it waits."""
        if not self._token or self._sync.sending:
            return
        draft = self._stored()
        if draft is None or draft.state not in _IN_LINE:
            return  # answered by a result already, or the user discarded it
        if self._sync.held:  # Ctrl+. stopped the sending: it waits for F9
            token, self._token = self._token, 0
            self._report(SaveOutcome.DEFERRED, STOPPED, token)
            return
        if self._sync.online and not self._nudged:
            # Queued behind a run that had already passed it: one more run picks it up.
            self._nudged = True
            self._sync.send_now()
            return
        token, self._token = self._token, 0
        outcome = Outcome.OFFLINE if not self._sync.online else Outcome.RETRY_LATER
        self._report(SaveOutcome.DEFERRED, deferred_text(outcome, self._sync.problem), token)

    # -- helpers -----------------------------------------------------------------------------

    def _stored(self) -> Draft | None:
        return self._keeper.stored(self.customer_id)

    def _newer_save_in_line(self, result: SyncResult) -> bool:
        if not self._token:
            return False
        draft = self._stored()
        return draft is not None and draft.state in _IN_LINE \
            and dict(draft.edits) != dict(result.edits)

    def _report(self, outcome: SaveOutcome, text: str, token: int, *,
                record: Customer | None = None, field_errors: Mapping[str, str] | None = None,
                conflict: tuple[ConflictRow, ...] = ()) -> None:
        self.finished.emit(SaveReport(outcome, self.customer_id, text, token, record,
                                      dict(field_errors or {}), conflict))


class SaveFlows(QObject):
    """The flows of one editor: one for the customer on screen, and one for each customer
    left with a save still on its way (its answer must still reach its session and draft).
    Their reports all come out here."""

    started = Signal(int)
    finished = Signal(SaveReport)
    record_changed = Signal(Customer)

    def __init__(self, keeper: DraftKeeper, sync: SyncController,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keeper = keeper
        self._sync = sync
        self._flows: dict[str, SaveFlow] = {}

    def get(self, customer_id: str) -> SaveFlow | None:
        return self._flows.get(customer_id)

    def pending(self, customer_id: str) -> bool:
        flow = self._flows.get(customer_id)
        return flow is not None and flow.pending

    def for_session(self, session: EditSession) -> SaveFlow:
        """The customer's flow (the one still waiting, or a new one for `session`)."""
        flow = self._flows.get(session.customer_id)
        if flow is None:
            flow = SaveFlow(session, self._keeper, self._sync, self)
            flow.started.connect(self.started)
            flow.finished.connect(self.finished)
            flow.record_changed.connect(self.record_changed)
            self._flows[session.customer_id] = flow
        return flow

    def let_go(self, customer_id: str, *, on_screen: EditSession | None) -> None:
        """Forget a flow that is neither on screen nor waiting for an answer (or, with
        `on_screen` None, forget it whatever it waits for: its draft was discarded)."""
        flow = self._flows.get(customer_id)
        if flow is None or (on_screen is not None and (flow.pending
                                                       or flow.session is on_screen)):
            return
        flow.close()
        flow.deleteLater()
        del self._flows[customer_id]


STOPPED = "Queued: sending was stopped (Ctrl+.). F9 sends the queued saves."


def deferred_text(outcome: Outcome, reason: str, next_try: float | None = None) -> str:
    """Why a queued save waits, and what happens next, without a programmer's words."""
    if outcome is Outcome.OFFLINE:
        return "Offline: queued, will be sent when the server answers (F9 tries now)."
    if outcome is Outcome.UNAUTHORIZED:
        return ("Queued: the server refused the API key. Check the key (File > Connect to "
                "FlexPortal), then press F9 to send.")
    detail = f" ({reason})" if reason else ""
    when = f"at {datetime.fromtimestamp(next_try):%H:%M}" if next_try else "shortly"
    return (f"Queued: the server could not take it now{detail}. It is tried again {when}; "
            "F9 sends it now.")
