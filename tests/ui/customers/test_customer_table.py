"""The list model and its search proxy, without a window or a server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from flexdesk.api.models import CustomerType
from flexdesk.listing.columns import DRAFT_MARK, Column, sort_key
from flexdesk.listing.paging import ListScope, StatusScope
from flexdesk.ui.customers.customer_filter import CustomerFilterProxy
from flexdesk.ui.customers.customer_table import RECORD_ROLE, CustomerTableModel
from tests.factories import make_customer

Mode = QAbstractItemModelTester.FailureReportingMode


@pytest.fixture
def model(qtbot: QtBot) -> CustomerTableModel:
    table = CustomerTableModel()
    QAbstractItemModelTester(table, Mode.Fatal, table)
    return table


def names(proxy: CustomerFilterProxy) -> list[str]:
    return [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]


def test_pages_append_and_repeated_customers_update_in_place(model: CustomerTableModel) -> None:
    model.append([make_customer(i) for i in range(3)])
    model.append([make_customer(2, phone="+31 20 555 0000"), make_customer(3)])
    assert model.rowCount() == 4
    assert model.index(2, Column.PHONE).data() == "+31 20 555 0000"
    assert model.index(3, Column.NAME).data(RECORD_ROLE).customer_id == "cust_0003"


def test_columns_show_what_an_account_manager_reads(model: CustomerTableModel) -> None:
    model.append([make_customer(4, company="Müller GmbH", customerType="business")])
    row = {c: model.index(0, c).data() for c in Column}
    assert row[Column.NAME] == "First4 Last4"
    assert row[Column.COMPANY] == "Müller GmbH"
    assert row[Column.TYPE] == "Business"
    assert row[Column.CITY] == "City1"
    assert row[Column.REVENUE] == "42.00"
    assert row[Column.DRAFT] == ""
    model.set_drafts({"cust_0004"})
    assert model.index(0, Column.DRAFT).data() == DRAFT_MARK
    assert model.index(0, Column.DRAFT).data(Qt.ItemDataRole.ToolTipRole) == "Unsaved local draft"


def test_every_single_value_the_api_returns_has_a_column(model: CustomerTableModel) -> None:
    model.append([make_customer(
        5, lifetimeCollected=12345.5, customerMarginPercent=31.4, subscriptionsTracked=3,
        createdBy="ops@acme.example",
        lastShippingAddress={"contactName": "Dock 4", "streetAddress": "Kade 1",
                             "city": "Rotterdam", "country": "Netherlands",
                             "adminArea": "Zuid-Holland"})])
    row = {c: model.index(0, c).data() for c in Column}
    assert row[Column.LIFETIME_COLLECTED] == "12,345.50"
    assert row[Column.MARGIN_PERCENT] == "31.4"
    assert row[Column.SUBSCRIPTIONS] == "3"
    assert row[Column.CREATED_BY] == "ops@acme.example"
    assert (row[Column.SHIPPING_STREET], row[Column.SHIPPING_REGION]) == \
        ("Kade 1", "Zuid-Holland")
    assert row[Column.MARGIN] == "", "a figure the server left out shows as nothing"
    alignment = model.index(0, Column.LIFETIME_COLLECTED).data(
        Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_sorting_numbers_as_numbers_keeps_the_selection_anchor(
    model: CustomerTableModel,
) -> None:
    model.append([make_customer(i) for i in (9, 100, 11)])
    anchor = QPersistentModelIndex(model.index(1, Column.NAME))  # customer 100
    model.sort(Column.REVENUE, Qt.SortOrder.DescendingOrder)
    assert [model.customer_at(r).customer_id for r in range(3)] == [
        "cust_0100", "cust_0011", "cust_0009"]
    assert anchor.row() == 0
    # A page that arrives later lands where the order says, not at the bottom.
    model.append([make_customer(50)])
    assert model.customer_at(1).customer_id == "cust_0050"


def test_text_sorts_ignore_case_and_accents(model: CustomerTableModel) -> None:
    model.append([make_customer(1, lastName="Zeller", firstName="ada"),
                  make_customer(2, lastName="Ölmez", firstName="Émile"),
                  make_customer(3, lastName="Bakker", firstName="bram")])
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)  # by family name: Bakker, Ölmez
    assert [model.customer_at(r).first_name for r in range(3)] == ["bram", "Émile", "ada"]


def test_quick_search_ignores_accents_and_case_across_fields(model: CustomerTableModel) -> None:
    proxy = CustomerFilterProxy(model)
    QAbstractItemModelTester(proxy, Mode.Fatal, proxy)
    model.append([
        make_customer(1, lastName="Müller"),
        make_customer(2, company="Straße & Co"),
        make_customer(3, phone="+974 4444 1234"),
        make_customer(4, email="zoe@example.qa"),
    ])
    proxy.set_search_text("MULLER")
    assert names(proxy) == ["First1 Müller"]
    proxy.set_search_text("strasse")
    assert names(proxy) == ["First2 Last2"]
    proxy.set_search_text("4444")
    assert names(proxy) == ["First3 Last3"]
    proxy.set_search_text("city1 first4")  # every word must match, in any field
    assert names(proxy) == ["First4 Last4"]
    proxy.set_search_text("")
    assert proxy.rowCount() == 4


def test_search_judges_rows_that_arrive_or_change_while_it_is_active(
    model: CustomerTableModel,
) -> None:
    proxy = CustomerFilterProxy(model)
    model.append([make_customer(1, lastName="Jansen")])
    proxy.set_search_text("jansen")
    model.append([make_customer(2), make_customer(3, lastName="Jansen-Smit")])
    assert names(proxy) == ["First1 Jansen", "First3 Jansen-Smit"]
    model.replace(make_customer(1, lastName="de Vries"))
    assert names(proxy) == ["First3 Jansen-Smit"]


def test_a_scope_and_a_search_filter_together_and_a_removal_follows(
    model: CustomerTableModel,
) -> None:
    proxy = CustomerFilterProxy(model)
    QAbstractItemModelTester(proxy, Mode.Fatal, proxy)
    model.append([make_customer(1, lastName="Jansen"),
                  make_customer(2, lastName="Jansen", status="inactive"),
                  make_customer(3, lastName="Jansen", customerType="business"),
                  make_customer(4, lastName="Bakker")])
    proxy.set_scope(ListScope(StatusScope.ACTIVE).marks())
    assert names(proxy) == ["First1 Jansen", "First3 Jansen", "First4 Bakker"]
    proxy.set_search_text("jansen")
    assert names(proxy) == ["First1 Jansen", "First3 Jansen"]
    proxy.set_scope(ListScope(StatusScope.ALL, CustomerType.BUSINESS).marks())
    assert names(proxy) == ["First3 Jansen"]
    proxy.set_scope(None)
    model.remove(["cust_0001", "cust_0003"])
    assert names(proxy) == ["First2 Jansen"]
    assert model.row_of("cust_0004") == 1


def test_a_filtered_list_takes_rows_in_and_out_where_they_belong_keeping_the_selection(
    model: CustomerTableModel,
) -> None:
    proxy = CustomerFilterProxy(model)
    QAbstractItemModelTester(proxy, Mode.Fatal, proxy)
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    model.append([make_customer(1, lastName="Jansen", firstName="Anna"),
                  make_customer(2, lastName="Jansen", firstName="Cees"),
                  make_customer(3, lastName="Bakker"),
                  make_customer(4, lastName="Jansen", firstName="Bert", status="inactive")])
    proxy.set_scope(ListScope(StatusScope.ACTIVE).marks())
    proxy.set_search_text("jans")
    assert names(proxy) == ["Anna Jansen", "Cees Jansen"]
    selected = QPersistentModelIndex(proxy.index(1, Column.NAME))

    model.append([make_customer(5, lastName="Jansen", firstName="Bas"),
                  make_customer(6, lastName="Aalders")])  # arrives, but is not a Jansen
    assert names(proxy) == ["Anna Jansen", "Bas Jansen", "Cees Jansen"]
    assert selected.row() == 2 and selected.data() == "Cees Jansen"

    model.remove(["cust_0001", "cust_0006"])
    assert names(proxy) == ["Bas Jansen", "Cees Jansen"] and selected.row() == 1

    # Now a Jansen, where Bakker stood (a changed row keeps its place); Bas leaves the scope.
    model.replace(make_customer(3, lastName="Jansen", firstName="Dirk"))
    model.replace(make_customer(5, lastName="Jansen", firstName="Bas", status="inactive"))
    assert names(proxy) == ["Dirk Jansen", "Cees Jansen"]
    assert selected.row() == 1 and selected.data() == "Cees Jansen"
    model.set_drafts({"cust_0002"})
    assert proxy.index(1, Column.DRAFT).data() == DRAFT_MARK


def test_the_selected_row_follows_a_search_and_a_sort(model: CustomerTableModel) -> None:
    proxy = CustomerFilterProxy(model)
    QAbstractItemModelTester(proxy, Mode.Fatal, proxy)
    model.append([make_customer(i, lastName=name) for i, name in
                  enumerate(["Visser", "Jansen", "Janssen", "Bakker"])])
    selected = QPersistentModelIndex(proxy.index(2, Column.NAME))  # Janssen
    proxy.set_search_text("jans")
    assert selected.row() == 1 and selected.data() == "First2 Janssen"
    proxy.set_search_text("janss")  # typing on narrows from the previous answer
    assert selected.row() == 0
    proxy.set_search_text("visser")
    assert not selected.isValid(), "a row the search hides cannot stay selected"
    proxy.set_search_text("")
    model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["First0 Visser", "First2 Janssen", "First1 Jansen",
                            "First3 Bakker"]
    assert selected.isValid() is False and proxy.rowCount() == 4


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("column", [Column.REVENUE, Column.CITY])  # all distinct; three cities
def test_pages_into_a_sorted_list_land_in_order_with_every_row_findable(
    model: CustomerTableModel, column: Column, order: Qt.SortOrder
) -> None:
    proxy = CustomerFilterProxy(model)
    QAbstractItemModelTester(proxy, Mode.Fatal, proxy)
    proxy.set_search_text("first")  # a search running while pages land
    model.append([make_customer(n) for n in range(1, 40)])
    model.sort(column, order)
    anchor = QPersistentModelIndex(model.index(5, Column.NAME))
    anchored = model.customer_at(5).customer_id
    # Pages whose values fall between, before, after and on top of those already there.
    for start in (100, 7, 200):
        model.append([make_customer(start + n) for n in range(0, 90, 3)])
    key = sort_key(column)
    values = [key(model.customer_at(r)) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=order == Qt.SortOrder.DescendingOrder)
    assert all(model.row_of(model.customer_at(r).customer_id) == r
               for r in range(model.rowCount()))
    assert model.customer_at(anchor.row()).customer_id == anchored
    assert proxy.rowCount() == model.rowCount()  # all match "first"
