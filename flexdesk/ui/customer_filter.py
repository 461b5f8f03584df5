"""Quick search over the loaded customers, and sorting that stays fast at 100,000 rows.

Qt's own filtering and sorting ask Python for one row (or one pair) at a time, which costs
seconds at that scale. Here the match is computed in one pass over precomputed search keys,
and the proxy only looks the answer up; sorting is left to the source model, which sorts its
own list with Python's sort.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from flexdesk.ui.customer_table import CustomerTableModel
from flexdesk.ui.text import fold

AnyIndex = QModelIndex | QPersistentModelIndex


class CustomerFilterProxy(QSortFilterProxyModel):
    def __init__(self, source: CustomerTableModel) -> None:
        super().__init__(source)
        self._source = source
        self._needles: list[str] = []
        self._accepted = bytearray()  # one byte per source row, valid while searching
        # Connected before setSourceModel, so these run before the proxy's own handlers of the
        # same signals and it always judges rows against fresh answers.
        source.rowsInserted.connect(self._rows_inserted)
        source.dataChanged.connect(self._rows_changed)
        source.modelReset.connect(self._rematch)
        source.layoutChanged.connect(self._rematch)
        source.rowsRemoved.connect(self._rematch)
        self.setSourceModel(source)

    @property
    def search_text(self) -> str:
        return " ".join(self._needles)

    def set_search_text(self, text: str) -> None:
        needles = fold(text).split()
        if needles == self._needles:
            return
        self.beginFilterChange()
        self._needles = needles
        self._rematch()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        return not self._needles or self._accepted[source_row] == 1

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        # With a search active the view looks "short" and would page in the whole tenant.
        return not self._needles and super().canFetchMore(parent)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def _matches(self, keys: list[str]) -> bytearray:
        needles = self._needles
        return bytearray(all(n in key for n in needles) for key in keys)

    def _rematch(self, *_: object) -> None:
        self._accepted = self._matches(self._source.search_keys()) if self._needles else bytearray()

    def _rows_inserted(self, _parent: AnyIndex, first: int, last: int) -> None:
        if self._needles:
            keys = self._source.search_keys()
            self._accepted[first:first] = self._matches(keys[first : last + 1])

    def _rows_changed(self, top_left: AnyIndex, bottom_right: AnyIndex, *_: object) -> None:
        if self._needles:
            first, last = top_left.row(), bottom_right.row()
            keys = self._source.search_keys()
            self._accepted[first : last + 1] = self._matches(keys[first : last + 1])
