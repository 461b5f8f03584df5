"""The main window against the sandbox: paging, filters, search, refresh, errors, keyboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QHeaderView, QLineEdit, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.api.models import CustomerStatus, CustomerType
from flexdesk.connection import Connection
from flexdesk.listing.columns import Column
from flexdesk.listing.paging import PAGE_SIZE
from flexdesk.listing.text import fold
from flexdesk.sandbox import Fault, SandboxServer
from flexdesk.store import Store, open_store
from flexdesk.ui.customers.customer_table import RECORD_ROLE
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.conftest import WindowFactory
from tests.ui.helpers import wait_all_loaded


def all_of(sandbox: SandboxServer, query: CustomerQuery | None = None) -> list[str]:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as api:
        return [c.customer_id for c in api.iter_customers(query)]


def shown_ids(window: MainWindow) -> list[str]:
    proxy = window.list.proxy
    return [proxy.index(r, 0).data(RECORD_ROLE).customer_id for r in range(proxy.rowCount())]


def test_first_page_shows_then_scrolling_fetches_more(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    active = all_of(big_sandbox)
    assert window.windowTitle() == "sandbox[*]"  # Qt adds " — flexdesk", the app's name
    assert not window.isWindowModified()
    assert shown_ids(window) == active[:PAGE_SIZE]
    assert "more on the server" in window.status.row_count.text()
    assert window.status.last_refresh.text().startswith("Refreshed")

    window.list.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.customers.rowCount() == 2 * PAGE_SIZE, timeout=5000)
    assert shown_ids(window) == active[: 2 * PAGE_SIZE]


def test_load_all_brings_every_active_customer(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    window.action_map["load_all"].trigger()
    wait_all_loaded(qtbot, window)
    assert shown_ids(window) == all_of(big_sandbox)
    assert "all loaded" in window.status.row_count.text()
    assert not window.action_map["load_all"].isEnabled()


def test_server_filters_reload_the_list(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    inactive = all_of(big_sandbox, CustomerQuery(status=CustomerStatus.INACTIVE))
    window.list.status_filter.setCurrentText("Inactive")
    qtbot.waitUntil(lambda: shown_ids(window) == inactive, timeout=5000)

    window.list.status_filter.setCurrentText("All")
    window.list.type_filter.setCurrentText("Businesses")
    window.action_map["load_all"].trigger()
    wait_all_loaded(qtbot, window)
    records = [window.customers.customer_at(r) for r in range(window.customers.rowCount())]
    assert {c.customer_type for c in records} == {CustomerType.BUSINESS}
    assert {c.status for c in records} == {CustomerStatus.ACTIVE, CustomerStatus.INACTIVE}


def test_quick_search_finds_names_without_their_accents(
    qtbot: QtBot, window: MainWindow
) -> None:
    accented = next(
        window.customers.customer_at(r) for r in range(window.customers.rowCount())
        if fold(window.customers.customer_at(r).last_name) != window.customers.customer_at(
            r).last_name.casefold()
    )
    plain = fold(accented.last_name)
    qtbot.keyClicks(window.list.search, plain.upper())
    found = [window.list.proxy.index(r, 0).data(RECORD_ROLE)
             for r in range(window.list.proxy.rowCount())]
    assert accented in found
    assert all(plain in fold(f"{c.display_name} {c.company} {c.email}") or
               plain in fold(c.last_billing_address.city if c.last_billing_address else "")
               or plain in fold(c.phone or "") for c in found)


def test_an_email_not_loaded_is_asked_of_the_server(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    later = all_of(big_sandbox)[-1]  # on the last page, not loaded yet
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        email = api.get_customer(later).email
    assert window.customers.row_of(later) is None
    big_sandbox.clear_requests()

    window.list.search.setText(email)
    qtbot.waitUntil(lambda: shown_ids(window) == [later], timeout=5000)
    assert any(r.query.get("email") == email for r in big_sandbox.requests)
    assert window.list.selected_customer() is not None


def test_refresh_keeps_the_selection_and_shows_fresh_data(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    target = window.customers.customer_at(7)
    window.list.select_customer(target.customer_id)
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        api.update_customer(target.customer_id, {"phone": "+31 30 123 4567"})

    with qtbot.waitSignal(window.loader.refreshed, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    selected = window.list.selected_customer()
    assert selected is not None and selected.customer_id == target.customer_id
    assert selected.phone == "+31 30 123 4567"


def test_a_refresh_keeps_unchanged_customers_instead_of_a_second_copy(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    before = {window.customers.customer_at(r).customer_id: window.customers.customer_at(r)
              for r in range(window.customers.rowCount())}
    changed = window.customers.customer_at(3).customer_id
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        api.update_customer(changed, {"company": "Renamed While Shown"})
    with qtbot.waitSignal(window.loader.refreshed, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    after = {window.customers.customer_at(r).customer_id: window.customers.customer_at(r)
             for r in range(window.customers.rowCount())}
    assert after.keys() == before.keys()
    assert after[changed].company == "Renamed While Shown"
    assert all(after[i] is before[i] for i in before if i != changed)  # the same objects
    # and search finds both the changed one and the kept ones
    window.list.search.setText("renamed while")
    assert window.list.proxy.rowCount() == 1
    kept = next(c for i, c in before.items() if i != changed)
    window.list.search.setText(kept.email)
    assert kept.customer_id in {window.list.proxy.index(r, 0).data(RECORD_ROLE).customer_id
                                for r in range(window.list.proxy.rowCount())}


def test_a_long_refresh_shows_progress_and_stops_keeping_the_rows(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    window.loader.load_all()
    wait_all_loaded(qtbot, window)
    before = [window.customers.customer_at(r) for r in range(window.customers.rowCount())]
    assert len(before) > 2 * PAGE_SIZE  # three pages to fetch again

    big_sandbox.faults.latency = 0.3
    qtbot.keyClick(window, Qt.Key.Key_F5)
    progress = f"refreshing: {PAGE_SIZE} of {len(before)}"
    qtbot.waitUntil(lambda: progress in window.status.row_count.text(), timeout=5000)
    assert window.action_map["stop_loading"].isEnabled()
    window.action_map["stop_loading"].trigger()
    assert not window.loader.loading and not window.action_map["stop_loading"].isEnabled()
    assert "refreshing" not in window.status.row_count.text()
    big_sandbox.faults.latency = 0
    assert [window.customers.customer_at(r) for r in range(window.customers.rowCount())] \
        == before
    with qtbot.waitSignal(window.loader.refreshed, timeout=5000):  # and it can run again
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.customers.rowCount() == len(before)


def test_load_all_asked_for_during_a_refresh_goes_on_after_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.loader.refreshing is not None
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    wait_all_loaded(qtbot, window)
    assert window.customers.rowCount() > 2 * PAGE_SIZE
    assert not window.loader.loading_all and not window.action_map["stop_loading"].isEnabled()


@pytest.mark.expect_log("loading customers failed")
def test_a_failed_page_says_why_keeps_the_rows_and_can_be_retried(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    big_sandbox.faults.script(500)
    window.list.table.scrollToBottom()
    qtbot.waitUntil(window.status.retry_button.isVisible, timeout=5000)
    assert "Could not load customers" in window.status.load_error.text()
    assert window.customers.rowCount() == PAGE_SIZE

    qtbot.mouseClick(window.status.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.customers.rowCount() == 2 * PAGE_SIZE, timeout=5000)
    assert not window.status.retry_button.isVisible()


def test_ctrl_f_typing_and_return_open_the_customer_with_focus_in_the_editor(
    qtbot: QtBot, window: MainWindow
) -> None:
    target = window.customers.customer_at(12)
    window.editor.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.list.search

    qtbot.keyClicks(window.list.search, target.email)
    qtbot.keyClick(window.list.search, Qt.Key.Key_Return)

    assert window.editor.customer == target
    assert QApplication.focusWidget() is window.editor.fields["firstName"]
    first_name = window.editor.fields["firstName"]
    assert isinstance(first_name, QLineEdit) and first_name.text() == target.first_name


def test_down_and_up_from_the_search_box_move_through_results(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.list.focus_search()
    qtbot.keyClick(window.list.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.list.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.list.search, Qt.Key.Key_Up)
    assert window.list.table.currentIndex().row() == 0
    qtbot.keyClick(window.list.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.list.search, Qt.Key.Key_Enter)
    assert window.editor.customer == window.customers.customer_at(1)
    assert QApplication.focusWidget() is window.editor.fields["firstName"]


def test_layout_is_restored_at_the_next_start(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory
) -> None:
    window.splitter.setSizes([700, 300])
    window.list.table.horizontalHeader().resizeSection(Column.EMAIL, 333)
    window.close()
    again = make_window()
    assert again.list.table.horizontalHeader().sectionSize(Column.EMAIL) == 333
    assert again.splitter.saveState() == window.splitter.saveState()


def test_a_saved_layout_cannot_make_the_marker_column_measure_rows(
    window: MainWindow, make_window: WindowFactory
) -> None:
    # Earlier builds saved it as "resize to contents", which measured up to 1,000 rows
    # after every page; their saved layout must not bring that back.
    header = window.list.table.horizontalHeader()
    width = header.sectionSize(Column.DRAFT)
    header.setSectionResizeMode(Column.DRAFT, QHeaderView.ResizeMode.ResizeToContents)
    window.close()
    again = make_window().list.table.horizontalHeader()
    assert again.sectionResizeMode(Column.DRAFT) == QHeaderView.ResizeMode.Fixed
    assert again.sectionSize(Column.DRAFT) == width


def test_every_menu_action_has_a_shortcut_and_an_accelerator(window: MainWindow) -> None:
    menus = [a.menu() for a in window.menuBar().actions()]
    assert all(isinstance(m, QMenu) for m in menus)
    titles = [m.title() for m in menus if isinstance(m, QMenu)]
    assert titles == ["&File", "&Edit", "&View", "&Customer", "&Help"]
    for menu in menus:
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if action.isSeparator() or not action.text():
                continue
            assert "&" in action.text(), action.text()
            assert not action.shortcut().isEmpty(), action.text()


def test_the_status_bar_counts_search_matches(qtbot: QtBot, window: MainWindow) -> None:
    target = window.customers.customer_at(3)
    window.list.search.setText(target.email)
    assert window.status.row_count.text().startswith(f"1 of {PAGE_SIZE} customers")


def test_sorting_an_incomplete_list_asks_the_server_for_the_top_rows(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    query = CustomerQuery(sort_by="totalMonthlyRevenue", sort_order="desc")
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        top = api.list_customers(query, limit=5).customers
    header = window.list.table.horizontalHeader()
    header.setSortIndicator(Column.REVENUE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not window.loader.loading and window.customers.rowCount() > 0,
                    timeout=5000)
    assert big_sandbox.requests[-1].query["sortBy"] == "totalMonthlyRevenue"
    shown = [window.list.proxy.index(r, 0).data(RECORD_ROLE) for r in range(5)]
    assert [c.total_monthly_revenue for c in shown] == [c.total_monthly_revenue for c in top]


def test_sorting_a_complete_list_stays_local(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    window.action_map["load_all"].trigger()
    wait_all_loaded(qtbot, window)
    big_sandbox.clear_requests()
    window.list.table.horizontalHeader().setSortIndicator(Column.CITY,
                                                          Qt.SortOrder.AscendingOrder)
    cities = [window.list.proxy.index(r, Column.CITY).data()
              for r in range(window.list.proxy.rowCount())]
    assert cities == sorted(cities, key=fold)
    assert big_sandbox.requests == []


def test_messages_leave_the_connection_state_and_counts_in_view(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.editor.message.emit("Saved Jeroen Jansen")
    assert window.status.notice.text() == "Saved Jeroen Jansen"
    assert window.status.connection_state.isVisible() and window.status.row_count.isVisible()
    assert window.status.connection_state.text() == "● Online"
    window.status.notify("Gone soon", 10)
    qtbot.waitUntil(lambda: window.status.notice.text() == "", timeout=2000)


def test_about_and_the_status_say_which_server_by_keyboard(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    assert big_sandbox.base_url in window.status.connection_state.toolTip()
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        assert box.textFormat() == Qt.TextFormat.PlainText
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(window.list.search, Qt.Key.Key_F1, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert seen and f"Connected to {big_sandbox.base_url}, tenant {TENANT}." in seen[0]


def test_a_search_that_misses_the_loaded_rows_offers_to_search_everyone(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    loaded = {window.customers.customer_at(r).customer_id
              for r in range(window.customers.rowCount())}
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        later = next(c for c in api.iter_customers()
                     if c.customer_id not in loaded and c.phone and c.phone.startswith("+31"))
    assert later.phone is not None
    national = "0" + "".join(ch for ch in later.phone if ch.isdigit())[2:]  # +31 6… -> 06…

    window.list.focus_search()
    qtbot.keyClicks(window.list.search, national)
    assert window.list.proxy.rowCount() == 0
    assert window.list.no_match.isVisible()
    assert "Press Return to load the rest" in window.list.no_match.text()

    qtbot.keyClick(window.list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.list.proxy.rowCount() == 1, timeout=10000)
    found = window.list.proxy.index(0, 0).data(RECORD_ROLE)
    assert found.customer_id == later.customer_id
    qtbot.waitUntil(lambda: not window.loader.loading, timeout=10000)
    assert not window.list.no_match.isVisible()


def test_at_the_default_size_addresses_are_readable_and_the_city_column_shows(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_customer(window.customers.customer_at(0))
    assert (window.width(), window.height()) == (1280, 800)
    qtbot.waitUntil(lambda: window.editor.fields["billingAddress.city"].width() > 0,
                    timeout=2000)
    city = window.editor.fields["billingAddress.city"]
    # Wide enough for "Frankfurt am Main" and the like, not the ~100 px it was.
    assert city.width() >= city.fontMetrics().horizontalAdvance("Frankfurt am Main") + 10
    header = window.list.table.horizontalHeader()
    viewport = window.list.table.viewport().width()
    assert header.sectionViewportPosition(Column.CITY) + header.sectionSize(Column.CITY) \
        <= viewport, "the City column is on screen without scrolling"

    narrow = window.splitter.sizes()
    window.splitter.setSizes([sum(narrow) - 10, 10])  # the editor pane as narrow as it goes
    qtbot.waitUntil(lambda: city.width() < window.splitter.sizes()[1] + 200, timeout=2000)
    assert city.width() >= city.fontMetrics().averageCharWidth() * 14, "never a sliver"


@pytest.mark.expect_log("is damaged|no drafts could be read")
def test_what_opening_the_drafts_file_found_is_said_above_the_list(
    qtbot: QtBot, big_sandbox: SandboxServer, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "flexdesk.sqlite3"
    path.write_bytes(b"the user's drafts, damaged" * 100)
    opened = open_store(path)
    assert opened.moved_to is not None
    client = FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN)
    window = MainWindow(Connection(big_sandbox.base_url, TENANT, TOKEN), client, settings,
                        opened.store, store_notice=opened.notice)
    qtbot.addWidget(window)
    try:
        window.show()
        banner = window.status.store_banner
        assert banner.isVisible() and str(opened.moved_to) in banner.text()
    finally:
        window.shutdown()
        client.close()
        opened.store.close()


def test_a_customer_that_cannot_be_read_is_counted_and_odd_facts_are_marked(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customers = [window.customers.customer_at(r).model_dump(mode="json") for r in range(3)]
    customers[1]["email"] = {"address": "not a string"}  # an edited field: the record is lost
    customers[2]["updatedAt"] = 1e20  # a fact only: the record stays, the fact is marked
    page = {"customers": customers, "count": 3, "limit": 100, "hasMore": False,
            "nextCursor": None}
    big_sandbox.faults.script(Fault(200, body=json.dumps(page).encode()))
    window.loader.reload()
    qtbot.waitUntil(lambda: not window.loader.loading, timeout=5000)

    assert window.customers.rowCount() == 2
    assert "1 customer could not be read" in window.status.row_count.text()
    window.open_customer(window.customers.customer_at(1))
    assert window.editor.form.facts["updatedAt"].text() == "(could not be read)"


@pytest.mark.expect_log("drafts cannot be written")
def test_a_read_only_drafts_file_shows_drafts_and_says_nothing_can_be_saved(
    qtbot: QtBot, big_sandbox: SandboxServer, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "flexdesk.sqlite3"
    Store.open(path).close()
    client = FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN)
    store = Store.open(path, read_only=True)
    window = MainWindow(Connection(big_sandbox.base_url, TENANT, TOKEN), client, settings,
                        store)
    qtbot.addWidget(window)
    try:
        window.show()
        window.start()
        qtbot.waitUntil(lambda: window.customers.rowCount() > 0, timeout=5000)
        assert "cannot be written" in window.status.store_banner.text()
        window.open_customer(window.customers.customer_at(0))
        field = window.editor.fields["company"]
        assert isinstance(field, QLineEdit)
        field.setFocus()
        qtbot.keyClicks(field, "Typed Anyway")
        window.keeper.flush()
        assert "Typed Anyway" in field.text(), "what is typed stays in the form"
        assert not window.action_map["save"].isEnabled()
        assert window.status.store_banner.isVisible()
    finally:
        window.close()
        window.shutdown()
        client.close()
        store.close()
