"""Quick search over the loaded customers, fast at 100,000 rows.

`QSortFilterProxyModel` asks Python about every source row on each change (100,000 calls per
keystroke). This proxy instead computes the matching rows in one pass over search keys the
model precomputed, narrows from the previous answer while the query only grows, and tells the
view with a single layout change. Sorting is the source model's (it sorts its own list).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from flexdesk.listing.text import fold, search_forms
from flexdesk.ui.customers.customer_table import CustomerTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


def _narrows(old: list[str], new: list[str]) -> bool:
    """True if every row matching `new` also matched `old` (the user typed on): each form a
    new word may be found as contains a form of the old word in its place."""
    return bool(old) and len(new) >= len(old) and all(
        all(any(o in n for o in search_forms(old_word)) for n in search_forms(new_word))
        for old_word, new_word in zip(old, new, strict=False))


class CustomerFilterProxy(QAbstractProxyModel):
    def __init__(self, source: CustomerTableModel) -> None:
        super().__init__(source)
        self._source = source
        self._needles: list[str] = []
        self._allowed: frozenset[str] | None = None  # scope marks shown; None: every scope
        self._rows: list[int] | None = None  # matching source rows; None: all of them
        self._proxy_row: dict[int, int] = {}
        self._saved: list[tuple[QModelIndex, QPersistentModelIndex]] = []
        self.setSourceModel(source)
        source.rowsAboutToBeInserted.connect(self._before_insert)
        source.rowsInserted.connect(self._after_insert)
        source.rowsAboutToBeRemoved.connect(self._before_remove)
        source.rowsRemoved.connect(self._after_remove)
        source.dataChanged.connect(self._data_changed)
        source.layoutAboutToBeChanged.connect(self._before_layout)
        source.layoutChanged.connect(self._source_sorted)
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._after_reset)

    # -- searching -------------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        return " ".join(self._needles)

    def set_search_text(self, text: str) -> None:
        needles = fold(text).split()
        if needles == self._needles:
            return
        candidates = self._rows if self._rows is not None and _narrows(self._needles,
                                                                        needles) else None
        self._before_layout()
        self._needles = needles
        self._match(candidates)
        self._after_layout()

    def set_scope(self, allowed: frozenset[str] | None) -> None:
        """Show only customers whose scope mark (`listing.columns.scope_mark`) is `allowed`."""
        if allowed == self._allowed:
            return
        self._before_layout()
        self._allowed = allowed
        self._match()
        self._after_layout()

    def _match(self, candidates: list[int] | None = None) -> None:
        allowed = self._allowed
        if not self._needles and allowed is None:
            self._rows, self._proxy_row = None, {}
            return
        keys = self._source.search_keys()
        rows: range | list[int] = range(len(keys)) if candidates is None else candidates
        if allowed is not None:
            rows = [r for r in rows if keys[r][0] in allowed]
        if not self._needles:
            self._rows = list(rows)
            self._proxy_row = {source: proxy for proxy, source in enumerate(self._rows)}
            return
        forms = [search_forms(needle) for needle in self._needles]
        if forms == [(self._needles[0],)]:  # the common case, kept to one `in` per row
            needle = self._needles[0]
            self._rows = [r for r in rows if needle in keys[r]]
        else:
            self._rows = [r for r in rows
                          if all(any(f in keys[r] for f in each) for each in forms)]
        self._proxy_row = {source: proxy for proxy, source in enumerate(self._rows)}

    # -- the proxy contract ----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return self._source.rowCount() if self._rows is None else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._source.columnCount()

    def index(self, row: int, column: int,
              parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and
                                    0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:  # noqa: N802
        if not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        source_row = row if self._rows is None else self._rows[row]
        return self._source.index(source_row, proxy_index.column())

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:  # noqa: N802
        if not source_index.isValid():
            return QModelIndex()
        row = source_index.row()
        proxy_row = row if self._rows is None else self._proxy_row.get(row)
        if proxy_row is None:
            return QModelIndex()
        return self.createIndex(proxy_row, source_index.column())

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Straight to the source's cell: no mapToSource and no source index per cell.
        if not index.isValid():
            return None
        row = index.row()
        return self._source.cell(row if self._rows is None else self._rows[row],
                                 index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._source.headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    # -- following the source --------------------------------------------------------------

    def _before_insert(self, parent: AnyIndex, first: int, last: int) -> None:
        if self._rows is None:
            self.beginInsertRows(QModelIndex(), first, last)
        else:
            self._before_layout()

    def _after_insert(self, parent: AnyIndex, first: int, last: int) -> None:
        if self._rows is None:
            self.endInsertRows()
            return
        # Rows after the insertion moved down; recount them, then judge only the new ones.
        count = last - first + 1
        kept = [r if r < first else r + count for r in self._rows]
        self._rows = None
        self._match(kept + list(range(first, last + 1)))
        if self._rows is not None:
            self._rows.sort()
            self._proxy_row = {source: proxy for proxy, source in enumerate(self._rows)}
        self._after_layout()

    def _before_remove(self, parent: AnyIndex, first: int, last: int) -> None:
        if self._rows is None:
            self.beginRemoveRows(QModelIndex(), first, last)
        else:
            self._before_layout()

    def _after_remove(self, parent: AnyIndex, first: int, last: int) -> None:
        if self._rows is None:
            self.endRemoveRows()
            return
        count = last - first + 1
        self._rows = [r if r < first else r - count for r in self._rows
                      if not first <= r <= last]
        self._proxy_row = {source: proxy for proxy, source in enumerate(self._rows)}
        self._after_layout()

    def _data_changed(self, top_left: AnyIndex, bottom_right: AnyIndex, roles: Any = ()) -> None:
        if self._rows is None:
            self.dataChanged.emit(self.mapFromSource(top_left),
                                  self.mapFromSource(bottom_right))
            return
        # A changed customer may start or stop matching.
        self._before_layout()
        self._match()
        self._after_layout()

    def _before_layout(self, *_: object) -> None:
        self.layoutAboutToBeChanged.emit()
        # Remember each selected/current row by its source position, which the source keeps
        # up to date through its own change.
        self._saved = [(p, QPersistentModelIndex(self.mapToSource(p)))
                       for p in self.persistentIndexList()]

    def _after_layout(self) -> None:
        old = [proxy for proxy, _ in self._saved]
        new = [self.mapFromSource(source) for _, source in self._saved]
        self.changePersistentIndexList(old, new)
        self._saved = []
        self.layoutChanged.emit()

    def _source_sorted(self, *_: object) -> None:
        self._match()
        self._after_layout()

    def _after_reset(self) -> None:
        self._match()
        self.endResetModel()
