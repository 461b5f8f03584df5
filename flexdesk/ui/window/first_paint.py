"""The order of a start (issue #21): the window and the customers kept on this computer are
painted first; the network stack (httpx, pydantic, the API models) and everything built on it
come after, so that they never stand between the user and the first rows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from flexdesk.ui.customers.customer_list import CustomerList
from flexdesk.ui.customers.customer_loader import CustomerLoader


class AfterFirstRows(QObject):
    """Calls `then` once the list has painted what the copy on this computer holds at first:
    its first slice of rows, or nothing at all (a first start says "Loading customers…").
    With `from_server`: once it has painted the server's first answer (rows, or none)."""

    def __init__(self, customer_list: CustomerList, loader: CustomerLoader,
                 then: Callable[[], object], *, from_server: bool = False) -> None:
        super().__init__(customer_list)
        self._list, self._loader, self._then = customer_list, loader, then
        self._from_server = from_server
        self._viewport = customer_list.table.viewport()
        self._viewport.installEventFilter(self)
        # An empty copy changes nothing in the table: it would not be painted again.
        loader.changed.connect(self._viewport.update)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._viewport and event.type() == QEvent.Type.Paint and self._ready():
            self._viewport.removeEventFilter(self)
            self._loader.changed.disconnect(self._viewport.update)
            # Once this paint is on the screen, not in the middle of it.
            QTimer.singleShot(0, self, self._then)
        return False

    def _ready(self) -> bool:
        loader = self._loader
        if self._list.model.rowCount() > 0:
            return True
        if self._from_server:  # an empty tenant, or no answer: nothing more to wait for
            return loader.connected and not loader.loading
        return loader.cache_read
