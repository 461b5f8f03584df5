"""Pages arriving into a list the user sorted by a column the server cannot sort by.

The real list widget holds 100,000 customers sorted by city (a local sort: the API sorts only
by name, email, revenue and devices); pages of 100 then arrive as they do while loading all,
each followed by the event loop and a repaint. Each page's customers must land in order, so
this is the costly case of `CustomerTableModel.append`. The baseline is the same pages
arriving into the same list with no column sorted (kept in the copy's order), measured in the
same run.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from benchmarks.config import Config
from benchmarks.customers import load_customers
from benchmarks.loaded_list import list_of
from benchmarks.qt import application
from benchmarks.report import Row, median, ms
from flexdesk.api.models import Customer
from flexdesk.listing.columns import Column
from flexdesk.listing.paging import PAGE_SIZE

TARGET = 0.050
PAGES = 10


def _per_page(base: list[Customer], pages: list[list[Customer]], *, by_city: bool) -> list[float]:
    app = application()
    shown = list_of(base)
    try:
        if by_city:
            shown.widget.table.sortByColumn(Column.CITY, Qt.SortOrder.AscendingOrder)
            app.processEvents()
        viewport = shown.widget.table.viewport()
        times: list[float] = []
        for page in pages:
            started = time.perf_counter()
            shown.model.append(page)
            app.processEvents()
            viewport.repaint()
            times.append(time.perf_counter() - started)
        return times
    finally:
        shown.close()


def run(config: Config) -> list[Row]:
    customers = load_customers(config.customers, seed=config.seed)
    base = customers[: config.customers - PAGES * PAGE_SIZE]
    rest = customers[len(base):]
    pages = [rest[i:i + PAGE_SIZE] for i in range(0, len(rest), PAGE_SIZE)]
    unsorted = _per_page(base, pages, by_city=False)
    by_city = _per_page(base, pages, by_city=True)
    page = median(by_city)
    return [Row(
        f"a page of {PAGE_SIZE} arriving into {len(base):,} customers sorted by city (a local "
        f"sort), with the event loop and a repaint; median of {PAGES} pages",
        f"the same pages, no column sorted: {ms(median(unsorted))}",
        f"median {ms(page)}, worst {ms(max(by_city))}",
        ms(page),
        f"<= {ms(TARGET)}",
        page <= TARGET,
    )]
