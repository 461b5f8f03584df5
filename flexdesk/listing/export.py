"""The list as a spreadsheet: the rows it shows, as CSV (UTF-8 with a BOM, so Excel shows
accents) or Excel's .xlsx (openpyxl), chosen by the file's name.

The columns are the API's names, so a file exported here can be read back by an import:
`customerId`, every editable field in the form's order (`billingAddress.city`, ...), then the
read-only figures the list shows. Cells are text as the server sent it: a spreadsheet never
runs it as a formula (in .xlsx it is stored as text; in CSV a cell that Excel would take for
one, like `=1+1` or `+31 6 …`, starts with an apostrophe, as Excel itself writes such text).

The file appears whole or not at all: it is written beside its place and moved there at the end.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from flexdesk.api.models import Customer
from flexdesk.editing.fields import FIELD_ORDER, values_from_dump
from flexdesk.listing.columns import Column

__all__ = ["READ_ONLY", "ExportStopped", "export_headers", "export_rows", "write_export"]

# The list's read-only columns, by the API's name of what they show.
READ_ONLY: dict[Column, str] = {
    Column.REVENUE: "totalMonthlyRevenue",
    Column.DEVICES: "totalDevicesRented",
    Column.ORDERS: "totalOrders",
    Column.SUBSCRIPTIONS: "subscriptionsTracked",
    Column.LIFETIME_COLLECTED: "lifetimeCollected",
    Column.ACQUISITION_COST: "totalAcquisitionCost",
    Column.MARGIN: "customerMargin",
    Column.MARGIN_PERCENT: "customerMarginPercent",
    Column.CREATED: "createdAt",
    Column.UPDATED: "updatedAt",
    Column.CREATED_BY: "createdBy",
}
# What Excel reads as the start of a formula when it opens a CSV file.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 500  # rows between progress reports (and chances to stop)

Cell = str | float | int | None


class ExportStopped(Exception):
    """The user stopped the export; nothing was written."""


def export_headers(shown: Iterable[Column]) -> list[str]:
    """The header row, with the read-only columns among `shown` (in that order)."""
    return ["customerId", *FIELD_ORDER, *(READ_ONLY[c] for c in shown if c in READ_ONLY)]


def export_rows(customers: Iterable[Customer], shown: Sequence[Column]) -> Iterator[list[Cell]]:
    extra = [READ_ONLY[c] for c in shown if c in READ_ONLY]
    for customer in customers:
        dumped: dict[str, Any] = customer.model_dump(mode="json")
        values = values_from_dump(dumped)
        yield [customer.customer_id, *(values[path] for path in FIELD_ORDER),
               *(dumped.get(name) for name in extra)]


def write_export(path: Path, headers: list[str], rows: Iterable[list[Cell]],
                 progress: Callable[[int], bool] = lambda _done: True) -> int:
    """Write the rows to `path` (.csv or .xlsx); return how many. `progress(rows so far)`
    returning False stops it (ExportStopped), leaving nothing behind."""
    kind = path.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise ValueError("Name the file .csv (comma-separated) or .xlsx (Excel workbook).")
    partial = path.with_name(f".{path.name}.part")
    try:
        write = _write_xlsx if kind == ".xlsx" else _write_csv
        count = write(partial, headers, rows, progress)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _reported(rows: Iterable[list[Cell]], progress: Callable[[int], bool]) -> Iterator[list[Cell]]:
    done = 0
    for done, row in enumerate(rows, 1):
        if done % PROGRESS_EVERY == 0 and not progress(done):
            raise ExportStopped
        yield row
    progress(done)


def _write_csv(path: Path, headers: list[str], rows: Iterable[list[Cell]],
               progress: Callable[[int], bool]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in _reported(rows, progress):
            writer.writerow([_csv_cell(cell) for cell in row])
            count += 1
    return count


def _csv_cell(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _write_xlsx(path: Path, headers: list[str], rows: Iterable[list[Cell]],
                progress: Callable[[int], bool]) -> int:
    from openpyxl import Workbook  # only when exporting: ~60 ms of imports
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(headers)
    count = 0
    for row in _reported(rows, progress):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count
