"""What the UI tests do again and again: find a field, type over it, read what was sent."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from flexdesk.sandbox import SandboxServer
from flexdesk.ui.window.main_window import MainWindow


def line(window: MainWindow, path: str) -> QLineEdit:
    """The editor's text field for an API path (`billingAddress.city`)."""
    widget = window.editor.fields[path]
    assert isinstance(widget, QLineEdit)
    return widget


def type_into(qtbot: QtBot, window: MainWindow, path: str, text: str) -> None:
    """Focus a field, select what is there and type over it, as a user would."""
    widget = line(window, path)
    widget.setFocus()
    widget.selectAll()
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def puts(sandbox: SandboxServer) -> list[Any]:
    """The bodies of every PUT the sandbox received, in order."""
    return [r.body for r in sandbox.requests if r.method == "PUT"]


def wait_all_loaded(qtbot: QtBot, window: MainWindow) -> None:
    """Until every page the server has is in the list and nothing is loading."""
    qtbot.waitUntil(lambda: not window.loader.more_on_server and not window.loader.loading,
                    timeout=10000)
