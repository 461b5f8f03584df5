"""The customer list widget of the app, shown at 1200x800 with every customer loaded.

Search and scrolling are measured on the real `CustomerList` (model, filter proxy and the table
configured as the app configures it: hidden row header, alternating rows, sorting enabled),
not on a bare QTableView, because that configuration is part of what costs time.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.customers import load_customers
from benchmarks.qt import application
from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.listing.paging import CopyReader
from flexdesk.listing.tenant_copy import TenantCopy
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_list import CustomerList
from flexdesk.ui.customers.customer_loader import CustomerLoader
from flexdesk.ui.customers.customer_table import CustomerTableModel

WIDTH, HEIGHT = 1200, 800
# The list needs a loader, but with every row given up front it is never started, so its
# client points at a port nobody serves and its copy of the tenant is an empty store.
_UNUSED_SERVER = "http://127.0.0.1:9"


@dataclass
class LoadedList:
    widget: CustomerList
    model: CustomerTableModel
    client: FlexPortalClient
    jobs: JobRunner
    store: Store
    folder: tempfile.TemporaryDirectory[str]

    def close(self) -> None:
        self.widget.close()
        self.jobs.wait_for_done()
        self.client.close()
        self.store.close()
        self.folder.cleanup()
        self.widget.deleteLater()
        self.jobs.deleteLater()
        application().processEvents()


_cache: dict[tuple[int, int], LoadedList] = {}


def loaded_list(count: int, seed: int) -> LoadedList:
    """Made once per size: building 100,000 customers takes several seconds."""
    key = (count, seed)
    if key not in _cache:
        _cache[key] = _build(count, seed)
    return _cache[key]


def _build(count: int, seed: int) -> LoadedList:
    return list_of(load_customers(count, seed=seed))


def list_of(customers: list[Customer]) -> LoadedList:
    """A new list widget holding `customers`, shown and painted once (the caller closes it)."""
    app = application()
    client = FlexPortalClient(_UNUSED_SERVER, "sandbox", "sandbox")
    jobs = JobRunner()
    model = CustomerTableModel()
    folder = tempfile.TemporaryDirectory(prefix="flexdesk-bench-")
    store = Store.open(Path(folder.name) / "flexdesk.sqlite3")
    key = ConnectionKey(_UNUSED_SERVER, "sandbox")
    loader = CustomerLoader(client, jobs, model, copy=TenantCopy(store, key, client),
                            reader=CopyReader(store, key))
    widget = CustomerList(model, loader)
    loader.setParent(widget)
    model.setParent(widget)
    model.reset_to(customers)
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    app.processEvents()  # first layout and paint, outside every measurement
    return LoadedList(widget, model, client, jobs, store, folder)


def close_all() -> None:
    while _cache:
        _cache.popitem()[1].close()
