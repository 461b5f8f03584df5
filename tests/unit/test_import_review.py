"""Reading a file of changes and reviewing it row by row: what would be sent, and why not."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from flexdesk.api.models import Customer
from flexdesk.listing.columns import Column
from flexdesk.listing.export import export_headers, export_rows, write_export
from flexdesk.listing.import_columns import ImportRefused, map_columns
from flexdesk.listing.import_review import HAS_DRAFT, ImportReview, RowState, review_sheet
from flexdesk.listing.sheet_reading import Sheet, UnreadableFile, read_sheet
from tests.factories import make_customer

CUSTOMERS = {c.customer_id: c for c in (make_customer(n) for n in range(1, 6))}


def by_id(key: str) -> Customer | None:
    return CUSTOMERS.get(key)


def by_email(key: str) -> Customer | None:
    return next((c for c in CUSTOMERS.values() if c.email.casefold() == key.casefold()), None)


def review(sheet: Sheet, **kwargs: object) -> ImportReview:
    columns = map_columns(sheet.headers)
    find = by_id if columns.key == "customerId" else by_email
    return review_sheet(sheet, "changes.csv", columns, find, **kwargs)  # type: ignore[arg-type]


def sheet(*rows: tuple[str, ...]) -> Sheet:
    return Sheet(rows[0], rows[1:])


def test_a_german_excel_csv_semicolons_bom_and_code_page_reads_as_text(tmp_path: Path) -> None:
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes("\ufeffcustomerId;Phone;billingAddress.city\r\n"
                     "cust_0001;'+49 30 1234;Köln\r\n".encode())
    ansi = tmp_path / "ansi.csv"
    ansi.write_bytes("customerId;Phone;billingAddress.city\r\ncust_0001;030;Köln\r\n"
                     .encode("cp1252"))
    tabs = tmp_path / "tabs.txt"
    tabs.write_text("customerId\tphone\ncust_0001\t+1 555, ext. 3\n", encoding="utf-8")
    assert read_sheet(utf8) == Sheet(("customerId", "Phone", "billingAddress.city"),
                                     (("cust_0001", "+49 30 1234", "Köln"),))
    assert read_sheet(ansi).rows == (("cust_0001", "030", "Köln"),)
    assert read_sheet(tabs).rows == (("cust_0001", "+1 555, ext. 3"),)


def test_what_the_export_writes_reads_back_unchanged(tmp_path: Path) -> None:
    customers = [make_customer(1, company="=SUM(A1)", phone="+31 6 1"), make_customer(2)]
    shown = [Column.REVENUE]
    for name in ("back.csv", "back.xlsx"):
        target = tmp_path / name
        write_export(target, export_headers(shown), export_rows(customers, shown))
        read = read_sheet(target)
        assert read.headers == tuple(export_headers(shown))
        assert read.rows[0][:6] == ("cust_0001", "First1", "Last1", "person1@example.com",
                                    "+31 6 1", "=SUM(A1)")
        found = review_sheet(read, name, map_columns(read.headers),
                             {c.customer_id: c for c in customers}.get)
        assert [row.state for row in found.rows] == [RowState.NO_CHANGE] * 2, name
        assert found.columns.ignored == ("totalMonthlyRevenue",) and not found.columns.unknown


def test_an_xlsx_made_by_hand_numbers_and_all(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.create_sheet("Changes", 0)
    sheet.append(["Email", "Postal code", "Notes"])
    sheet.append(["PERSON2@example.com", 1012, "call back"])
    sheet.append([None, None, None])
    book.save(tmp_path / "hand.xlsx")
    read = read_sheet(tmp_path / "hand.xlsx")
    assert read.rows == (("PERSON2@example.com", "1012", "call back"),)
    found = review(read)
    assert found.columns.unknown == ("Notes",)
    (row,) = found.rows
    assert row.customer == CUSTOMERS["cust_0002"]
    # 1012 alone is no Dutch postal code: the form would refuse it, so the import does.
    assert row.state is RowState.ERROR and "Billing postal code" in row.reason


def test_files_that_are_not_tables_are_said_so(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "fake.xlsx").write_text("not a workbook")
    for name in ("empty.csv", "fake.xlsx", "missing.csv"):
        with pytest.raises(UnreadableFile, match=name.split(".")[0]):
            read_sheet(tmp_path / name)
    with pytest.raises(ImportRefused, match="No customerId or email column"):
        map_columns(("Phone", "City"))
    with pytest.raises(ImportRefused, match=r"“City” and “billingAddress\.city”"):
        map_columns(("customerId", "City", "billingAddress.city"))


def test_each_row_is_a_change_no_change_error_or_unknown() -> None:
    found = review(sheet(
        ("CUSTOMERID", "email", "Phone", "Customer type", "billingaddress.country",
         "Monthly revenue"),
        ("cust_0001", "person1@example.com", "+31 20 555", "Business", "nl", "99"),
        ("cust_0002", "person2@example.com", "", "individual", "Netherlands", ""),
        ("cust_0003", "not-an-email", "", "individual", "Netherlands", ""),
        ("cust_0004", "person4@example.com", "", "individual", "Germnay", ""),
        ("cust_9999", "x@example.com", "", "", "", ""),
        ("cust_0001", "person1@example.com", "", "", "", ""),
        ("", "a@example.com", "", "", "", ""),
    ))
    change, same, bad_email, bad_country, unknown, twice, no_key = found.rows
    assert change.state is RowState.CHANGE
    assert change.edits == {"phone": "+31 20 555", "customerType": "business"}
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("Phone", "", "+31 20 555"), ("Customer type", "individual", "business")]
    assert same.state is RowState.NO_CHANGE and same.line == 3
    assert bad_email.state is RowState.ERROR
    assert bad_email.reason == "Email: Not a valid email address"
    assert bad_country.state is RowState.ERROR
    assert "Billing country: Germnay: not a country" in bad_country.reason
    assert unknown.state is RowState.UNKNOWN and unknown.name == "cust_9999"
    assert "no customer has the ID cust_9999" in unknown.reason
    assert twice.state is RowState.ERROR and "also in row 2" in twice.reason
    assert no_key.state is RowState.ERROR and "Customer ID: empty" in no_key.reason
    assert (found.count(RowState.CHANGE), found.count(RowState.ERROR)) == (1, 4)
    assert found.columns.ignored == ("Monthly revenue",)
    assert [row.line for row in found.rejected()] == [4, 5, 6, 7, 8]


def test_an_empty_cell_empties_its_field_and_an_absent_column_leaves_it() -> None:
    with_phone = {c.customer_id: c for c in [make_customer(1, phone="+31 20 1", company="Acme")]}
    columns = map_columns(("customerId", "phone", "firstName"))
    found = review_sheet(sheet(("customerId", "phone", "firstName"),
                               ("cust_0001", "", "First1")),
                         "x.csv", columns, with_phone.get)
    (row,) = found.rows
    assert row.edits == {"phone": ""}, "company's column is absent: it stays Acme"
    emptied = review_sheet(sheet(("customerId", "lastName"), ("cust_0001", " ")), "x.csv",
                           map_columns(("customerId", "lastName")), with_phone.get)
    assert emptied.rows[0].state is RowState.ERROR
    assert emptied.rows[0].reason == "Last name: Required"


def test_an_address_goes_whole_and_is_checked_whole() -> None:
    found = review(sheet(("customerId", "Shipping city"), ("cust_0001", "Utrecht")))
    (row,) = found.rows
    # No shipping address yet: one comes into being, and it lacks its required fields.
    assert row.state is RowState.ERROR
    assert "Shipping street address: Required" in row.reason


def test_a_customer_with_unsent_edits_is_not_overwritten() -> None:
    found = review(sheet(("customerId", "phone"), ("cust_0001", "+31 20 9")),
                   has_draft=lambda customer_id: customer_id == "cust_0001")
    assert found.rows[0].state is RowState.ERROR and HAS_DRAFT in found.rows[0].reason
