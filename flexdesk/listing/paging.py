"""What the list shows of the copy of the tenant, without Qt: the scope the user filtered by,
and the copy read back in slices (a cache of 100,000 takes seconds to parse: a slice at a
time keeps the window responsive, and the first rows show at once). The copy is read as plain
rows (`flexdesk.api.rows`), without pydantic: the first of them are painted before the network
stack is imported.

`flexdesk.ui.customers.customer_loader` runs these on worker threads and feeds the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from flexdesk.api.kinds import CustomerStatus, CustomerType
from flexdesk.api.rows import CustomerRow
from flexdesk.listing.columns import scope_mark
from flexdesk.store import ConnectionKey, Place, Store, place_of

__all__ = ["CACHE_SLICE", "FIRST_SLICE", "PAGE_SIZE", "SORTED_SLICE", "CachedSlice",
           "CopyReader", "ListScope", "StatusScope"]

PAGE_SIZE = 100  # customers per page of the server's listing (a pass over the tenant)
CACHE_SLICE = 1000  # cached customers read per worker job: ~10 ms of parsing and inserting
# The first slice of a start only has to fill the screen: 100 are read and parsed in ~6 ms
# where 1,000 take ~35 ms, all of it before the first rows can be painted.
FIRST_SLICE = 100
# Into a list sorted by a column, each customer of a slice lands somewhere else: ~0.1 ms each
# at 100,000 rows, so smaller slices keep every one of them well under a frame.
SORTED_SLICE = 200


class StatusScope(Enum):
    ACTIVE = "Active"
    INACTIVE = "Inactive"
    ALL = "All"


_STATUSES = {
    StatusScope.ACTIVE: (CustomerStatus.ACTIVE,),
    StatusScope.INACTIVE: (CustomerStatus.INACTIVE,),
    StatusScope.ALL: tuple(CustomerStatus),
}


@dataclass(frozen=True)
class ListScope:
    """Which customers the list shows: by status (active ones unless asked, as the API's own
    listing) and by type. The whole tenant is here: a scope filters, it asks no server."""

    status: StatusScope = StatusScope.ACTIVE
    customer_type: CustomerType | None = None

    def marks(self) -> frozenset[str] | None:
        """The scope marks of the customers it shows (see `columns.scope_mark`); None: all."""
        if self.status is StatusScope.ALL and self.customer_type is None:
            return None
        kinds = tuple(CustomerType) if self.customer_type is None else (self.customer_type,)
        return frozenset(scope_mark(status, kind) for status in _STATUSES[self.status]
                         for kind in kinds)


@dataclass(frozen=True)
class CachedSlice:
    customers: list[CustomerRow]
    oldest: float | None  # when the oldest of them was fetched
    read_up_to: Place | None  # where the next slice starts, or None: the copy is done


@dataclass(frozen=True)
class CopyReader:
    """Reads the copy of the tenant back from the store, a slice at a time."""

    store: Store
    connection: ConnectionKey
    slice_size: int = CACHE_SLICE

    def load(self, *, after: Place | None = None, limit: int | None = None) -> CachedSlice:
        """The next slice of the copy (`limit` customers, or `slice_size`), in its order,
        after the place `after`."""
        limit = limit or self.slice_size
        read = self.store.cached_rows(self.connection, after=after, limit=limit)
        return CachedSlice([row for row, _ in read],
                           min((fetched_at for _, fetched_at in read), default=None),
                           place_of(read[-1][0]) if len(read) == limit else None)
