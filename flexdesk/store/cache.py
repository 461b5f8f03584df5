"""The customer cache: a copy of the tenant, filled and kept fresh in passes.

A pass reads every page of the tenant (each listing the server offers, in its order) and keeps
each customer with the pass number that saw it. Where the pass stands is kept beside the rows
in the same transaction, so a pass interrupted (offline, stopped, the app closed) goes on from
the page it had reached. When a pass has read the last page, a customer that it did not see is
no longer on the server and leaves the copy. Drafts are another table: a pass never touches
them.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from flexdesk.api.rows import CustomerRow

from .connection import Database
from .records import CachedCustomer, ConnectionKey, copy_position

if TYPE_CHECKING:  # pydantic is imported when a customer is first read as a model
    from flexdesk.api.models import Customer
    from flexdesk.api.rows import Listed

__all__ = ["CopyState", "CustomerCache", "Place", "place_of"]

CACHE_CUSTOMER = """
    INSERT INTO customers (connection, customer_id, data, fetched_at, seen_in, position)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (connection, customer_id) DO UPDATE SET
        data = excluded.data, fetched_at = excluded.fetched_at,
        seen_in = max(seen_in, excluded.seen_in), position = excluded.position
"""


def cache_row(connection: ConnectionKey, customer: Customer, seen_in: int,
              stamp: float) -> tuple[str, str, str, float, int, float]:
    """The parameters of `CACHE_CUSTOMER` for one customer."""
    return (connection.key, customer.customer_id, customer.model_dump_json(), stamp, seen_in,
            copy_position(customer))


Place = tuple[float, str]  # a customer's place in the copy: (copy_position, customer ID)
_SELECT_STATE = ("SELECT pass, position, fetched, complete, completed_at, last_total "
                 "FROM tenant_copy WHERE connection = ?")
_SAVE_STATE = """
    INSERT INTO tenant_copy (connection, pass, position, fetched, complete, completed_at,
                             last_total)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (connection) DO UPDATE SET
        pass = excluded.pass, position = excluded.position, fetched = excluded.fetched,
        complete = excluded.complete, completed_at = excluded.completed_at,
        last_total = excluded.last_total
"""


def place_of(customer: Listed) -> Place:
    """Where `customer` stands in the copy's order: what `cached_customers` goes on after."""
    return copy_position(customer), customer.customer_id


@dataclass(frozen=True)
class CopyState:
    """Where the copy of one connection's tenant stands.

    `pass_number` 0: never filled. `listing` and `cursor`: the next page of the current pass
    (which of the server's listings, and the cursor in it). `complete`: the current pass has
    read every page. `last_total`: how many customers the last complete pass found, for
    "34,000 of ~100,000".
    """

    pass_number: int = 0
    listing: int = 0
    cursor: str | None = None
    fetched: int = 0
    complete: bool = False
    completed_at: float | None = None
    last_total: int | None = None

    def moved_on(self, listing: int, cursor: str | None, fetched: int) -> CopyState:
        return replace(self, listing=listing, cursor=cursor, fetched=self.fetched + fetched)


