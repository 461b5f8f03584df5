"""Keyboard-first data entry: completer, Enter-to-next, the shortcut sheet, accelerators."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flexdesk.ui.shortcuts.shortcut_sheet import ShortcutSheet, sheet_rows
from flexdesk.ui.window.main_window import MainWindow
from tests.ui.conftest import WindowFactory
from tests.ui.helpers import line

README = Path(__file__).resolve().parents[3] / "README.md"




def test_country_takes_a_name_fragment_or_an_iso_code(qtbot: QtBot, window: MainWindow) -> None:
    window.open_customer(window.customers.customer_at(0))
    country = line(window, "billingAddress.country")
    country.setFocus()
    country.selectAll()
    qtbot.keyClicks(country, "therla")
    completer = country.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None and popup.isVisible()
    assert completer.currentCompletion() == "Netherlands"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert country.text() == "Netherlands"

    country.selectAll()
    qtbot.keyClicks(country, "qa")
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.keyClick(country, Qt.Key.Key_Tab)
    assert country.text() == "Qatar"
    session = window.editor.session
    assert session is not None and session.value("billingAddress.country") == "Qatar"


def test_enter_moves_to_the_next_field_only_when_asked(qtbot: QtBot, window: MainWindow) -> None:
    window.open_customer(window.customers.customer_at(0))
    first = line(window, "firstName")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is first, "off by default"

    window.action_map["enter_moves_next"].trigger()
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.editor.fields["lastName"]
    window.action_map["enter_moves_next"].trigger()


def test_type_and_status_change_with_arrow_keys(qtbot: QtBot, window: MainWindow) -> None:
    customer = next(c for c in (window.customers.customer_at(r) for r in range(50))
                    if c.customer_type.value == "individual")
    window.open_customer(customer)
    kind = window.editor.fields["customerType"]
    assert isinstance(kind, QComboBox)
    kind.setFocus()
    qtbot.keyClick(kind, Qt.Key.Key_Down)
    assert kind.currentData() == "business"
    assert window.editor.rows["customerType"].dirty
    qtbot.keyClick(kind, Qt.Key.Key_I)  # first letter
    assert kind.currentData() == "individual" and not window.editor.rows["customerType"].dirty


def test_the_shortcut_sheet_is_made_from_the_actions_and_filters(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    sheet = window.findChild(ShortcutSheet)
    assert sheet is not None and sheet.isVisible()
    rows = dict(sheet.visible_rows())
    assert rows["Save"] == "Ctrl+S"
    assert rows["Keyboard shortcuts"] == "F1, Ctrl+/"
    qtbot.keyClicks(sheet.filter, "undo")
    assert [label for label, _ in sheet.visible_rows()] == ["Undo"]
    sheet.close()

    window.action_map["save"].setShortcut("Ctrl+Shift+S")  # a remapped key shows as remapped
    assert ("Save", "Ctrl+Shift+S") in sheet_rows(window.menu_actions())


def test_the_readme_lists_every_shortcut(window: MainWindow) -> None:
    table = [row.split("|")[1] for row in README.read_text().splitlines()
             if row.startswith("| `")]
    documented = {key for cell in table for key in re.findall(r"`([^`]+)`", cell)}
    for label, keys in sheet_rows(window.menu_actions()):
        first = keys.split(", ")[0]
        assert first in documented, f"README's key table lacks {label}: {first}"


def _accelerator(text: str) -> str | None:
    found = re.search(r"&([^&])", text)
    return found.group(1).lower() if found else None


def test_accelerators_never_collide_within_a_section(window: MainWindow) -> None:
    sections: list[QWidget] = [*window.editor.findChildren(QGroupBox), window.list]
    for section in sections:
        letters = [_accelerator(label.text()) for label in section.findChildren(QLabel)
                   if label.buddy() is not None and _accelerator(label.text())]
        assert len(letters) == len(set(letters)), f"{section.objectName()}: {letters}"
    menus = [a.menu() for a in window.menuBar().actions()]
    titles = [_accelerator(a.text()) for a in window.menuBar().actions()]
    assert len(titles) == len(set(titles))
    for menu in menus:
        assert isinstance(menu, QMenu)
        letters = [_accelerator(a.text()) for a in menu.actions() if _accelerator(a.text())]
        assert len(letters) == len(set(letters)), f"{menu.title()}: {letters}"


def test_every_input_has_an_accessible_name(window: MainWindow) -> None:
    for widget in window.findChildren(QLineEdit) + window.findChildren(QComboBox):
        if widget.isVisibleTo(window) and widget.objectName() != "qt_spinbox_lineedit":
            assert widget.accessibleName(), widget.objectName()


def test_shortcuts_can_be_remapped_and_stay_remapped(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory
) -> None:
    editor = window.customize_shortcuts()
    editor.editors["save"].setKeySequence(QKeySequence("Ctrl+Shift+F5"))
    editor.editors["review_changes"].setKeySequence(QKeySequence("Ctrl+Shift+F5"))
    editor.accept()
    assert "Used twice: Ctrl+Shift+F5" in editor.problem.text(), "a clash is refused"
    assert window.action_map["save"].shortcut().toString() == "Ctrl+S"

    editor.editors["review_changes"].setKeySequence(QKeySequence("Ctrl+Shift+R"))
    editor.accept()
    assert window.action_map["save"].shortcut().toString() == "Ctrl+Shift+F5"
    assert ("Save", "Ctrl+Shift+F5") in sheet_rows(window.menu_actions())

    again = make_window()
    assert again.action_map["save"].shortcut().toString() == "Ctrl+Shift+F5"
    restore = again.customize_shortcuts()
    restore.restore_defaults()
    restore.accept()
    assert again.action_map["save"].shortcut().toString() == "Ctrl+S"
    assert [k.toString() for k in again.action_map["shortcuts"].shortcuts()] == ["F1", "Ctrl+/"]
