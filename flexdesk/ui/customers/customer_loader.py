"""Fills the list from the copy of the tenant and keeps both fresh, always on a worker.

At start the copy on this computer is read back a slice at a time (the first rows show at
once, offline too). Then a pass over the server's pages runs in the background when the copy
needs one: a first fill, one interrupted earlier, or a refresh of a copy older than an hour
(F5 starts one at any time). Each page goes into the list as it comes (new customers appear,
changed ones are replaced where they stand); at the end of a pass the customers the server no
longer has leave it. One page at a time: a pass can stop at any page (Ctrl+., offline) and go
on from there, even after a restart.

The copy on this computer is read and shown before the network stack exists (issue #21): the
loader starts without a client, and `connect_client` hands it one (and the tenant copy that
pages the server) once the window has painted; the server's pass waits for that.
"""

from __future__ import annotations

import gc
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from flexdesk.api.errors import FlexPortalError, Unreachable, user_text
from flexdesk.api.kinds import CustomerStatus
from flexdesk.listing.columns import copy_order
from flexdesk.listing.paging import FIRST_SLICE, SORTED_SLICE, CachedSlice, CopyReader
from flexdesk.store import CopyState, Place, StoreClosed, StoreError
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_table import CustomerTableModel

if TYPE_CHECKING:  # httpx and pydantic: imported after the first paint
    from flexdesk.api.client import FlexPortalClient
    from flexdesk.api.models import Customer
    from flexdesk.listing.tenant_copy import CopyStep, TenantCopy

log = logging.getLogger(__name__)


