"""Keeps what is typed in the drafts store: shortly after each keystroke, and at once when
the user moves on. After a crash the next start finds every draft there."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from flexdesk.api.models import Customer
from flexdesk.editing import EditSession
from flexdesk.store import ConnectionKey, Draft, DraftState, Store, StoreClosed, StoreError

log = logging.getLogger(__name__)

# Well inside the promised second, yet a burst of typing costs one write, not one per key.
WRITE_DELAY_MS = 400
# The pause restarts with every key, so steady typing (a key every 150 ms) would never pause:
# the first unwritten key is on disk this long after it was typed, whatever follows it.
MAX_WAIT_MS = 750
# While the drafts file cannot be written (a full disk), what waits is tried again this often.
RETRY_WRITE_MS = 5_000


class DraftKeeper(QObject):
    drafts_changed = Signal()  # the set of customers with a draft may have changed
    # Why drafts cannot be written now, in words for a banner; "" once they can again. The
    # edits stay in the form meanwhile, and are written as soon as the file takes them.
    trouble = Signal(str)

    def __init__(self, store: Store, connection: ConnectionKey,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._connection = connection
        self._pending: EditSession | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(WRITE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(MAX_WAIT_MS)
        self._deadline.timeout.connect(self.flush)
        self.problem = ""
        self._ids = store.draft_ids(connection)

    def reload(self) -> None:
        """Re-read which customers have drafts (the outbox removes sent ones)."""
        try:
            ids = self._store.draft_ids(self._connection)
        except StoreError as exc:
            self._failed(exc)
            return
        if ids != self._ids:
            self._ids = ids
            self.drafts_changed.emit()

    def stored(self, customer_id: str) -> Draft | None:
        """The customer's draft as the store holds it now (the outbox writes there too)."""
        try:
            return self._store.get_draft(self._connection, customer_id)
        except StoreError as exc:
            self._failed(exc)
            return None

    def draft_ids(self) -> frozenset[str]:
        return frozenset(self._ids)

    def schedule(self, session: EditSession) -> None:
        """Write this session soon; a different session waiting is written first."""
        if self._pending is not None and self._pending is not session:
            self.flush()
        self._pending = session
        self._timer.start(WRITE_DELAY_MS)
        if not self._deadline.isActive():
            self._deadline.start()

    def flush(self) -> None:
        """Write now what is waiting (focus change, customer switch, close)."""
        self._timer.stop()
        self._deadline.stop()
        session, self._pending = self._pending, None
        if session is not None and not self.write(session):
            self._pending = session  # kept: tried again soon, and at every later flush
            self._timer.start(RETRY_WRITE_MS)

    def write(self, session: EditSession, *, settled: bool = False) -> bool:
        """Store the session's edits against its base.

        A save waiting in the outbox keeps its place and goes out with the latest edits; one
        already on its way is left to the outbox, and what is typed meanwhile stays a draft
        (the outbox only removes what it sent). A draft in conflict or refused keeps that
        state while only its base moves (the server's newer record came in); `settled` says
        the user has answered it (chose in the conflict view), so it is a plain draft again.
        """
        try:
            changed = self._write(session, settled=settled)
        except StoreError as exc:
            self._failed(exc)
            return False
        if self.problem:
            self.problem = ""
            self.trouble.emit("")
        if changed:
            self.drafts_changed.emit()
        return True

    def _write(self, session: EditSession, *, settled: bool) -> bool:
        """The write itself; True when the set of drafts may have changed."""
        customer_id = session.customer_id
        if session.is_dirty_any:
            edits = session.edits
            stored = self._store.get_draft(self._connection, customer_id)
            base = _newer_base(session.base, stored)
            if stored is not None and (dict(stored.edits), dict(stored.base)) == (edits, base) \
                    and not settled:
                return False  # nothing new: keep its state (queued, conflict, failed)
            state = _state_after_write(stored, edits, settled=settled)
            kept = stored if stored is not None and state is stored.state else None
            self._store.save_draft(Draft(
                self._connection, customer_id, base, edits, state=state,
                reason=kept.reason if kept else "", conflicts=kept.conflicts if kept else (),
                queued_at=kept.queued_at if kept else None))
            self._ids.add(customer_id)
        elif customer_id in self._ids:
            self._store.discard(self._connection, customer_id)
            self._ids.discard(customer_id)
        else:
            return False
        return True

    def _failed(self, exc: StoreError) -> None:
        if isinstance(exc, StoreClosed):
            return  # the window is going away: nothing to tell anyone
        log.warning("drafts cannot be written: %s", exc)
        message = f"{exc} What you type stays in the form and is kept as soon as it can be."
        if message != self.problem:
            self.problem = message
            self.trouble.emit(message)

    def restore(self, customer: Customer) -> EditSession | None:
        """The saved edits of this customer against their base, moved onto `customer`."""
        if self._pending is not None and self._pending.customer_id == customer.customer_id:
            self.flush()
        draft = self._store.get_draft(self._connection, customer.customer_id)
        if draft is None:
            return None
        session = EditSession(draft.base_customer(), draft.edits)
        if customer.updated_at != session.base.updated_at:
            session.rebase(customer)  # a colleague's changes to untouched fields come along
        return session


def _state_after_write(stored: Draft | None, edits: dict[str, str], *,
                       settled: bool) -> DraftState:
    """What a draft becomes when the user's latest edits are written over `stored`."""
    if stored is None or settled or stored.state is DraftState.SENDING:
        return DraftState.EDITING
    if stored.state is DraftState.QUEUED:
        return DraftState.QUEUED  # keeps its place in line and goes with the latest edits
    if dict(stored.edits) == edits:
        return stored.state  # only the base moved: a conflict or refusal still stands
    return DraftState.EDITING  # typed on: the last outcome no longer applies


def _newer_base(base: Customer, stored: Draft | None) -> dict[str, Any]:
    """The base to write: the session's, unless the outbox has already moved the stored draft
    onto a newer answer of the server that the session has not heard of yet."""
    mine = base.model_dump(mode="json")
    if stored is None or stored.base == mine:
        return mine
    theirs = stored.base_customer()
    newer = theirs.updated_at and base.updated_at and theirs.updated_at > base.updated_at
    return dict(stored.base) if newer else mine
