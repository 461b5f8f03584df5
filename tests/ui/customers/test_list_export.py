"""File > Export list: the list as shown goes to the file typed in the dialog, by keyboard."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from flexdesk.listing.columns import Column
from flexdesk.sandbox import SandboxServer
from flexdesk.ui.window.main_window import MainWindow
from tests.ui.conftest import WindowFactory

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_file_dialog(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> QFileDialog:
    """Ctrl+Shift+`key` typed while the search field has the focus: the file dialog it opens."""
    with qtbot.waitActive(window):
        window.activateWindow()
    search = window.list.search
    search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=2000)
    qtbot.keyClick(search, key, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QFileDialog),
                    timeout=2000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QFileDialog)
    return dialog


def open_export_dialog(qtbot: QtBot, window: MainWindow) -> QFileDialog:
    return open_file_dialog(qtbot, window, Qt.Key.Key_E)


def type_path_and_return(qtbot: QtBot, dialog: QFileDialog, path: Path) -> None:
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert isinstance(name, QLineEdit)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name, timeout=2000)
    name.selectAll()
    qtbot.keyClicks(name, str(path))
    qtbot.keyClick(name, Qt.Key.Key_Return)


def shown_ids(window: MainWindow) -> list[str]:
    return [c.customer_id for c in window.list.proxy.customers()]


def test_the_list_as_shown_goes_to_a_csv_typed_as_a_full_path(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.list.type_filter.setCurrentIndex(2)  # businesses
    window.list.table.sortByColumn(Column.CITY, Qt.SortOrder.DescendingOrder)
    expected = shown_ids(window)
    assert 0 < len(expected) < window.customers.rowCount()

    target = tmp_path / "businesses.csv"
    type_path_and_return(qtbot, open_export_dialog(qtbot, window), target)
    notice = window.status.notice
    qtbot.waitUntil(lambda: "Exported" in notice.text(), timeout=10000)
    assert notice.text() == f"Exported {len(expected):,} customers to {target}"

    with target.open(encoding="utf-8-sig", newline="") as opened:
        rows = list(csv.DictReader(opened))
    assert [row["customerId"] for row in rows] == expected, "the list's rows, in its order"
    assert {row["customerType"] for row in rows} == {"business"}
    first = window.list.proxy.customers()[0]
    assert rows[0]["email"] == first.email
    assert rows[0]["billingAddress.city"] == (first.last_billing_address.city
                                              if first.last_billing_address else "")


def test_an_xlsx_name_makes_a_workbook_and_a_wrong_name_is_explained(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    window.list.search.setText("jansen")
    expected = shown_ids(window)
    said: list[str] = []

    def answer_the_note() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, answer_the_note)

    QTimer.singleShot(20, answer_the_note)
    type_path_and_return(qtbot, open_export_dialog(qtbot, window), folder / "jansens.txt")
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "neither .csv nor .xlsx" in said[0]
    # The dialog comes back for a better name; nothing was written.
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QFileDialog),
                    timeout=2000)
    again = QApplication.activeModalWidget()
    assert isinstance(again, QFileDialog)
    assert list(folder.iterdir()) == []

    type_path_and_return(qtbot, again, folder / "jansens.xlsx")
    qtbot.waitUntil((folder / "jansens.xlsx").exists, timeout=10000)
    qtbot.waitUntil(lambda: window.export.progress is None, timeout=5000)
    sheet = load_workbook(folder / "jansens.xlsx").active
    assert sheet is not None
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == expected


def partly_loaded(qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer) -> MainWindow:
    """A first start whose indexing the user stopped after the first page (Ctrl+.)."""
    sandbox.faults.latency = 0.2  # pages come slowly enough to stop after the first
    window = make_window()
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.start()
    qtbot.waitUntil(lambda: window.customers.rowCount() > 0, timeout=5000)
    window.loader.stop()
    qtbot.waitUntil(lambda: not window.loader.loading, timeout=5000)
    sandbox.faults.latency = 0.0
    assert window.loader.up_to_date is None and window.customers.rowCount() < 260
    return window


def test_rows_not_loaded_yet_are_fetched_before_the_export(
    qtbot: QtBot, make_window: WindowFactory, big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    window = partly_loaded(qtbot, make_window, big_sandbox)
    target = tmp_path / "everyone.csv"
    window.export.export_to(str(target))
    qtbot.waitUntil(lambda: window.status.notice.text().startswith("Exported"), timeout=10000)
    assert window.loader.up_to_date is not None, "the copy was completed first"
    with target.open(encoding="utf-8-sig", newline="") as opened:
        ids = [row["customerId"] for row in csv.DictReader(opened)]
    assert ids == shown_ids(window) and len(ids) > 100


def test_stop_while_fetching_the_rest_writes_nothing(
    qtbot: QtBot, make_window: WindowFactory, big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    window = partly_loaded(qtbot, make_window, big_sandbox)
    big_sandbox.faults.latency = 0.5
    target = tmp_path / "everyone.csv"
    window.export.export_to(str(target))
    qtbot.waitUntil(lambda: window.export.fetching is not None
                    and window.export.fetching.isVisible(), timeout=5000)
    fetching = window.export.fetching
    assert fetching is not None
    qtbot.keyClick(fetching, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.export.fetching is None, timeout=2000)
    assert window.status.notice.text() == "Export stopped: everyone.csv was not written"
    assert not target.exists()
    assert window.loader.stopped, "indexing is left stopped, as the user had it"
    big_sandbox.faults.latency = 0.0
