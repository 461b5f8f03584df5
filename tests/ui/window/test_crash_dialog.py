"""An exception in a slot shows a dialog with copyable details, and the app goes on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from flexdesk.ui.window.crash_dialog import CrashDialog, install_crash_dialog
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TOKEN


@pytest.mark.qt_no_exception_capture
@pytest.mark.expect_log("unexpected error")
def test_an_error_in_a_slot_opens_the_dialog_and_the_window_lives_on(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    previous = install_crash_dialog(lambda: window, tmp_path / "flexdesk.log", [TOKEN])
    try:
        def broken_slot() -> None:
            raise ValueError(f"something broke near {TOKEN}")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: window.findChild(CrashDialog) is not None, timeout=5000)
    finally:
        sys.excepthook = previous
    dialog = window.findChild(CrashDialog)
    assert dialog is not None and dialog.isVisible()
    details = dialog.details.toPlainText()
    assert "ValueError: something broke" in details and TOKEN not in details
    dialog.copy_details()
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == details
    dialog.close()

    window.list.search.setText("a")  # still alive and responding
    assert window.list.proxy.search_text == "a"
