"""A spreadsheet file as rows of text: what an export wrote, or what people make by hand.

CSV comes from many places: flexdesk's own export (comma, UTF-8 with a BOM), Excel in Germany
or France (semicolon; "CSV UTF-8" with a BOM, plain "CSV" in the Windows code page), tools
that write tabs. The separator is the one that splits the header row into the most columns,
which is decided on the header alone, where no value can mislead it. `.xlsx` is read with
openpyxl (its first sheet, values rather than formulas).

Cells come back as text exactly as the file has them, except one thing undone: a text cell
that a spreadsheet would take for a formula is written with an apostrophe in front (`'=1+1`,
`'+49 30 …`), as Excel does and as the export does; the apostrophe is not part of the value.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

__all__ = ["SEPARATORS", "Sheet", "UnreadableFile", "read_sheet", "unescaped"]

SEPARATORS = (",", ";", "\t")
_BOM = b"\xef\xbb\xbf"
# What a formula starts with; an apostrophe before one of these only kept it from running.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_BYTES = 200 * 1024 * 1024  # far beyond any export of a tenant: a wrong file, not a list


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why, for the user."""


@dataclass(frozen=True)
class Sheet:
    """The header row and the rows under it, each as long as the header. `first_line` is
    the file's row number of `rows[0]` (the header is row 1), for messages."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    first_line: int = 2


def unescaped(cell: str) -> str:
    """The value of a cell written with an apostrophe to keep a spreadsheet from running it."""
    if cell.startswith("'") and cell[1:2] and cell[1:].startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell


def read_sheet(path: Path) -> Sheet:
    """The table in `path` (.csv, .tsv, .txt or .xlsx); raises UnreadableFile."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise UnreadableFile(f"{path.name} is larger than any list of customers "
                                 f"({path.stat().st_size / 1e6:,.0f} MB): is it the right file?")
        xlsx = path.suffix.lower() == ".xlsx"
        table = _xlsx_rows(path) if xlsx else _csv_rows(path.read_bytes())
    except OSError as exc:
        raise UnreadableFile(f"{path.name} cannot be read: {exc.strerror or exc}") from exc
    return _sheet(path.name, table)


def _sheet(name: str, table: list[list[str]]) -> Sheet:
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table or not any(cell.strip() for cell in table[0]):
        raise UnreadableFile(f"{name} has no header row: the first row names the columns "
                             "(customerId, email, phone, …).")
    headers = tuple(cell.strip() for cell in table[0])
    width = len(headers)
    rows = tuple(tuple(unescaped(cell) for cell in (row + [""] * width)[:width])
                 for row in table[1:])
    return Sheet(headers, rows)


def _decoded(data: bytes) -> str:
    if data.startswith(_BOM):
        return data[len(_BOM):].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Western European Windows: the code page, not UTF-8.
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> list[list[str]]:
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile("This is an Excel workbook saved under another name: "
                             "name it .xlsx, or save it from Excel as CSV.")
    text = _decoded(data)
    header = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=lambda sep: len(next(csv.reader([header], delimiter=sep))))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise UnreadableFile(f"The file is not a valid CSV file: {exc}") from exc


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # only when importing: ~60 ms of imports
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError) as exc:
        raise UnreadableFile(f"{path.name} is not an Excel workbook (.xlsx) that can be "
                             "read: open it in Excel and save it again, or save it as CSV.") \
            from exc
    try:
        sheet = book.worksheets[0]
        return [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: object) -> str:
    """A cell's value as the text a person sees (a postal code typed as 1010 is "1010")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
