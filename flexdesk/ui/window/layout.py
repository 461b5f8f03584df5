"""What the window looked like last time: its geometry, docks, splitter and list columns,
kept in the settings and put back at the next start."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from flexdesk.listing.layout import ColumnLayout
from flexdesk.ui.customers.customer_list import CustomerList

MAX_COLUMN_WIDTH = 240
COLUMNS = "window/columnLayout"  # by column name (listing/layout.py)
OLD_COLUMNS = "window/columns"  # Qt's header state, by column number: read once, then replaced


class LayoutMemory:
    def __init__(self, window: QMainWindow, splitter: QSplitter, customers: CustomerList,
                 settings: QSettings) -> None:
        self._window = window
        self._splitter = splitter
        self._list = customers
        self._settings = settings
        # Asked as soon as rows arrive, which restoring a saved sort can already cause.
        self._columns_fitted = True

    def restore(self) -> None:
        """Put back what the last session left; column widths are fitted to the first rows
        only when none were saved. The docks and toolbars follow with `restore_bars`, once
        they exist (they come after the first paint)."""
        s = self._settings
        for key, restore in (("window/geometry", self._window.restoreGeometry),
                             ("window/splitter", self._splitter.restoreState)):
            value = s.value(key)
            if value is not None:
                restore(value)
        columns = s.value(COLUMNS)
        if isinstance(columns, str):
            self._list.apply_column_layout(ColumnLayout.from_json(columns))
        elif s.value(OLD_COLUMNS) is not None:  # saved by a version before the names
            self._list.restore_columns(s.value(OLD_COLUMNS))
        self._columns_fitted = columns is not None or s.value(OLD_COLUMNS) is not None

    def restore_bars(self) -> None:
        """The docks and toolbars where the last session left them (Qt's window state)."""
        value = self._settings.value("window/state")
        if value is not None:
            self._window.restoreState(value)

    def fit_columns_once(self) -> None:
        """On a first start, size columns to the first page; afterwards the user's widths rule."""
        if self._columns_fitted or not self._list.model.rowCount():
            return
        self._columns_fitted = True
        table = self._list.table
        header = table.horizontalHeader()
        # Fit the rows on screen: measuring the whole page adds ~25 ms to every first start.
        precision = header.resizeContentsPrecision()
        header.setResizeContentsPrecision(0)
        table.resizeColumnsToContents()
        header.setResizeContentsPrecision(precision)
        for section in range(header.count()):
            header.resizeSection(section, min(header.sectionSize(section), MAX_COLUMN_WIDTH))

    def save(self) -> None:
        s = self._settings
        s.setValue("window/geometry", self._window.saveGeometry())
        s.setValue("window/state", self._window.saveState())
        s.setValue("window/splitter", self._splitter.saveState())
        s.setValue(COLUMNS, self._list.column_layout().to_json())
        s.remove(OLD_COLUMNS)
        s.sync()
