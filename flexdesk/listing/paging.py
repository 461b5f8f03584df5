"""Where paging stands, without Qt: the scope the server is asked for, the cursor of the next
page, a refresh gathering pages, and slices of the offline cache.

`flexdesk.ui.customers.customer_loader` runs these on worker threads and feeds the table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from flexdesk.api.client import CustomerQuery
from flexdesk.api.models import Customer, CustomerPage, CustomerStatus, CustomerType
from flexdesk.store import ConnectionKey, Store, StoreError

log = logging.getLogger(__name__)

PAGE_SIZE = 100
CACHE_SLICE = 1000  # cached customers read per worker job: ~10 ms of parsing and inserting


class StatusScope(Enum):
    ACTIVE = "Active"
    INACTIVE = "Inactive"
    ALL = "All"


@dataclass(frozen=True)
class ListScope:
    """What the server is asked for. The API hides inactive customers unless asked."""

    status: StatusScope = StatusScope.ACTIVE
    customer_type: CustomerType | None = None
    sort_by: str = "createdAt"
    sort_order: str = "desc"

    def queries(self) -> list[CustomerQuery]:
        statuses = {
            StatusScope.ACTIVE: [CustomerStatus.ACTIVE],
            StatusScope.INACTIVE: [CustomerStatus.INACTIVE],
            StatusScope.ALL: [CustomerStatus.ACTIVE, CustomerStatus.INACTIVE],
        }[self.status]
        return [CustomerQuery(status=s, customer_type=self.customer_type, sort_by=self.sort_by,
                              sort_order=self.sort_order) for s in statuses]


@dataclass
class Position:
    """Where the next page comes from: which query of the scope, and its cursor."""

    queries: list[CustomerQuery]
    index: int = 0
    cursor: str | None = None

    @property
    def exhausted(self) -> bool:
        return self.index >= len(self.queries)

    def advance(self, page: CustomerPage) -> None:
        if page.has_more and page.next_cursor:
            self.cursor = page.next_cursor
        else:
            self.index, self.cursor = self.index + 1, None


@dataclass
class Refresh:
    """A refresh under way: pages gathered until as many rows as were shown, then swapped in."""

    wanted: int
    position: Position
    rows: list[Customer]


@dataclass(frozen=True)
class CachedSlice:
    customers: list[Customer]  # those the scope shows
    oldest: float | None  # when the oldest of them was fetched
    read_up_to: str | None  # the last customer ID read, or None: the cache is done


@dataclass(frozen=True)
class CustomerCache:
    """The customers last fetched, kept in the store so the list still opens offline."""

    store: Store
    connection: ConnectionKey
    slice_size: int = CACHE_SLICE

    def keep(self, customers: tuple[Customer, ...]) -> None:
        """Remember a page for offline use; a page that cannot be kept (a full disk) is still
        shown: the cache is a convenience, the list is not."""
        try:
            self.store.cache_customers(self.connection, customers)
        except StoreError as exc:
            log.info("a page was not cached: %s", exc)

    def load(self, scope: ListScope, *, after: str = "") -> CachedSlice:
        """The next slice of the cache (customer IDs after `after`), kept to this scope."""
        limit = self.slice_size
        read = self.store.cached_customers(self.connection, after=after, limit=limit)
        wanted = [(q.status, q.customer_type) for q in scope.queries()]
        rows = [row for row in read
                if any(row.customer.status is status
                       and kind in (None, row.customer.customer_type)
                       for status, kind in wanted)]
        return CachedSlice([row.customer for row in rows],
                           min((row.fetched_at for row in rows), default=None),
                           read[-1].customer.customer_id if len(read) == limit else None)
