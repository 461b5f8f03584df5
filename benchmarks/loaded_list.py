"""The customer list widget of the app, shown at 1200x800 with every customer loaded.

Search and scrolling are measured on the real `CustomerList` (model, filter proxy and the table
configured as the app configures it: hidden row header, alternating rows, sorting enabled),
not on a bare QTableView, because that configuration is part of what costs time.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.customers import load_customers
from benchmarks.qt import application
from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_list import CustomerList
from flexdesk.ui.customers.customer_loader import CustomerLoader
from flexdesk.ui.customers.customer_table import CustomerTableModel

WIDTH, HEIGHT = 1200, 800
# The list needs a loader, but with every row given up front it never asks for a page (the
# model says nothing is left on the server), so its client points at a port nobody serves.
_UNUSED_SERVER = "http://127.0.0.1:9"


@dataclass
class LoadedList:
    widget: CustomerList
    model: CustomerTableModel
    client: FlexPortalClient
    jobs: JobRunner

    def close(self) -> None:
        self.widget.close()
        self.jobs.wait_for_done()
        self.client.close()
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
    loader = CustomerLoader(client, jobs, model)
    widget = CustomerList(model, loader)
    loader.setParent(widget)
    model.setParent(widget)
    model.reset_to(customers)
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    app.processEvents()  # first layout and paint, outside every measurement
    return LoadedList(widget, model, client, jobs)


def close_all() -> None:
    while _cache:
        _cache.popitem()[1].close()
