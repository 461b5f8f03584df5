"""The left side of the window: search box, server filters and the customer table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flexdesk.api.kinds import CustomerType
from flexdesk.api.rows import CustomerRow
from flexdesk.listing.columns import Column
from flexdesk.listing.layout import ColumnLayout, ColumnState
from flexdesk.listing.paging import ListScope, StatusScope
from flexdesk.listing.text import looks_like_email
from flexdesk.listing.views import SavedView
from flexdesk.ui.customers.column_chooser import ColumnChooser, header_menu
from flexdesk.ui.customers.customer_filter import CustomerFilterProxy
from flexdesk.ui.customers.customer_loader import CustomerLoader
from flexdesk.ui.customers.customer_table import RECORD_ROLE, CustomerTableModel

if TYPE_CHECKING:
    from flexdesk.api.models import Customer

EMAIL_LOOKUP_DELAY_MS = 300  # ask the server once typing pauses, not on every keystroke
_TYPES: list[tuple[str, CustomerType | None]] = [
    ("All types", None),
    ("Individuals", CustomerType.INDIVIDUAL),
    ("Businesses", CustomerType.BUSINESS),
]


class CustomerList(QWidget):
    # The Customer model of the row (`object`: the signal is made before pydantic is imported)
    open_requested = Signal(object)
    filters_changed = Signal()  # the search text or a filter: which rows show

    def __init__(self, model: CustomerTableModel, loader: CustomerLoader,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.loader = loader
        self.proxy = CustomerFilterProxy(model)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search name, company, email, phone or city")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search customers")
        self.search.textChanged.connect(self._search_changed)
        self.search.installEventFilter(self)

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItems([scope.value for scope in StatusScope])
        self.status_filter.setAccessibleName("Show customers with status")
        self.type_filter = QComboBox(self)
        self.type_filter.setObjectName("typeFilter")
        self.type_filter.addItems([text for text, _ in _TYPES])
        self.type_filter.setAccessibleName("Show customers of type")
        for combo in (self.status_filter, self.type_filter):
            combo.currentIndexChanged.connect(self._scope_changed)
        status_label = QLabel("Stat&us", self)
        status_label.setBuddy(self.status_filter)
        type_label = QLabel("&Kind", self)
        type_label.setBuddy(self.type_filter)

        self.table = self._build_table()
        self.apply_column_layout(ColumnLayout())  # the default; a saved layout replaces it
        # Said where the rows would be when a search finds none of the loaded customers.
        self.no_match = QLabel(self)
        self.no_match.setObjectName("noMatch")
        self.no_match.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.no_match.setWordWrap(True)
        self.no_match.hide()

        self._email_timer = QTimer(self)
        self._email_timer.setSingleShot(True)
        self._email_timer.setInterval(EMAIL_LOOKUP_DELAY_MS)
        self._email_timer.timeout.connect(self._maybe_ask_server)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(status_label)
        filters.addWidget(self.status_filter)
        filters.addWidget(type_label)
        filters.addWidget(self.type_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.no_match)
        layout.addWidget(self.table, 1)

    def restore_columns(self, state: QByteArray) -> None:
        """Widths and order as an older version saved them (by column number); the marker
        column keeps its own size, whatever that version saved for it."""
        header = self.table.horizontalHeader()
        header.restoreState(state)
        _size_marker_column(header)

    def column_layout(self) -> ColumnLayout:
        """The columns as they are now, by name (what a saved layout or view keeps)."""
        header = self.table.horizontalHeader()
        states = tuple(ColumnState(Column(header.logicalIndex(visual)),
                                   header.sectionSize(header.logicalIndex(visual)),
                                   header.isSectionHidden(header.logicalIndex(visual)))
                       for visual in range(header.count()))
        section = header.sortIndicatorSection()
        sort = Column(section) if 0 <= section < len(Column) else None
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        return ColumnLayout(states, sort, descending and sort is not None)

    def apply_column_layout(self, layout: ColumnLayout) -> None:
        header = self.table.horizontalHeader()
        for visual, state in enumerate(layout.columns):
            header.moveSection(header.visualIndex(state.column), visual)
            header.setSectionHidden(state.column, state.hidden)
            if state.width and state.column is not Column.DRAFT:
                header.resizeSection(state.column, state.width)
        _size_marker_column(header)
        if layout.sort is None:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        else:
            order = Qt.SortOrder.DescendingOrder if layout.descending \
                else Qt.SortOrder.AscendingOrder
            self.table.sortByColumn(layout.sort, order)

    def view(self, name: str) -> SavedView:
        """The list as it is now (filters, search, columns and sort), as a view of `name`."""
        return SavedView.of(name, self.scope(), self.search.text(), self.column_layout())

    def show_view(self, view: SavedView) -> None:
        scope = view.scope()
        self.status_filter.setCurrentIndex(list(StatusScope).index(scope.status))
        self.type_filter.setCurrentIndex(
            next(i for i, (_, kind) in enumerate(_TYPES) if kind is scope.customer_type))
        self.apply_column_layout(view.layout())
        self.search.setText(view.search)

    def choose_columns(self) -> ColumnChooser:
        """View > Columns…: the keyboard's way to the header's context menu."""
        chooser = ColumnChooser(self.column_layout(), self)
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.accepted.connect(lambda: self.apply_column_layout(chooser.chosen()))
        chooser.open()
        return chooser

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("customerTable")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda at: header_menu(header, at))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        table.activated.connect(self._activated)
        table.setAccessibleName("Customers")
        return table

    # -- what others ask of the list -------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_customer(self) -> Customer | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = index.data(RECORD_ROLE)
        return row.customer() if isinstance(row, CustomerRow) else None

    def select_customer(self, customer_id: str) -> bool:
        row = self.model.row_of(customer_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, Column.NAME))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def step(self, rows: int) -> Customer | None:
        """Move the selection by `rows` within what the list shows; return the new customer."""
        count = self.proxy.rowCount()
        if not count:
            return None
        current = self.table.currentIndex()
        row = current.row() + rows if current.isValid() else (0 if rows > 0 else count - 1)
        row = max(0, min(count - 1, row))
        index = self.proxy.index(row, Column.NAME)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return self.selected_customer()

    def scope(self) -> ListScope:
        # By position: Qt hands a StrEnum back from item data as a plain str.
        status = list(StatusScope)[self.status_filter.currentIndex()]
        return ListScope(status, _TYPES[self.type_filter.currentIndex()][1])

    # -- keyboard: the search box drives the table -----------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                        Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}[Qt.Key(key)]
                self.step(step)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                customer = self.selected_customer() or self.step(1)
                if customer is not None:
                    self.open_requested.emit(customer)
                elif self.proxy.search_text and self.loader.stopped:
                    self.loader.go_on()  # none found so far: index the rest, and search it
                return True
        return super().eventFilter(watched, event)

    def show_search_state(self) -> None:
        """Say so when a search finds none of the loaded customers, and what Return does;
        and, on a first start, that the customers are on their way."""
        searching = bool(self.proxy.search_text) and self.proxy.rowCount() == 0
        loader = self.loader
        waiting = not self.proxy.search_text and self.model.rowCount() == 0 \
            and loader.error is None and (loader.loading or not loader.connected)
        if waiting:
            self.no_match.setText("Loading customers…")
        elif searching:
            loaded, loader = self.model.rowCount(), self.loader
            if loader.progress is not None and loader.stopped:
                text = (f"No match among the {loaded:,} customers indexed so far. Press Return "
                        "to index the rest and search them too.")
            elif loader.progress is not None:
                text = (f"No match yet among the {loaded:,} customers indexed so far; the rest "
                        "are being indexed and searched as they come.")
            else:
                text = f"No customer matches “{self.search.text().strip()}”."
            self.no_match.setText(text)
        shown = searching or waiting
        if shown != self.no_match.isVisible():
            self.no_match.setVisible(shown)

    # -- reactions -------------------------------------------------------------------------

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search_text(text)
        if looks_like_email(text):
            self._email_timer.start()
        else:
            self._email_timer.stop()
        self.filters_changed.emit()

    def _maybe_ask_server(self) -> None:
        text = self.search.text()
        if looks_like_email(text) and self.proxy.rowCount() == 0:
            self.loader.lookup_email(text)

    def _scope_changed(self) -> None:
        self.proxy.set_scope(self.scope().marks())
        self.filters_changed.emit()

    def _activated(self, index: QModelIndex) -> None:
        row = index.data(RECORD_ROLE)
        if isinstance(row, CustomerRow):
            self.open_requested.emit(row.customer())


def _size_marker_column(header: QHeaderView) -> None:
    """The draft marker shows the header's own glyph: the header's size hint is its width.

    Not "resize to contents": that re-measured up to 1,000 rows after every inserted page.
    """
    header.setSectionResizeMode(Column.DRAFT, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(Column.DRAFT, header.sectionSizeHint(Column.DRAFT))
