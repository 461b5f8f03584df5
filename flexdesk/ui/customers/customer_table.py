"""The customer list as a Qt table model: one row per customer the server has sent.

Kept free of HTTP: it asks for more rows with a signal, and whoever loads pages answers by
calling `append`. It sorts its own list (see customer_filter.py for why).

Rows are kept as plain `CustomerRow`s, which need no pydantic: the cached customers are painted
before the network stack is imported (issue #21). Models given to it are kept as rows; the full
`Customer` of a row is made when one is asked for (`customer_at`), to edit or export it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from flexdesk.api.rows import CustomerRow
from flexdesk.listing.columns import (
    DRAFT_MARK,
    HEADERS,
    NUMERIC,
    Column,
    KeyFunction,
    SortKey,
    display_value,
    search_key,
    sort_key,
)

if TYPE_CHECKING:
    from flexdesk.api.models import Customer
    from flexdesk.api.rows import Listed

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the CustomerRow behind a row
AnyIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Places a batch of new rows goes to, above which they are merged at once. A merge re-sorts
# and renumbers every row (~60 ms at 100,000); an insertion costs ~0.1 ms a place there.
MERGE_ABOVE = 1000


class CustomerTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._customers: list[CustomerRow] = []
        self._keys: list[str] = []  # search_key of each row, same order
        # The customer ID of each row, same order: re-numbering rows from this list takes a
        # third of the time of reading the ID from 100,000 customer objects.
        self._ids: list[str] = []
        # Row number by customer ID. Inserting in the middle moves every row below, so the
        # numbers from `_moved_from` on are brought up to date only when someone asks.
        self._row_of: dict[str, int] = {}
        self._moved_from: int | None = None
        self._drafts: frozenset[str] = frozenset()
        # How rows are kept in order: a key and descending, or None for the order they came
        # in. A sorted column sets it; without one, the loader's (the server's) order rules.
        self._sort: tuple[KeyFunction, bool] | None = None
        self._default_sort: tuple[KeyFunction, bool] | None = None
        self._sort_values: list[SortKey] = []

    # -- reading ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._customers)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        """`data` without the index; the proxy calls it directly to save two hops per cell.

        A view asks about a dozen roles per visible cell on every paint; the roles this model
        has nothing for are answered first and cheaply.
        """
        if role == _DISPLAY:
            customer = self._customers[row]
            if column == Column.DRAFT:
                return DRAFT_MARK if customer.customer_id in self._drafts else ""
            return display_value(customer, Column(column))
        if role == RECORD_ROLE:
            return self._customers[row]
        if role == _ALIGNMENT:
            return _RIGHT if column in NUMERIC else None
        if role == _TOOLTIP and column == Column.DRAFT:
            drafted = self._customers[row].customer_id in self._drafts
            return "Unsaved local draft" if drafted else None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.DRAFT:
            return "Customers with an unsaved local draft"
        return None

    def customer_at(self, row: int) -> Customer:
        """The row's customer as the full model (made now: ~15 µs), to edit or export."""
        return self._customers[row].customer()

    def row_at(self, row: int) -> CustomerRow:
        return self._customers[row]

    def row_of(self, customer_id: str) -> int | None:
        self._renumber()
        return self._row_of.get(customer_id)

    def search_keys(self) -> list[str]:
        return self._keys

    # -- changing --------------------------------------------------------------------------

    def append(self, customers: Iterable[Listed]) -> None:
        """Add a page; customers already shown are updated in place instead of repeated (and
        not touched at all when unchanged: a refresh brings mostly those)."""
        fresh: list[CustomerRow] = []
        changed: list[int] = []
        shown: list[CustomerRow] = []
        # (an ID is in `_row_of` from its insertion on)
        for customer in map(CustomerRow.of, customers):
            (shown if customer.customer_id in self._row_of else fresh).append(customer)
        if shown:  # their row numbers, only now: renumbering 100,000 rows is not free
            self._renumber()
        for customer in shown:
            row = self._row_of[customer.customer_id]
            if self._customers[row] != customer:
                self._set_row(row, customer)
                changed.append(row)
        if changed:  # one signal for the page: a filtered view matches once, not per row
            self.dataChanged.emit(self.index(min(changed), 0),
                                  self.index(max(changed), len(Column) - 1))
        if not fresh:
            return
        if self._sort is None:
            self._insert(len(self._customers), fresh)
            return
        # Sorted: each goes where it belongs, in groups per position, the last position first
        # so that the others stay valid (one customer at a time, with the row numbers
        # rebuilt each time, a page took seconds once 50,000 rows were loaded).
        key, descending = self._sort
        groups: dict[int, list[tuple[SortKey, CustomerRow]]] = {}
        for customer in fresh:
            value = key(customer)
            groups.setdefault(self._sorted_position(value), []).append((value, customer))
        if len(groups) > MERGE_ABOVE:
            # Spread all over (thousands of customers into a list sorted by city): one merge
            # and one layout change.
            self._merge([pair for group in groups.values() for pair in group])
            return
        for row in sorted(groups, reverse=True):
            group = sorted(groups[row], key=itemgetter(0), reverse=descending)
            self._insert(row, [c for _, c in group], [v for v, _ in group])

    def replace(self, customer: Listed) -> None:
        row = self.row_of(customer.customer_id)
        if row is None:
            return
        self._set_row(row, CustomerRow.of(customer))
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _set_row(self, row: int, customer: CustomerRow) -> None:
        self._customers[row] = customer
        self._keys[row] = search_key(customer)
        if self._sort is not None:
            self._sort_values[row] = self._sort[0](customer)

    def reset_to(self, customers: Iterable[Listed]) -> None:
        # A customer shown before (the same object: a refresh keeps the unchanged ones) keeps
        # its search key; folding 100,000 again is most of a refresh's swap. `shown` keeps
        # the old objects alive until this returns, so no id() is reused in between.
        shown = self._customers
        known = dict(zip(map(id, shown), self._keys, strict=True))
        self.beginResetModel()
        self._customers = []
        self._keys = []
        self._ids = []
        self._sort_values = []
        self._row_of = {}
        self._moved_from = None
        for customer in map(CustomerRow.of, customers):
            if customer.customer_id not in self._row_of:
                self._row_of[customer.customer_id] = len(self._customers)
                self._customers.append(customer)
                self._ids.append(customer.customer_id)
                self._keys.append(known.get(id(customer)) or search_key(customer))
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def draft_ids(self) -> frozenset[str]:
        return self._drafts

    def set_drafts(self, customer_ids: Iterable[str]) -> None:
        drafts = frozenset(customer_ids)
        if drafts == self._drafts:
            return  # repainting a column of 100,000 rows for nothing is not free
        self._drafts = drafts
        if self._customers:
            last = len(self._customers) - 1
            self.dataChanged.emit(self.index(0, Column.DRAFT), self.index(last, Column.DRAFT))

    def remove(self, customer_ids: Iterable[str]) -> None:
        """Take these customers out (gone from the server); the others keep their place."""
        self._renumber()
        rows = sorted({self._row_of[i] for i in customer_ids if i in self._row_of},
                      reverse=True)
        for row in rows:  # a refresh finds a few gone at most: one at a time is plenty
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._row_of[self._ids[row]]
            for column in (self._customers, self._keys, self._ids):
                del column[row]
            if self._sort is not None:
                del self._sort_values[row]
            if row < len(self._ids):  # the rows below moved up
                self._moved_from = row if self._moved_from is None \
                    else min(row, self._moved_from)
            self.endRemoveRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        order_by = (sort_key(Column(column)), order == Qt.SortOrder.DescendingOrder) \
            if column >= 0 else self._default_sort
        if order_by is None:
            self._sort = None
            return
        self.layoutAboutToBeChanged.emit()
        ids_before = self._ids
        self._apply_sort(*order_by)
        old = self.persistentIndexList()
        new = [self.index(self._row_of[ids_before[i.row()]], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- internals -------------------------------------------------------------------------

    @property
    def sorted_by_column(self) -> bool:
        """The user sorted a column (rather than the loader's order ruling)."""
        return self._sort is not None and self._sort is not self._default_sort

    @property
    def sorted(self) -> bool:
        """Rows are kept in an order of their own (a sorted column, or the loader's)."""
        return self._sort is not None

    def keep_in_order(self, key: KeyFunction | None, *, descending: bool = False) -> None:
        """Order rows by `key` (None: as they come) when no column is sorted: the loader
        keeps the server's order, whichever way (cache or pages) the rows come in. An empty
        model only, as the loader starts a list."""
        if self._customers:
            raise ValueError("set the order of an empty list")
        self._default_sort = None if key is None else (key, descending)
        self._sort = self._sort or self._default_sort

    def _apply_sort(self, key: KeyFunction, descending: bool) -> None:
        values = [key(c) for c in self._customers]
        order = sorted(range(len(values)), key=values.__getitem__, reverse=descending)
        self._customers = [self._customers[i] for i in order]
        self._keys = [self._keys[i] for i in order]
        self._ids = [self._ids[i] for i in order]
        self._sort_values = [values[i] for i in order]
        self._moved_from = 0
        self._renumber()
        self._sort = (key, descending)

    def _merge(self, pairs: list[tuple[SortKey, CustomerRow]]) -> None:
        """Add many customers at once, each where its sort value puts it (after equal ones)."""
        assert self._sort is not None
        descending = self._sort[1]
        self.layoutAboutToBeChanged.emit()
        ids_before = self._ids
        pairs.sort(key=itemgetter(0), reverse=descending)
        values = self._sort_values + [v for v, _ in pairs]
        customers = self._customers + [c for _, c in pairs]
        keys = self._keys + [search_key(c) for _, c in pairs]
        ids = self._ids + [c.customer_id for _, c in pairs]
        # Two sorted runs, which Python's sort merges in one pass; equal values keep the
        # rows already shown first.
        order = sorted(range(len(values)), key=values.__getitem__, reverse=descending)
        self._customers = [customers[i] for i in order]
        self._keys = [keys[i] for i in order]
        self._ids = [ids[i] for i in order]
        self._sort_values = [values[i] for i in order]
        self._moved_from = 0
        self._renumber()
        old = self.persistentIndexList()
        new = [self.index(self._row_of[ids_before[i.row()]], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sorted_position(self, value: SortKey) -> int:
        """Where a customer with this sort value goes: after those equal to it."""
        assert self._sort is not None
        if self._sort[1]:  # descending
            # bisect only searches ascending lists; this is its mirror image.
            lo, hi = 0, len(self._sort_values)
            while lo < hi:
                mid = (lo + hi) // 2
                if self._sort_values[mid] >= value:
                    lo = mid + 1
                else:
                    hi = mid
            return lo
        return bisect.bisect_right(self._sort_values, value)

    def _insert(self, row: int, customers: list[CustomerRow],
                values: list[SortKey] | None = None) -> None:
        """Insert rows at `row`; `values` are their sort values, when the caller has them."""
        self.beginInsertRows(QModelIndex(), row, row + len(customers) - 1)
        self._customers[row:row] = customers
        self._ids[row:row] = [c.customer_id for c in customers]
        self._keys[row:row] = [search_key(c) for c in customers]
        if self._sort is not None:
            key = self._sort[0]
            self._sort_values[row:row] = values or [key(c) for c in customers]
        # The new IDs go in at once (`append` asks whether an ID is shown); their numbers, and
        # those of the rows below, are settled by `_renumber` when a number is wanted.
        end = row + len(customers)
        self._row_of.update(zip(self._ids[row:end], range(row, end), strict=True))
        if end < len(self._ids):  # the rows below moved down
            self._moved_from = row if self._moved_from is None else min(row, self._moved_from)
        self.endInsertRows()

    def _renumber(self) -> None:
        """Bring the row numbers by ID up to date (the rows before `_moved_from` kept theirs)."""
        first = self._moved_from
        if first is not None:
            self._row_of.update(zip(self._ids[first:], range(first, len(self._ids)),
                                    strict=True))
            self._moved_from = None
