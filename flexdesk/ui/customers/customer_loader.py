"""Pages customers from the server into the list model, always on a worker thread.

Every request carries a generation number: answers to a request made before the filters
changed (or before a refresh) are dropped, so a slow old page never lands in a new list.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.api.errors import FlexPortalError, Unreachable, user_text
from flexdesk.api.models import Customer, CustomerPage, CustomerStatus
from flexdesk.listing.columns import SERVER_ORDER
from flexdesk.listing.paging import (
    PAGE_SIZE,
    CachedSlice,
    CustomerCache,
    ListScope,
    Position,
    Refresh,
)
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_table import CustomerTableModel

log = logging.getLogger(__name__)



class CustomerLoader(QObject):
    changed = Signal()  # loading started or stopped, rows arrived, or an error: re-read state
    refreshed = Signal()  # a refresh replaced the rows: the view restores selection and scroll
    email_looked_up = Signal(str, object)  # (email, Customer or None: Qt has no Optional)
    unreachable = Signal(str)  # the server did not answer at all: the app is offline

    def __init__(self, client: FlexPortalClient, jobs: JobRunner, model: CustomerTableModel,
                 parent: QObject | None = None, *, cache: CustomerCache | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._cache = cache
        self.cached_since: datetime | None = None  # set while the list shows the cache
        self.reading_cache = False
        self._jobs = jobs
        self._model = model
        self._scope = ListScope()
        self._position = Position(self._scope.queries())
        self._generation = 0
        self.loading = False
        self.loading_all = False
        self._refresh: Refresh | None = None
        self._ordered_cache = False  # the model keeps the server's order for cached rows
        self.error: str | None = None
        self.last_loaded: datetime | None = None
        # Customers the server sent that could not be read at all (the rest of their page was).
        self.unreadable = 0
        model.more_requested.connect(self.fetch_more)

    @property
    def scope(self) -> ListScope:
        return self._scope

    @property
    def more_on_server(self) -> bool:
        return not self._position.exhausted

    @property
    def refreshing(self) -> tuple[int, int] | None:
        """(rows fetched again so far, rows wanted) while a refresh is under way."""
        refresh = self._refresh
        return (len(refresh.rows), refresh.wanted) if refresh is not None else None

    @property
    def stoppable(self) -> bool:
        return self.loading_all or self._refresh is not None

    def reload(self, scope: ListScope | None = None) -> None:
        """Start over from the first page (of a new scope, if given)."""
        self._scope = scope or self._scope
        self._generation += 1  # whatever is in flight now will be dropped on arrival
        self.reading_cache = False
        self._refresh = None
        self._position = Position(self._scope.queries())
        self.loading = self.loading_all = False
        self.unreadable = 0
        self._model.reset_to([])
        self._forget_cache_order()
        self._sync_paging()
        self.fetch_more()

    def fetch_more(self) -> None:
        if self.loading or self._position.exhausted:
            if self._position.exhausted and self.loading_all:
                self.loading_all = False
                self.changed.emit()
            self._sync_paging()
            return
        self._set_loading(True)
        self._request_page("customer page", self._position, self._page_arrived)

    def load_all(self) -> None:
        self.loading_all = True
        self.fetch_more()

    def stop_loading_all(self) -> None:
        """Stop loading every page, or a refresh (whose rows then stay as they were)."""
        self.loading_all = False
        if self._refresh is not None:
            self._generation += 1  # the page in flight is dropped when it comes
            self._refresh = None
            self._set_loading(False)
            return
        self.changed.emit()

    def reload_if_cached(self) -> None:
        """Back online: the server's rows replace the cached ones (or the reading of them)."""
        if self.reading_cache or (self.cached_since is not None and not self.loading):
            self.reload()

    def refresh(self) -> None:
        """Fetch again as many rows as are shown, a page at a time, then swap them in at once.

        Until the swap the old rows stay; a refresh of a long list shows its progress and can
        be stopped (`stop_loading_all`).
        """
        self._generation += 1
        self.reading_cache = False
        self.loading_all = False
        self._refresh = Refresh(max(self._model.rowCount(), PAGE_SIZE),
                                 Position(self._scope.queries()), [])
        self._set_loading(True)
        self._request_page("refresh", self._refresh.position, self._refresh_page_arrived)

    def lookup_email(self, email: str) -> None:
        address = email.strip()

        def find() -> Customer | None:
            for status in (CustomerStatus.ACTIVE, CustomerStatus.INACTIVE):
                page = self._client.list_customers(CustomerQuery(email=address, status=status),
                                                   limit=1)
                if page.customers:
                    return page.customers[0]
            return None

        self._jobs.submit("email lookup", find, lambda found: self._email_found(address, found),
                          lambda exc: self._page_failed(self._generation, exc))

    # -- results, on the GUI thread --------------------------------------------------------

    def _request_page(self, name: str, position: Position,
                      arrived: Callable[[int, CustomerPage], None]) -> None:
        """Fetch the page `position` points at on a worker; `arrived(generation, page)` then
        runs on the GUI thread, and drops the page if the generation has moved on."""
        query, cursor = position.queries[position.index], position.cursor
        generation = self._generation
        self._jobs.submit(name, lambda: self._fetch_page(query, cursor),
                          lambda page: arrived(generation, page),
                          lambda exc: self._page_failed(generation, exc))

    def _fetch_page(self, query: CustomerQuery, cursor: str | None) -> CustomerPage:
        """Worker side: one page, kept in the cache for the next offline start."""
        page = self._client.list_customers(query, limit=PAGE_SIZE, start_after=cursor)
        if self._cache is not None:
            self._cache.keep(page.customers)
        return page

    def _page_arrived(self, generation: int, page: CustomerPage) -> None:
        if generation != self._generation:
            return
        if self.cached_since is not None:  # back online: the cached rows make way
            self.cached_since = None
            self._model.reset_to([])
            self._forget_cache_order()
        self._position.advance(page)
        self.error = None
        self.last_loaded = datetime.now().astimezone()
        self.unreadable += len(page.skipped)
        self._model.append(page.customers)
        # Customers live as long as the list: keep the collector from walking all of them
        # again and again (half a second per full pass at 100,000, a visible freeze).
        gc.freeze()
        self._set_loading(False)
        if self.loading_all and not self._position.exhausted:
            self.fetch_more()
        elif self._position.exhausted:
            self.loading_all = False
            self.changed.emit()

    def _refresh_page_arrived(self, generation: int, page: CustomerPage) -> None:
        refresh = self._refresh
        if generation != self._generation or refresh is None:
            return
        refresh.rows.extend(self._unchanged_as_shown(page.customers))
        refresh.position.advance(page)
        if len(refresh.rows) < refresh.wanted and not refresh.position.exhausted:
            self.changed.emit()  # progress
            self._request_page("refresh", refresh.position, self._refresh_page_arrived)
            return
        self._refresh = None
        self._position = refresh.position
        self.error = None
        self.cached_since = None
        self.last_loaded = datetime.now().astimezone()
        self._model.reset_to(refresh.rows)
        gc.freeze()
        self._set_loading(False)
        self.refreshed.emit()
        if self.loading_all:  # asked for while the refresh ran
            self.fetch_more()

    def _unchanged_as_shown(self, customers: tuple[Customer, ...]) -> list[Customer]:
        """The customers, each unchanged one replaced by the object the list already holds.

        Until the swap a refresh holds the old rows and the new: without this, a refresh of
        100,000 would hold two copies of each (+265 MB) while it runs.
        """
        model = self._model
        kept: list[Customer] = []
        for customer in customers:
            row = model.row_of(customer.customer_id)
            shown = model.customer_at(row) if row is not None else None
            kept.append(shown if shown == customer else customer)
        return kept

    def _page_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._refresh = None  # a failed refresh leaves the rows as they were
        self.error = user_text(exc)
        log.warning("loading customers failed: %s", self.error, exc_info=not isinstance(
            exc, FlexPortalError))
        self.loading_all = False
        if isinstance(exc, Unreachable):
            self.unreachable.emit(self.error)
            if self._cache is not None and not self._model.rowCount():
                self._read_cache(generation)
                return  # still loading, from the cache now
        self._set_loading(False)

    def _read_cache(self, generation: int, after: str = "") -> None:
        """Offline with an empty list: show what was fetched last time, a slice per job.

        Parsing a cache of 100,000 takes seconds; a slice at a time, on a worker, keeps the
        window responsive and shows the first rows at once.
        """
        if generation != self._generation:
            return  # a reload or refresh came first
        cache, scope = self._cache, self._scope
        assert cache is not None
        if not after and not self._model.sorted:
            # The cache is read by customer ID; unless the user sorted by a column, show it
            # in the order the server gives, as the list is online.
            self._model.keep_in_order(SERVER_ORDER[scope.sort_by],
                                      descending=scope.sort_order == "desc")
            self._ordered_cache = True
        self.reading_cache = True
        self._set_loading(True)
        self._jobs.submit("cached customers", lambda: cache.load(scope, after=after),
                          lambda part: self._cache_arrived(generation, part),
                          lambda exc: self._cache_failed(generation, exc))

    def _cache_arrived(self, generation: int, part: CachedSlice) -> None:
        if generation != self._generation:
            return
        if part.customers:
            self._model.append(part.customers)
            gc.freeze()  # as for pages: these live as long as the list
        if part.oldest is not None:
            fetched = datetime.fromtimestamp(part.oldest).astimezone()
            self.cached_since = min(self.cached_since or fetched, fetched)
        if part.read_up_to is not None:
            # Once the rows just added are painted: a worker parsing the next slice would
            # make the painting wait for the GIL at every call into Python.
            after = part.read_up_to
            QTimer.singleShot(0, self, lambda: self._read_cache(generation, after))
            return
        self.reading_cache = False
        self._set_loading(False)

    def _cache_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        log.error("reading the customer cache failed: %r", exc)
        self.reading_cache = False
        self._set_loading(False)

    def _email_found(self, email: str, found: Customer | None) -> None:
        if isinstance(found, Customer):
            self._model.append([found])
        self.email_looked_up.emit(email, found)

    # -- helpers -------------------------------------------------------------------------

    def _forget_cache_order(self) -> None:
        """Pages from the server come in its order already: append them as they come."""
        if self._ordered_cache and self._model.rowCount() == 0:
            self._model.keep_in_order(None)
            self._ordered_cache = False

    def _set_loading(self, loading: bool) -> None:
        self.loading = loading
        self._sync_paging()
        self.changed.emit()

    def _sync_paging(self) -> None:
        self._model.set_paging(more_on_server=not self._position.exhausted, fetching=self.loading)
