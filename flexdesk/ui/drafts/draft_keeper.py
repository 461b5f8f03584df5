"""Keeps what is typed in the drafts store: shortly after each keystroke, and at once when
the user moves on. After a crash the next start finds every draft there."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from flexdesk.api.models import Customer
from flexdesk.editing import EditSession
from flexdesk.store import ConnectionKey, Draft, DraftState, Store

log = logging.getLogger(__name__)

# Well inside the promised second, yet a burst of typing costs one write, not one per key.
WRITE_DELAY_MS = 400


class DraftKeeper(QObject):
    drafts_changed = Signal()  # the set of customers with a draft may have changed

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
        self._ids = store.draft_ids(connection)

    def reload(self) -> None:
        """Re-read which customers have drafts (the outbox removes sent ones)."""
        ids = self._store.draft_ids(self._connection)
        if ids != self._ids:
            self._ids = ids
            self.drafts_changed.emit()

    def draft_ids(self) -> frozenset[str]:
        return frozenset(self._ids)

    def schedule(self, session: EditSession) -> None:
        """Write this session soon; a different session waiting is written first."""
        if self._pending is not None and self._pending is not session:
            self.flush()
        self._pending = session
        self._timer.start()

    def flush(self) -> None:
        """Write now what is waiting (focus change, customer switch, close)."""
        self._timer.stop()
        session, self._pending = self._pending, None
        if session is not None:
            self.write(session)

    def write(self, session: EditSession) -> None:
        """Store the session's edits. A save waiting in the outbox keeps its place and goes
        out with the latest edits; one already on its way is left to the outbox, and what
        is typed meanwhile stays a draft (the outbox only removes what it sent)."""
        customer_id = session.customer_id
        if session.is_dirty_any:
            edits = session.edits
            stored = self._store.get_draft(self._connection, customer_id)
            if stored is not None and dict(stored.edits) == edits:
                return  # nothing new: keep its state (queued, conflict, failed) as it is
            queued = stored is not None and stored.state is DraftState.QUEUED
            self._store.save_draft(Draft.of(
                self._connection, session.base, edits,
                state=DraftState.QUEUED if queued else DraftState.EDITING,
                queued_at=stored.queued_at if queued and stored else None))
            self._ids.add(customer_id)
        elif customer_id in self._ids:
            self._store.discard(self._connection, customer_id)
            self._ids.discard(customer_id)
        else:
            return
        self.drafts_changed.emit()

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
