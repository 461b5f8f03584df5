"""The drafts panel: every customer with unsaved or unsent changes, and what became of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTableView, QWidget

from flexdesk.store import ConnectionKey, Draft, DraftState, Store
from flexdesk.ui.common.plain import tooltip

AnyIndex = QModelIndex | QPersistentModelIndex
REFRESH_COOLDOWN_MS = 250
_HEADERS = ("Customer", "State", "Changes", "Last edit", "Reason", "Belongs to")
Describe = Callable[[ConnectionKey], str]  # a connection for people: a profile's name, say
_STATE_TEXT = {
    DraftState.EDITING: "editing",
    DraftState.QUEUED: "queued",
    DraftState.SENDING: "sending",
    DraftState.CONFLICT: "conflict",
    DraftState.FAILED: "failed",
}


def _name(draft: Draft) -> str:
    base = draft.base
    return f"{base.get('firstName', '')} {base.get('lastName', '')}".strip() or draft.customer_id


class DraftsModel(QAbstractTableModel):
    def __init__(self, store: Store, connection: ConnectionKey, describe: Describe,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._connection = connection
        self._describe = describe
        self._drafts: list[Draft] = []
        self._own = 0  # the first rows are this connection's; the others, greyed, follow

    def reload(self) -> None:
        self.beginResetModel()
        own = self._store.drafts(self._connection)
        self._drafts = own + self._store.drafts_elsewhere(self._connection)
        self._own = len(own)
        self.endResetModel()

    def draft_at(self, row: int) -> Draft:
        return self._drafts[row]

    def is_elsewhere(self, row: int) -> bool:
        """The draft belongs to another server or tenant: shown, but sent only from there."""
        return row >= self._own

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._drafts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        elsewhere = self.is_elsewhere(row)
        if role == Qt.ItemDataRole.ForegroundRole and elsewhere:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole and elsewhere:
            return tooltip(f"Belongs to {self._describe(self._drafts[row].connection)}: "
                           "Return switches there, where it can be sent")
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        draft = self._drafts[row]
        when = datetime.fromtimestamp(draft.updated_at).strftime("%Y-%m-%d %H:%M")
        where = self._describe(draft.connection) if elsewhere else "here"
        text = (_name(draft), _STATE_TEXT[draft.state], str(len(draft.edits)), when,
                draft.reason, where)[index.column()]
        return text if role == Qt.ItemDataRole.DisplayRole else tooltip(text)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None


class _DraftTable(QTableView):
    discard_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Delete:
            self.discard_requested.emit()
            return
        super().keyPressEvent(event)


class DraftsDock(QDockWidget):
    open_requested = Signal(Draft)
    discard_requested = Signal(Draft)
    switch_requested = Signal(Draft)  # one of another server or tenant: go there

    def __init__(self, store: Store, connection: ConnectionKey, describe: Describe,
                 parent: QWidget | None = None) -> None:
        super().__init__("Drafts and outbox", parent)
        self.setObjectName("draftsDock")
        self.model = DraftsModel(store, connection, describe, self)
        self.table = _DraftTable(self)
        self.table.setObjectName("draftsTable")
        self.table.setAccessibleName("Drafts and queued saves")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            _HEADERS.index("Reason"), QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.discard_requested.connect(self._discard_current)
        self.setWidget(self.table)
        self.visibilityChanged.connect(self._shown)
        # Each sync result asks for a refresh; 1,000 saves going out would re-read (and
        # parse) every remaining draft 1,000 times. After a re-read, further asks within
        # the cool-down make one more re-read at its end.
        self._cooldown = QTimer(self)
        self._cooldown.setSingleShot(True)
        self._cooldown.setInterval(REFRESH_COOLDOWN_MS)
        self._cooldown.timeout.connect(self._cooled)
        self._asked_meanwhile = False
        # No read here: the panel starts hidden (or is shown by the saved layout, which
        # refreshes it), and parsing every draft would slow every start.

    def refresh(self) -> None:
        """Bring the list up to date: at once, or at the end of the cool-down if it just was.

        Only while shown: a hidden panel is brought up to date when it appears.
        """
        if not self.isVisible():
            return
        if self._cooldown.isActive():
            self._asked_meanwhile = True
            return
        self._reload()
        self._cooldown.start()

    def _cooled(self) -> None:
        if self._asked_meanwhile:
            self._asked_meanwhile = False
            self.refresh()

    def _reload(self) -> None:
        """Re-read the store, keeping the selected customer selected."""
        current = self.current_draft()
        self.model.reload()
        if current is None:
            return
        for row in range(self.model.rowCount()):
            if self.model.draft_at(row).customer_id == current.customer_id:
                self.table.setCurrentIndex(self.model.index(row, 0))
                return

    def _shown(self, visible: bool) -> None:
        if visible:
            self.refresh()

    def current_draft(self) -> Draft | None:
        index = self.table.currentIndex()
        return self.model.draft_at(index.row()) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        draft = self.model.draft_at(index.row())
        if self.model.is_elsewhere(index.row()):
            self.switch_requested.emit(draft)
        else:
            self.open_requested.emit(draft)

    def _discard_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid() and not self.model.is_elsewhere(index.row()):
            self.discard_requested.emit(self.model.draft_at(index.row()))
