"""The sandbox's customers in SQLite: one JSON document per row, indexed columns beside it.

Paging is keyset paging done in SQL: rows are ordered by (sort column, customerId) and a page
starts strictly after the previous page's last pair, so a page of 100 out of 100,000 reads about
a hundred index entries, and paging stays stable while rows are edited. The cursor handed to
clients is opaque: urlsafe base64 of JSON `[sortBy, sortOrder, value, customerId]`.

One connection behind one lock: the HTTP server is threaded, SQLite calls are short.
"""

from __future__ import annotations

import base64
import json
import math
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from flexdesk.files import private_file
from flexdesk.sandbox.seed import iter_customers

# API sort name -> column. Strings sort by code point (as Firestore does), numbers numerically.
SORT_COLUMNS: dict[str, str] = {
    "createdAt": "created_at",
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "totalMonthlyRevenue": "total_monthly_revenue",
    "totalDevicesRented": "total_devices_rented",
}
_NUMERIC_SORTS = frozenset({"totalMonthlyRevenue", "totalDevicesRented"})
_BATCH = 2000
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one, not one per row

_TABLES = [
    """CREATE TABLE IF NOT EXISTS tenants (
        tenant TEXT PRIMARY KEY, seed INTEGER NOT NULL, customers INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS customers (
        tenant TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL,
        customer_type TEXT NOT NULL,
        email TEXT NOT NULL,
        email_key TEXT NOT NULL,
        has_active_rentals INTEGER NOT NULL,
        pending_orders INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        total_monthly_revenue REAL NOT NULL,
        total_devices_rented REAL NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (tenant, customer_id))""",
]
# Built after the first bulk load (faster than growing them row by row).
_INDEXES = [
    "CREATE INDEX IF NOT EXISTS customers_by_email_key ON customers (tenant, email_key)",
    # One index per sort: the filters ride along so that filtering needs no table lookups.
    *(
        f"CREATE INDEX IF NOT EXISTS customers_by_{column} ON customers "
        f"(tenant, status, {column}, customer_id, customer_type, has_active_rentals)"
        for column in SORT_COLUMNS.values()
    ),
]
_WRITE_COLUMNS = ("status", "customer_type", "email", "email_key", "has_active_rentals",
                  "pending_orders", "created_at", "first_name", "last_name",
                  "total_monthly_revenue", "total_devices_rented", "doc")

_INSERT = (
    f"INSERT INTO customers (tenant, customer_id, {', '.join(_WRITE_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join('?' * (2 + len(_WRITE_COLUMNS)))})"
)
_UPDATE = (
    f"UPDATE customers SET {', '.join(f'{c} = ?' for c in _WRITE_COLUMNS)} "  # noqa: S608
    "WHERE tenant = ? AND customer_id = ?"
)


class Record(NamedTuple):
    customer: dict[str, Any]  # the API document
    pending_orders: bool


@dataclass(frozen=True)
class Cursor:
    value: str | float
    customer_id: str


@dataclass(frozen=True)
class ListQuery:
    limit: int = 50
    sort_by: str = "createdAt"
    descending: bool = True
    status: str = "active"
    customer_type: str | None = None
    email: str | None = None
    has_active_rentals: bool | None = None
    after: Cursor | None = None

    @property
    def sort_order(self) -> str:
        return "desc" if self.descending else "asc"


