"""The customer list as a Qt table model: one row per customer the server has sent.

Kept free of HTTP: it asks for more rows with a signal, and whoever loads pages answers by
calling `append`. It sorts its own list (see customer_filter.py for why).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import IntEnum
from operator import itemgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from flexdesk.api.models import Customer
from flexdesk.ui.text import fold

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the Customer behind a row
AnyIndex = QModelIndex | QPersistentModelIndex
DRAFT_MARK = "✎"


class Column(IntEnum):
    DRAFT = 0
    NAME = 1
    COMPANY = 2
    EMAIL = 3
    PHONE = 4
    TYPE = 5
    STATUS = 6
    CITY = 7
    REVENUE = 8
    DEVICES = 9
    UPDATED = 10


HEADERS = {
    Column.DRAFT: DRAFT_MARK,
    Column.NAME: "Name",
    Column.COMPANY: "Company",
    Column.EMAIL: "Email",
    Column.PHONE: "Phone",
    Column.TYPE: "Type",
    Column.STATUS: "Status",
    Column.CITY: "City",
    Column.REVENUE: "Monthly revenue",
    Column.DEVICES: "Devices",
    Column.UPDATED: "Updated",
}
_NUMERIC = {Column.REVENUE, Column.DEVICES}
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _city(customer: Customer) -> str:
    address = customer.last_billing_address
    return address.city if address else ""


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def display_value(customer: Customer, column: Column) -> str:
    match column:
        case Column.DRAFT:
            return ""
        case Column.NAME:
            return customer.display_name
        case Column.COMPANY:
            return customer.company or ""
        case Column.EMAIL:
            return customer.email
        case Column.PHONE:
            return customer.phone or ""
        case Column.TYPE:
            return customer.customer_type.value.capitalize()
        case Column.STATUS:
            return customer.status.value.capitalize()
        case Column.CITY:
            return _city(customer)
        case Column.REVENUE:
            return _figure(customer.total_monthly_revenue, ",.2f")
        case Column.DEVICES:
            return _figure(customer.total_devices_rented, "g")
        case Column.UPDATED:
            return _when(customer.updated_at)


def _figure(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)  # None: absent or unreadable


def _number(value: float | None) -> float:
    return -math.inf if value is None else value


SortKey = tuple[float, str]


def sort_key(column: Column) -> Callable[[Customer], SortKey]:
    """Numbers order as numbers, text without regard to case or accents."""
    if column is Column.REVENUE:
        return lambda c: (_number(c.total_monthly_revenue), "")
    if column is Column.DEVICES:
        return lambda c: (_number(c.total_devices_rented), "")
    if column is Column.UPDATED:
        return lambda c: (c.updated_at.timestamp() if c.updated_at else 0.0, "")
    return lambda c: (0.0, fold(display_value(c, column)))


def search_key(customer: Customer) -> str:
    """What quick search looks in: name, company, email, phone and city, folded once."""
    parts = (customer.display_name, customer.company or "", customer.email,
             customer.phone or "", _city(customer))
    return fold("\x1f".join(parts))


class CustomerTableModel(QAbstractTableModel):
    more_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._customers: list[Customer] = []
        self._keys: list[str] = []  # search_key of each row, same order
        # The customer ID of each row, same order: re-numbering rows from this list takes a
        # third of the time of reading the ID from 100,000 customer objects.
        self._ids: list[str] = []
        # Row number by customer ID. Inserting in the middle moves every row below, so the
        # numbers from `_moved_from` on are brought up to date only when someone asks.
        self._row_of: dict[str, int] = {}
        self._moved_from: int | None = None
        self._drafts: frozenset[str] = frozenset()
        self._more_on_server = False
        self._fetching = False
        self._sort: tuple[Column, bool] | None = None  # column, descending
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
            return _RIGHT if column in _NUMERIC else None
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
        return self._customers[row]

    def row_of(self, customer_id: str) -> int | None:
        self._renumber()
        return self._row_of.get(customer_id)

    def search_keys(self) -> list[str]:
        return self._keys

    # -- paging ----------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        return not parent.isValid() and self._more_on_server and not self._fetching

    def fetchMore(self, parent: AnyIndex) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._fetching = True
            self.more_requested.emit()

    def set_paging(self, *, more_on_server: bool, fetching: bool = False) -> None:
        self._more_on_server = more_on_server
        self._fetching = fetching

    @property
    def more_on_server(self) -> bool:
        return self._more_on_server

    # -- changing --------------------------------------------------------------------------

    def append(self, customers: Iterable[Customer]) -> None:
        """Add a page; customers already shown are updated in place instead of repeated."""
        fresh: list[Customer] = []
        for customer in customers:
            if customer.customer_id in self._row_of:
                self.replace(customer)
            else:
                fresh.append(customer)
        if not fresh:
            return
        if self._sort is None:
            self._insert(len(self._customers), fresh)
            return
        # Sorted: each goes where it belongs, in groups per position, the last position first
        # so that the others stay valid (one customer at a time, with the row numbers
        # rebuilt each time, a page took seconds once 50,000 rows were loaded).
        column, descending = self._sort
        key = sort_key(column)
        groups: dict[int, list[tuple[SortKey, Customer]]] = {}
        for customer in fresh:
            value = key(customer)
            groups.setdefault(self._sorted_position(value), []).append((value, customer))
        for row in sorted(groups, reverse=True):
            group = sorted(groups[row], key=itemgetter(0), reverse=descending)
            self._insert(row, [c for _, c in group], [v for v, _ in group])

    def replace(self, customer: Customer) -> None:
        row = self.row_of(customer.customer_id)
        if row is None:
            return
        self._customers[row] = customer
        self._keys[row] = search_key(customer)
        if self._sort is not None:
            self._sort_values[row] = sort_key(self._sort[0])(customer)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def reset_to(self, customers: Iterable[Customer]) -> None:
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
        for customer in customers:
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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0:
            self._sort = None
            return
        self.layoutAboutToBeChanged.emit()
        ids_before = self._ids
        self._apply_sort(Column(column), order == Qt.SortOrder.DescendingOrder)
        old = self.persistentIndexList()
        new = [self.index(self._row_of[ids_before[i.row()]], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- internals -------------------------------------------------------------------------

    def _apply_sort(self, column: Column, descending: bool) -> None:
        key = sort_key(column)
        values = [key(c) for c in self._customers]
        order = sorted(range(len(values)), key=values.__getitem__, reverse=descending)
        self._customers = [self._customers[i] for i in order]
        self._keys = [self._keys[i] for i in order]
        self._ids = [self._ids[i] for i in order]
        self._sort_values = [values[i] for i in order]
        self._moved_from = 0
        self._renumber()
        self._sort = (column, descending)

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

    def _insert(self, row: int, customers: list[Customer],
                values: list[SortKey] | None = None) -> None:
        """Insert rows at `row`; `values` are their sort values, when the caller has them."""
        self.beginInsertRows(QModelIndex(), row, row + len(customers) - 1)
        self._customers[row:row] = customers
        self._ids[row:row] = [c.customer_id for c in customers]
        self._keys[row:row] = [search_key(c) for c in customers]
        if self._sort is not None:
            key = sort_key(self._sort[0])
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
