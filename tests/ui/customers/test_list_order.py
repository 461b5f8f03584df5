"""The list keeps the order the user chose: across a restart, and offline as online."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flexdesk.listing.columns import Column, display_value
from flexdesk.listing.text import fold
from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.ui.window.main_window import MainWindow
from tests.ui.conftest import WindowFactory


def ids(window: MainWindow) -> list[str]:
    model = window.customers
    return [model.customer_at(row).customer_id for row in range(model.rowCount())]


def start_offline(qtbot: QtBot, make_window: WindowFactory,
                  sandbox: SandboxServer) -> MainWindow:
    sandbox.faults.script(*[Faults.DROP] * 500)
    offline = make_window()
    offline.start()
    qtbot.waitUntil(lambda: offline.loader.cached_since is not None
                    and not offline.loader.loading, timeout=5000)
    return offline


@pytest.mark.expect_log("loading customers failed")
def test_offline_the_cached_list_comes_in_the_servers_order(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer,
    make_window: WindowFactory,
) -> None:
    online = ids(window)  # the first page, newest first, as the server sends it
    window.close()
    window.shutdown()
    offline = start_offline(qtbot, make_window, big_sandbox)
    assert ids(offline) == online


@pytest.mark.expect_log("loading customers failed")
def test_a_sort_by_a_column_comes_back_at_the_next_start_online_and_offline(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer,
    make_window: WindowFactory,
) -> None:
    window.list.table.sortByColumn(Column.CITY, Qt.SortOrder.DescendingOrder)
    cities = [fold(display_value(window.customers.customer_at(r), Column.CITY))
              for r in range(window.customers.rowCount())]
    assert cities == sorted(cities, reverse=True)
    window.close()
    window.shutdown()

    again = make_window()  # restoring the sort while the window is built: no error
    again.start()
    qtbot.waitUntil(lambda: again.customers.rowCount() > 0 and not again.loader.loading,
                    timeout=5000)
    header = again.list.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        Column.CITY, Qt.SortOrder.DescendingOrder)
    online = ids(again)
    again.close()
    again.shutdown()

    offline = start_offline(qtbot, make_window, big_sandbox)
    assert ids(offline) == online


def test_name_sorts_by_family_name_then_given_name(qtbot: QtBot, window: MainWindow) -> None:
    window.list.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.customers.rowCount() > 0 and not window.loader.loading,
                    timeout=5000)
    names = [(fold(c.last_name), fold(c.first_name))
             for c in map(window.customers.customer_at, range(window.customers.rowCount()))]
    assert names == sorted(names)