@dataclass(frozen=True)
class Page:
    customers: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(query: ListQuery, value: str | float, customer_id: str) -> str:
    raw = json.dumps([query.sort_by, query.sort_order, value, customer_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, query: ListQuery) -> Cursor:
    """The position a cursor names; ValueError (with the reason) for anything we did not issue."""
    foreign = "is not a cursor this server issued"
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except ValueError as exc:  # binascii.Error and UnicodeDecodeError included
        raise ValueError(foreign) from exc
    if not (isinstance(decoded, list) and len(decoded) == 4):
        raise ValueError(foreign)
    sort_by, order, value, customer_id = decoded
    if (sort_by, order) != (query.sort_by, query.sort_order):
        raise ValueError(f"belongs to another sort order (sortBy={sort_by}, sortOrder={order})")
    if query.sort_by in _NUMERIC_SORTS:
        fits = isinstance(value, int | float) and not isinstance(value, bool) and \
            math.isfinite(value)
    else:
        fits = isinstance(value, str)
    if not (fits and isinstance(customer_id, str)):
        raise ValueError(foreign)
    return Cursor(value, customer_id)


def _columns(doc: dict[str, Any], pending_orders: bool) -> tuple[Any, ...]:
    """The indexed copies of a document's fields, in `_WRITE_COLUMNS` order."""
    return (
        doc["status"], doc["customerType"], doc["email"], doc["email"].lower(),
        bool(doc["rentalIds"]), pending_orders, str(doc.get("createdAt", "")),
        doc["firstName"], doc["lastName"], doc["totalMonthlyRevenue"],
        doc["totalDevicesRented"],
        _ENCODER.encode(doc),
    )


class Storage:
    """Customers of every tenant; in memory unless `path` names a database file."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._lock = threading.RLock()
        if path is not None:
            private_file(Path(path))  # customers' names and emails: the user's eyes only
        self._conn = sqlite3.connect(":memory:" if path is None else path,
                                     check_same_thread=False)
        with self._conn:
            if path is not None:
                self._conn.execute("PRAGMA journal_mode=WAL")
            for statement in _TABLES:
                self._conn.execute(statement)
        rows = self._conn.execute("SELECT tenant FROM tenants").fetchall()
        self._tenants = {tenant for (tenant,) in rows}
        if self._tenants:
            self._create_indexes()

    def _create_indexes(self) -> None:
        with self._conn:
            for statement in _INDEXES:
                self._conn.execute(statement)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def has_tenant(self, tenant: str) -> bool:
        with self._lock:
            return tenant in self._tenants

    def seed_tenant(self, tenant: str, customers: int, seed: int) -> bool:
        """Fill a new tenant with `customers` seeded customers; False if it already exists."""
        with self._lock:
            if tenant in self._tenants:
                return False
            with self._conn:
                self._conn.execute("INSERT INTO tenants VALUES (?, ?, ?)",
                                   (tenant, seed, customers))
                batch: list[tuple[Any, ...]] = []
                for doc, pending in iter_customers(customers, seed=seed, tenant=tenant):
                    batch.append((tenant, doc["customerId"], *_columns(doc, pending)))
                    if len(batch) == _BATCH:
                        self._conn.executemany(_INSERT, batch)
                        batch.clear()
                self._conn.executemany(_INSERT, batch)
            self._create_indexes()
            self._tenants.add(tenant)
            return True

    def get(self, tenant: str, customer_id: str) -> Record | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT doc, pending_orders FROM customers WHERE tenant = ? AND customer_id = ?",
                (tenant, customer_id),
            ).fetchone()
        return None if row is None else Record(json.loads(row[0]), bool(row[1]))

    def update(
        self, tenant: str, customer_id: str, change: Callable[[Record], dict[str, Any]]
    ) -> dict[str, Any] | None:
        """Replace a customer with `change(current)`, atomically; None if there is no such one.

        `change` may raise to refuse: nothing is written then.
        """
        with self._lock:
            current = self.get(tenant, customer_id)
            if current is None:
                return None
            doc = change(current)
            with self._conn:
                self._conn.execute(
                    _UPDATE, (*_columns(doc, current.pending_orders), tenant, customer_id)
                )
            return doc

    def list_page(self, tenant: str, query: ListQuery) -> Page:
        sql, args = _page_sql(tenant, query)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        cursor = encode_cursor(query, rows[-1][0], rows[-1][1]) if more else None
        return Page([json.loads(doc) for _, _, doc in rows], cursor)

    def explain(self, tenant: str, query: ListQuery) -> str:
        """SQLite's plan for `list_page`, one step a line (tests prove no scan or sort)."""
        sql, args = _page_sql(tenant, query)
        with self._lock:
            rows = self._conn.execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()
        return "\n".join(str(row[-1]) for row in rows)


def _page_sql(tenant: str, query: ListQuery) -> tuple[str, tuple[Any, ...]]:
    column = SORT_COLUMNS[query.sort_by]
    where = ["tenant = ?", "status = ?"]
    args: list[object] = [tenant, query.status]
    if query.customer_type is not None:
        where.append("customer_type = ?")
        args.append(query.customer_type)
    if query.email is not None:
        where.append("email_key = ?")
        args.append(query.email.lower())
    if query.has_active_rentals is not None:
        where.append("has_active_rentals = ?")
        args.append(query.has_active_rentals)
    if query.after is not None:
        where.append(f"({column}, customer_id) {'<' if query.descending else '>'} (?, ?)")
        args.extend((query.after.value, query.after.customer_id))
    order = "DESC" if query.descending else "ASC"
    # An email matches a row or two: find those first, then sort them (the planner, lacking
    # statistics, would rather walk the sort index).
    source = "customers" if query.email is None else "customers INDEXED BY customers_by_email_key"
    sql = (f"SELECT {column}, customer_id, doc FROM {source} "  # noqa: S608 - names are ours
           f"WHERE {' AND '.join(where)} "
           f"ORDER BY {column} {order}, customer_id {order} LIMIT ?")
    return sql, (*args, query.limit + 1)
