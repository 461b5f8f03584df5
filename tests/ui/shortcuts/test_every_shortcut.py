"""Every documented shortcut fires with the cursor in a field, and the field keeps its text.

A shortcut on a key that a text field or list box uses for itself either never fires (the
field takes it: Ctrl+Shift+Z was once "ambiguous") or edits the field instead (Shift+Insert
pasted into the first name). So each key is pressed for real, with a line edit, a combo box
and the search box focused in turn, and a clipboard full of text that a paste would show.
"""

from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from flexdesk.ui.shortcuts.actions import SPECS, key_sequences
from flexdesk.ui.shortcuts.text_keys import text_field_use
from flexdesk.ui.window.main_window import MainWindow

FOCUSED = ["firstName", "billingAddress.adminArea", "customerType", "search"]


def field_texts(window: MainWindow) -> dict[str, str]:
    texts = {w.objectName(): w.text() for w in window.findChildren(QLineEdit)}
    texts |= {w.objectName(): w.currentText() for w in window.findChildren(QComboBox)}
    return texts


def has_focus(widget: QWidget) -> bool:
    return QApplication.focusWidget() is widget


def target(window: MainWindow, name: str) -> QWidget:
    widget = window.list.search if name == "search" else window.editor.fields[name]
    assert widget.isVisible()
    return widget


@pytest.mark.parametrize("focus", FOCUSED)
def test_every_shortcut_runs_its_action_and_leaves_the_field_alone(
    qtbot: QtBot, window: MainWindow, focus: str
) -> None:
    window.open_customer(window.customers.customer_at(0))
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("PASTED")
    ran: list[str] = []
    keyed: list[tuple[QAction, QKeySequence]] = []
    for action in window.menu_actions():
        # Only the key is under test: the action records that it ran instead of opening
        # dialogs, quitting or switching profile.
        action.triggered.disconnect()
        action.triggered.connect(partial(ran.append, action.objectName()))
        action.setEnabled(True)
        action.setVisible(True)  # a saved view's slot shows once there is a view in it
        keyed += [(action, key) for key in action.shortcuts()]
    assert len(keyed) == sum(len(key_sequences(spec.keys)) for spec in SPECS.values())

    for action, key in keyed:
        if focus == "search" and action.objectName() in ("undo", "redo"):
            continue  # in the search box, undo is the search text's own: not the form's
        widget = target(window, focus)
        widget.setFocus()
        qtbot.waitUntil(partial(has_focus, widget), timeout=1000)
        before = field_texts(window)
        ran.clear()
        combination = key[0]  # type: ignore[index]
        qtbot.keyClick(widget, combination.key(), combination.keyboardModifiers())
        assert ran == [action.objectName()], f"{key.toString()} with {focus} focused"
        assert field_texts(window) == before, f"{key.toString()} changed a field"


def test_no_shipped_key_is_one_that_text_fields_use(window: MainWindow) -> None:
    for action in window.menu_actions():
        for key in action.shortcuts():
            use = text_field_use(key)
            if action.objectName() in ("undo", "redo"):
                continue  # the form takes these from the field on purpose
            assert use is None, f"{action.objectName()}: {key.toString()}: {use}"


def test_remapping_refuses_a_key_that_text_fields_use(window: MainWindow) -> None:
    editor = window.customize_shortcuts()
    editor.editors["reactivate"].setKeySequence(QKeySequence("Ctrl+Shift+Ins"))
    editor.editors["revert_field"].setKeySequence(QKeySequence("Ctrl+Alt+Z"))
    editor.accept()
    problem = editor.problem.text()
    assert "Ctrl+Shift+Ins for Reactivate customer: text fields paste with it" in problem
    assert "Ctrl+Alt+Z for Revert field: Ctrl+Alt is AltGr on Windows" in problem
    assert editor.isVisible(), "nothing was kept"
    assert window.action_map["reactivate"].shortcut().toString() == "Ctrl+Shift+T"
    editor.reject()
