"""The list as a file: what a spreadsheet shows of it, and that nothing half-written remains."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flexdesk.api.models import Customer
from flexdesk.listing.columns import Column
from flexdesk.listing.export import ExportStopped, export_headers, export_rows, write_export
from tests.factories import make_customer

SHOWN = [Column.NAME, Column.CITY, Column.REVENUE, Column.UPDATED]


def customers() -> list[Customer]:
    return [make_customer(1, lastName="Müller", company="=HYPERLINK(\"http://x\")",
                          phone="+31 6 1234 5678"),
            make_customer(2, company="Straße & Co")]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as opened:
        return list(csv.DictReader(opened))


def test_csv_is_excel_readable_utf8_with_the_api_names(tmp_path: Path) -> None:
    target = tmp_path / "customers.csv"
    count = write_export(target, export_headers(SHOWN), export_rows(customers(), SHOWN))
    assert count == 2
    assert target.read_bytes().startswith(b"\xef\xbb\xbf"), "a BOM: Excel then reads UTF-8"
    first, second = read_csv(target)
    assert list(first)[:4] == ["customerId", "firstName", "lastName", "email"]
    assert list(first)[-2:] == ["totalMonthlyRevenue", "updatedAt"]
    assert first["lastName"] == "Müller" and first["billingAddress.city"] == "City1"
    assert second["company"] == "Straße & Co"
    assert first["totalMonthlyRevenue"] == "10.5"
    # Never a formula in Excel: text Excel would evaluate starts with an apostrophe.
    assert first["company"] == "'=HYPERLINK(\"http://x\")"
    assert first["phone"] == "'+31 6 1234 5678"


def test_xlsx_keeps_text_as_text_and_figures_as_numbers(tmp_path: Path) -> None:
    target = tmp_path / "customers.xlsx"
    write_export(target, export_headers(SHOWN), export_rows(customers(), SHOWN))
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    company = sheet.cell(row=2, column=headers.index("company") + 1)
    assert company.value == "=HYPERLINK(\"http://x\")" and company.data_type == "s"
    assert rows[1][headers.index("phone")] == "+31 6 1234 5678"
    assert rows[1][headers.index("totalMonthlyRevenue")] == 10.5


def test_a_stopped_export_and_a_wrong_name_leave_nothing_behind(tmp_path: Path) -> None:
    many = [make_customer(i) for i in range(1200)]
    target = tmp_path / "all.csv"
    with pytest.raises(ExportStopped):
        write_export(target, export_headers([]), export_rows(many, []),
                     progress=lambda done: done < 1000)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match=r"\.csv .* or \.xlsx"):
        write_export(tmp_path / "all.txt", export_headers([]), export_rows(many, []))
    assert list(tmp_path.iterdir()) == []
