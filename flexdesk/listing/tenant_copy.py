"""A copy of the whole tenant on this computer, filled and refreshed a page at a time.

The API has no text search (only an exact `email` filter), so finding anyone by name, company,
phone or city needs the tenant here. `TenantCopy.step()` fetches the next page of the current
pass and keeps it in the store together with where the pass stands (see store/cache.py), so
the work can stop at any page (offline, Ctrl+., closing the app) and go on later from there.
Blocking and Qt-free: the window runs one step at a time on a worker.

A pass reads every listing the server offers (active customers, then inactive ones: the API
hides the inactive unless asked) in the server's default order. Its pages are background work
for the client's rate limit, except the first page of a first fill, which someone is waiting
for on an empty list.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Protocol

from flexdesk.api.client import CustomerQuery
from flexdesk.api.models import Customer, CustomerPage, CustomerStatus
from flexdesk.listing.paging import PAGE_SIZE
from flexdesk.store import ConnectionKey, CopyState, Store

__all__ = ["LISTINGS", "PAGE_SIZE", "CopyStep", "PageSource", "TenantCopy"]

# Each listing of the tenant, in the order a pass reads them.
LISTINGS = (CustomerQuery(status=CustomerStatus.ACTIVE),
            CustomerQuery(status=CustomerStatus.INACTIVE))


class PageSource(Protocol):
    """What the copy needs of `FlexPortalClient`."""

    def list_customers(self, query: CustomerQuery | None = None, *, limit: int = ...,
                       start_after: str | None = ..., background: bool = ...) -> CustomerPage:
        ...


@dataclass(frozen=True)
class CopyStep:
    """What one step brought: the customers of a page, and those that left the copy (only
    when the step ended a pass: customers the pass did not meet are gone from the server)."""

    customers: tuple[Customer, ...]
    state: CopyState
    gone: tuple[str, ...] = ()
    unreadable: int = 0  # customers of the page that could not be read at all

    @property
    def done(self) -> bool:
        return self.state.complete


class TenantCopy:
    def __init__(self, store: Store, connection: ConnectionKey, source: PageSource, *,
                 max_age: float = 3600.0, page_size: int = PAGE_SIZE) -> None:
        self._store = store
        self._connection = connection
        self._source = source
        self._page_size = page_size
        self.max_age = max_age  # a complete copy older than this is refreshed at start
        # A drafts file that cannot be written keeps no copy: a pass then runs in memory,
        # so the list still shows the tenant (and is read again at the next start).
        self._in_memory: CopyState | None = CopyState() if store.read_only else None

    def state(self) -> CopyState:
        if self._in_memory is not None:
            return self._in_memory
        return self._store.copy_state(self._connection)

    def _start_pass(self) -> CopyState:
        if self._in_memory is not None:
            self._in_memory = CopyState(self._in_memory.pass_number + 1)
            return self._in_memory
        return self._store.start_pass(self._connection)

    def work_to_do(self, *, now: float | None = None) -> bool:
        """Whether a pass should run (a first fill, one to finish, or a stale copy), starting
        one when needed. The caller then steps until `CopyStep.done`."""
        state = self.state()
        if state.pass_number and not state.complete:
            return True  # interrupted: go on from where it stopped
        stale = state.completed_at is None or \
            (time.time() if now is None else now) - state.completed_at > self.max_age
        if not stale:
            return False
        self._start_pass()
        return True

    def refresh(self) -> CopyState:
        """Start a pass over the whole tenant now (F5), whatever the copy's age."""
        return self._start_pass()

    def step(self) -> CopyStep:
        """Fetch the next page of the current pass and keep it; the last one ends the pass."""
        state = self.state()
        if not state.pass_number or state.complete:
            raise RuntimeError("no pass is under way: call work_to_do() or refresh() first")
        waited_for = state.pass_number == 1 and state.fetched == 0  # an empty list waits
        page = self._source.list_customers(LISTINGS[state.listing], limit=self._page_size,
                                           start_after=state.cursor, background=not waited_for)
        if page.has_more and page.next_cursor:
            after = state.moved_on(state.listing, page.next_cursor, len(page.customers))
        else:
            after = state.moved_on(state.listing + 1, None, len(page.customers))
        done = after.listing >= len(LISTINGS)
        if self._in_memory is not None:
            self._in_memory = replace(after, complete=done, completed_at=time.time() if done
                                      else None, listing=0 if done else after.listing)
            return CopyStep(page.customers, self._in_memory, (), len(page.skipped))
        self._store.keep_page(self._connection, page.customers, after)
        if not done:
            return CopyStep(page.customers, after, unreadable=len(page.skipped))
        finished, gone = self._store.finish_pass(self._connection)
        return CopyStep(page.customers, finished, tuple(gone), len(page.skipped))