class CustomerLoader(QObject):
    changed = Signal()  # rows arrived, a pass started, stopped or ended, or an error: re-read
    email_looked_up = Signal(str, object)  # (email, Customer or None: Qt has no Optional)
    unreachable = Signal(str)  # the server did not answer at all: the app is offline

    def __init__(self, client: FlexPortalClient | None, jobs: JobRunner,
                 model: CustomerTableModel, parent: QObject | None = None, *,
                 copy: TenantCopy | None, reader: CopyReader) -> None:
        super().__init__(parent)
        self._client = client
        self._jobs = jobs
        self._model = model
        self._copy = copy
        self._reader = reader
        self.cache_read = False  # the copy on this computer is in the list
        # Without a sorted column the list keeps the server's order, however rows come in.
        model.keep_in_order(copy_order)
        self.reading_cache = False
        self.cached_since: datetime | None = None  # the oldest row read from the copy
        self.stepping = False  # a page of a pass is on its way
        self.stopped = False  # the user stopped the pass (it goes on with F5 or a restart)
        self.progress: tuple[int, int | None] | None = None  # (fetched, ~total) while a pass
        self.up_to_date: datetime | None = None  # when the last pass ended
        self.error: str | None = None
        self.offline = False  # the last call to the server found none (`unreachable` said so)
        self.last_loaded: datetime | None = None
        self.unreadable = 0  # customers the server sent that could not be read at all
        self._refresh_wanted = False
        self._peeked = False  # the newest page was asked for at start (see `_peek`)

    # -- what the window asks --------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self.reading_cache or self.stepping

    @property
    def stoppable(self) -> bool:
        return self.progress is not None and not self.stopped

    @property
    def complete(self) -> bool:
        """The copy holds the whole tenant (a pass ended, and none is under way)."""
        return self.progress is None and self.up_to_date is not None

    @property
    def connected(self) -> bool:
        return self._client is not None

    def start(self) -> None:
        """Show the copy on this computer, then bring it up to date from the server (once
        `connect_client` has given the loader one)."""
        state = self._copy.state() if self._copy is not None else self._stored_state()
        if state.completed_at is not None:
            self.up_to_date = datetime.fromtimestamp(state.completed_at).astimezone()
        self._read_cache()

    def connect_client(self, client: FlexPortalClient, copy: TenantCopy) -> None:
        """The server, after the first paint: the pass waits for it (if the copy is read)."""
        self._client, self._copy = client, copy
        if self.cache_read:
            self._next_step()

    def _stored_state(self) -> CopyState:
        # A read-only drafts file keeps no copy: its pass starts afresh in memory.
        store = self._reader.store
        return CopyState() if store.read_only else store.copy_state(self._reader.connection)

    def refresh(self) -> None:
        """F5: a pass over the whole tenant now; pages replace the rows they hold. A pass
        that was stopped goes on instead (the copy is not complete: finish it first)."""
        if self.stopped and self.progress is not None:
            self.go_on()
            return
        self.stopped = False
        if self.stepping:
            self._refresh_wanted = True  # the page on its way belongs to the pass before
            return
        if self._copy is None:
            return  # not connected yet: the pass starts when it is
        self._copy.refresh()
        if not self.reading_cache:  # otherwise the pass starts once the copy is read
            self._next_step()

    def stop(self) -> None:
        """Ctrl+.: no next page; the pass goes on from here with F5 or at the next start."""
        self.stopped = True
        self.changed.emit()

    def go_on(self) -> None:
        """F5 after a stop, or Return on a search that found nothing: the pass goes on."""
        self.stopped = False
        self.resume()

    def resume(self) -> None:
        """Back online, or Retry: go on with the pass where it stopped."""
        if self.reading_cache or self.stepping or self.stopped:
            return
        self.error = None
        self.offline = False
        self._next_step()

    def lookup_email(self, email: str) -> None:
        """A customer not in the copy yet may still be found by their email, on the server."""
        address = email.strip()
        client = self._client
        if client is None:
            return  # looked up once typed again: the server is there a moment after start
        from flexdesk.api.client import CustomerQuery

        def find() -> Customer | None:
            for status in (CustomerStatus.ACTIVE, CustomerStatus.INACTIVE):
                page = client.list_customers(CustomerQuery(email=address, status=status),
                                             limit=1)
                if page.customers:
                    return page.customers[0]
            return None

        # Its failure is told like a page's, but no page was on its way: `stepping` stays.
        self._jobs.submit("email lookup", find, lambda found: self._email_found(address, found),
                          self._report)

    # -- the copy on this computer ---------------------------------------------------------

    def _read_cache(self, after: Place | None = None) -> None:
        self.reading_cache = True
        self.changed.emit()
        reader = self._reader
        # The first slice fills the screen, quickly; the next ones are bigger.
        limit = min(FIRST_SLICE, self._reader.slice_size) if after is None else \
            SORTED_SLICE if self._model.sorted_by_column else None
        self._jobs.submit("cached customers", lambda: reader.load(after=after, limit=limit),
                          self._cache_arrived, self._cache_failed)

    def _cache_arrived(self, part: CachedSlice) -> None:
        if part.customers:
            self._model.append(part.customers)
            gc.freeze()  # these live as long as the list: keep the collector off them
        if part.oldest is not None:
            fetched = datetime.fromtimestamp(part.oldest).astimezone()
            self.cached_since = min(self.cached_since or fetched, fetched)
        if part.read_up_to is not None:
            # Once the rows just added are painted: a worker parsing the next slice would
            # make the painting wait for the GIL at every call into Python.
            after = part.read_up_to
            QTimer.singleShot(0, self, lambda: self._read_cache(after))
            return
        self.reading_cache = False
        self.cache_read = True
        self._next_step()

    def _cache_failed(self, exc: Exception) -> None:
        log.error("reading the customer copy failed", exc_info=exc)
        self.reading_cache = False
        self.error = f"The customers kept on this computer could not be read: {user_text(exc)}"
        self.cache_read = True
        self._next_step()

    # -- passes over the server's pages ----------------------------------------------------

    def _next_step(self) -> None:
        if self.stepping:
            return  # one page at a time: the one on its way calls this again when it lands
        if self._copy is None:
            self.changed.emit()  # the copy is shown; the server comes once connected
            return
        try:
            if self.stopped:  # where the pass stands, without going on (or starting one)
                state = self._copy.state()
                pending = bool(state.pass_number) and not state.complete
            else:
                pending = self._copy.work_to_do()
                state = self._copy.state()
        except StoreError as exc:
            self._failed(exc)
            return
        self.progress = (state.fetched, state.last_total) if pending else None
        if not pending and not self._peeked and not self.stopped:
            # (Stopped: the user said so, or the window closed before the copy was read.)
            self._peek()
            return
        if not pending or self.stopped:
            self.changed.emit()
            return
        self.stepping = True
        self.changed.emit()
        self._jobs.submit("customer page", self._copy.step, self._step_arrived, self._failed)

    def _peek(self) -> None:
        """A copy fresh enough needs no pass, but the newest customers (the first page) are
        asked for anyway: they show at once, and an answer, or none, says whether the server
        is there (otherwise only a save would find out that the app is offline)."""
        client = self._client
        assert client is not None  # connected along with the copy
        self.stepping = True
        self.changed.emit()
        self._jobs.submit("newest customers", lambda: client.list_customers(limit=100),
                          lambda page: self._peeked_at(page.customers), self._failed)

    def _peeked_at(self, customers: tuple[Customer, ...]) -> None:
        self.stepping = False
        self._peeked = True  # (one that failed is tried again when the server is back)
        self.cached_since = None  # the server answered: the copy is its, fresh enough
        self.error = None
        self.offline = False
        self.last_loaded = datetime.now().astimezone()
        self._model.append(customers)
        self.changed.emit()

    def _step_arrived(self, step: CopyStep) -> None:
        self.stepping = False
        self._peeked = True  # a pass has been at the server: nothing left to peek at
        self.error = None
        self.offline = False
        self.last_loaded = datetime.now().astimezone()
        self.unreadable += step.unreadable
        self._model.append(step.customers)
        if step.gone:
            self._model.remove(step.gone)
        gc.freeze()
        if step.done:
            self.cached_since = None  # every row is as the server has it now
            self.up_to_date = self.last_loaded
        if self._refresh_wanted and self._copy is not None:
            self._refresh_wanted = False
            self._copy.refresh()
        self._next_step()

    def _failed(self, exc: Exception) -> None:
        self.stepping = False
        self._report(exc)

    def _report(self, exc: Exception) -> None:
        if isinstance(exc, StoreClosed):
            return  # the window is going away: nothing to say
        self.error = user_text(exc)
        log.warning("loading customers failed: %s", self.error,
                    exc_info=not isinstance(exc, FlexPortalError | StoreError))
        self.offline = isinstance(exc, Unreachable)
        if self.offline:
            self.unreachable.emit(self.error)  # the pass waits until the server answers
        self.changed.emit()

    def _email_found(self, email: str, found: Customer | None) -> None:
        if found is not None:
            self._model.append([found])
        self.email_looked_up.emit(email, found)
