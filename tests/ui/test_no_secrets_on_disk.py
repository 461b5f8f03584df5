"""After a working session the API key is in no file the app wrote."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from flexdesk.logs import setup_logging
from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TOKEN
from tests.ui.helpers import type_into

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_key_is_in_no_log_setting_or_database(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    setup_logging(tmp_path / "logs", debug=True)  # no secrets given: nothing may need them
    try:
        window.open_customer(window.customers.customer_at(0))
        type_into(qtbot, window, "phone", "+31 6 1212 3434")
        with qtbot.waitSignal(window.editor.saved, timeout=10000):
            qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
        big_sandbox.faults.script(*[Faults.DROP] * 200)
        window.open_customer(window.customers.customer_at(1))
        type_into(qtbot, window, "company", "Queued Offline")
        qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: not window.sync.online, timeout=5000)
        editor = window.customize_shortcuts()
        editor.editors["save"].setKeySequence(QKeySequence("Ctrl+Shift+S"))
        editor.accept()
        window.close()
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            handler.flush()
            root.removeHandler(handler)
            handler.close()
        big_sandbox.faults.reset()

    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"settings.ini", "flexdesk.sqlite3", "flexdesk.log"} <= names
    assert (tmp_path / "logs" / "flexdesk.log").stat().st_size > 0
    leaking = [p.name for p in written if TOKEN.encode() in p.read_bytes()]
    assert leaking == []
