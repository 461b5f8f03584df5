"""What the UI tests do again and again: find a field, type over it, read what was sent."""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from flexdesk.sandbox import SandboxServer
from flexdesk.store import Store
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
    qtbot.waitUntil(lambda: window.loader.complete and not window.loader.loading,
                    timeout=10000)


def fill_up(store: Store) -> None:
    """Make the drafts file really full: no page more than it has (SQLite's own limit on the
    real file), and filler rows of another tenant in all the room there was."""
    db = store._db  # the store's own connection: the limit is per connection
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    for number in range(100_000):
        try:
            db.execute("INSERT INTO drafts (connection, customer_id, base, edits, state, "
                       "updated_at) VALUES ('filler', ?, ?, '{}', 'editing', 0)",
                       (f"{number:06d}", "x" * 200))
        except sqlite3.OperationalError as full:
            assert "full" in str(full)
            return
    raise AssertionError("the file did not fill up")


def make_room(store: Store) -> None:
    """Space was freed on the disk."""
    store._db.execute("PRAGMA max_page_count = 1073741823")
