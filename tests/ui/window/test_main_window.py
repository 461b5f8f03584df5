"""The main window against the sandbox: search, keyboard, layout, status, banners."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QHeaderView, QLineEdit, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.connection import Connection
from flexdesk.listing.columns import Column
from flexdesk.listing.text import fold
from flexdesk.sandbox import Fault, SandboxServer
from flexdesk.store import Store, open_store
from flexdesk.ui.customers.customer_table import RECORD_ROLE
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.conftest import WindowFactory


def all_of(sandbox: SandboxServer, query: CustomerQuery | None = None) -> list[str]:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as api:
        return [c.customer_id for c in api.iter_customers(query)]


def shown_ids(window: MainWindow) -> list[str]:
    proxy = window.list.proxy
    return [proxy.index(r, 0).data(RECORD_ROLE).customer_id for r in range(proxy.rowCount())]








def test_quick_search_finds_names_without_their_accents(
    qtbot: QtBot, window: MainWindow
) -> None:
    accented = next(
        window.customers.row_at(r) for r in range(window.customers.rowCount())
        if fold(window.customers.row_at(r).last_name) != window.customers.row_at(
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
    everyone = window.customers.rowCount()
    assert window.status.row_count.text().startswith(f"1 of {everyone} customers")






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
        window.close()
        window.shutdown()
        client.close()
        opened.store.close()


def test_a_customer_that_cannot_be_read_is_counted_and_odd_facts_are_marked(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customers = [window.customers.customer_at(r).model_dump(mode="json") for r in range(3)]
    broken_id, odd_id = customers[1]["customerId"], customers[2]["customerId"]
    customers[1]["email"] = {"address": "not a string"}  # an edited field: the record is lost
    customers[2]["updatedAt"] = 1e20  # a fact only: the record stays, the fact is marked
    page = {"customers": customers, "count": 3, "limit": 100, "hasMore": False,
            "nextCursor": None}
    big_sandbox.faults.script(Fault(200, body=json.dumps(page).encode()))
    qtbot.keyClick(window.list.search, Qt.Key.Key_F5)  # a refresh meets that page first
    qtbot.waitUntil(lambda: window.loader.complete and not window.loader.loading,
                    timeout=5000)

    assert "1 customer could not be read" in window.status.row_count.text()
    row = window.customers.row_of(odd_id)
    assert row is not None
    window.open_customer(window.customers.customer_at(row))
    assert window.editor.form.facts["updatedAt"].text() == "(could not be read)"
    # The one that could not be read is counted, not shown (as it was, it cannot be).
    assert window.customers.row_of(broken_id) is None


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
