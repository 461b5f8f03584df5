"""Confirmations show server text as text, never as HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from flexdesk.ui.common.dialogs import confirm


def test_a_confirmation_shows_a_customer_name_literally_and_defaults_to_no(
    qtbot: QtBot,
) -> None:
    seen: list[tuple[Qt.TextFormat, str]] = []

    def answer_with_return() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.textFormat(), box.text()))
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default button

    QTimer.singleShot(0, answer_with_return)
    assert confirm(None, "Deactivate", "Deactivate <b>Evil</b> & Co?") is False
    assert seen == [(Qt.TextFormat.PlainText, "Deactivate <b>Evil</b> & Co?")]