class CustomerCache(Database):
    """The cache half of `Store` (see store/database.py)."""

    def cache_customers(self, connection: ConnectionKey, customers: Iterable[Customer], *,
                        now: float | None = None) -> int:
        """Remember customers as just fetched (replacing older copies); how many.

        A customer fetched outside a pass (a page the user scrolled to, a save's answer)
        keeps the pass that last saw it: it is no sign that a pass has.
        """
        return self._cache(connection, customers, 0, now)

    def _cache(self, connection: ConnectionKey, customers: Iterable[Customer], seen_in: int,
               now: float | None, state: CopyState | None = None) -> int:
        stamp = time.time() if now is None else now
        # Collected before the lock is taken: `customers` may be a generator fetching pages.
        rows = [cache_row(connection, customer, seen_in, stamp) for customer in customers]
        with self._transaction() as db:
            db.executemany(CACHE_CUSTOMER, rows)
            if state is not None:
                db.execute(_SAVE_STATE, _state_row(connection, state))
        return len(rows)

    def cached_customers(self, connection: ConnectionKey, *, after: Place | None = None,
                         limit: int | None = None) -> list[CachedCustomer]:
        """The connection's cached customers in the copy's order (`copy_position`).

        All of them, or `limit` of them after the place `after` (the last one read, see
        `place_of`): a cache of 100,000 takes seconds to parse, so callers that must stay
        responsive read it in slices.
        """
        from flexdesk.api.models import Customer

        return [CachedCustomer(Customer.model_validate_json(data), fetched_at)
                for data, fetched_at in self._cached(connection, after, limit)]

    def cached_rows(self, connection: ConnectionKey, *, after: Place | None = None,
                    limit: int | None = None) -> list[tuple[CustomerRow, float]]:
        """`cached_customers` as plain rows and when each was fetched: what the list shows,
        read without pydantic, so the window's first rows need no models (issue #21)."""
        rows = self._cached(connection, after, limit)
        # json.loads leaves a dict per customer behind: enough garbage to set off the
        # collector, whose passes stop the GUI thread too (the GIL) while rows are shown.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return [(CustomerRow.from_json(data), fetched_at) for data, fetched_at in rows]
        finally:
            if collecting:
                gc.enable()

    def _cached(self, connection: ConnectionKey, after: Place | None,
                limit: int | None) -> list[sqlite3.Row]:
        position, customer_id = after if after is not None else (float("-inf"), "")
        return self._fetch("SELECT data, fetched_at FROM customers "
                           "WHERE connection = ? AND (position > ? OR "
                           "(position = ? AND customer_id > ?)) "
                           "ORDER BY position, customer_id LIMIT ?",
                           (connection.key, position, position, customer_id,
                            -1 if limit is None else limit))

    def cached_customer(self, connection: ConnectionKey,
                        customer_id: str) -> CachedCustomer | None:
        rows = self._fetch("SELECT data, fetched_at FROM customers "
                           "WHERE connection = ? AND customer_id = ?",
                           (connection.key, customer_id))
        if not rows:
            return None
        data, fetched_at = rows[0]
        from flexdesk.api.models import Customer

        return CachedCustomer(Customer.model_validate_json(data), fetched_at)

    def cached_count(self, connection: ConnectionKey) -> int:
        rows = self._fetch("SELECT count(*) FROM customers WHERE connection = ?",
                           (connection.key,))
        count: int = rows[0][0]
        return count

    def clear_cache(self, connection: ConnectionKey) -> int:
        """Forget the connection's cached customers (drafts stay); how many there were."""
        with self._transaction() as db:
            db.execute("DELETE FROM tenant_copy WHERE connection = ?", (connection.key,))
            return db.execute("DELETE FROM customers WHERE connection = ?",
                              (connection.key,)).rowcount

    # -- the copy's passes ----------------------------------------------------------------

    def copy_state(self, connection: ConnectionKey) -> CopyState:
        rows = self._fetch(_SELECT_STATE, (connection.key,))
        return _state_of(rows[0]) if rows else CopyState()

    def start_pass(self, connection: ConnectionKey) -> CopyState:
        """Begin a new pass from the first page (a first fill, or a refresh)."""
        with self._transaction() as db:
            state = _read_state(db, connection)
            fresh = CopyState(state.pass_number + 1, completed_at=state.completed_at,
                              last_total=state.last_total)
            db.execute(_SAVE_STATE, _state_row(connection, fresh))
        return fresh

    def keep_page(self, connection: ConnectionKey, customers: Iterable[Customer],
                  after: CopyState, *, now: float | None = None) -> None:
        """A page of the current pass, and where the pass stands after it: one transaction,
        so a restart goes on from exactly the page that follows what is kept."""
        self._cache(connection, customers, after.pass_number, now, after)

    def finish_pass(self, connection: ConnectionKey, *,
                    now: float | None = None) -> tuple[CopyState, list[str]]:
        """The pass has read every page: customers it did not see are gone from the server
        and leave the copy. Returns the state and the IDs that left."""
        with self._transaction() as db:
            state = _read_state(db, connection)
            gone = [row[0] for row in db.execute(
                "SELECT customer_id FROM customers WHERE connection = ? AND seen_in < ?",
                (connection.key, state.pass_number))]
            db.execute("DELETE FROM customers WHERE connection = ? AND seen_in < ?",
                       (connection.key, state.pass_number))
            total: int = db.execute("SELECT count(*) FROM customers WHERE connection = ?",
                                    (connection.key,)).fetchone()[0]
            done = replace(state, complete=True, listing=0, cursor=None,
                           completed_at=time.time() if now is None else now, last_total=total)
            db.execute(_SAVE_STATE, _state_row(connection, done))
        return done, gone


def _read_state(db: sqlite3.Connection, connection: ConnectionKey) -> CopyState:
    row = db.execute(_SELECT_STATE, (connection.key,)).fetchone()
    return _state_of(row) if row is not None else CopyState()


def _state_of(row: sqlite3.Row) -> CopyState:
    listing, cursor = json.loads(row[1])
    return CopyState(row[0], listing, cursor, row[2], bool(row[3]), row[4], row[5])


def _state_row(connection: ConnectionKey, state: CopyState) -> tuple[object, ...]:
    return (connection.key, state.pass_number, json.dumps([state.listing, state.cursor]),
            state.fetched, int(state.complete), state.completed_at, state.last_total)
