"""The editor's field order is fixed, documented and is the Tab order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from flexdesk.editing import FIELD_ORDER
from flexdesk.ui.window.main_window import MainWindow

DOCUMENTED = [
    "firstName", "lastName", "email", "phone", "company", "customerType", "status",
    *(f"{group}.{field}" for group in ("billingAddress", "shippingAddress") for field in (
        "contactName", "company", "streetAddress", "buildingInfo", "locality", "postalCode",
        "city", "adminArea", "country")),
]


def test_tab_walks_the_documented_field_order_then_the_buttons(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert list(FIELD_ORDER) == DOCUMENTED
    window.open_customer(window.customers.customer_at(0))
    first = window.editor.fields["firstName"]
    assert isinstance(first, QLineEdit)
    qtbot.keyClicks(first, "x")  # a change enables Save and Revert, which Tab then reaches
    visited = []
    for _ in range(len(DOCUMENTED) + 2):
        focused = QApplication.focusWidget()
        assert focused is not None
        visited.append(focused.objectName())
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert visited == [*DOCUMENTED, "saveButton", "revertButton"]


def test_the_context_menu_reverts_a_field(qtbot: QtBot, window: MainWindow) -> None:
    window.open_customer(window.customers.customer_at(0))
    phone = window.editor.fields["phone"]
    assert isinstance(phone, QLineEdit)
    original = phone.text()
    phone.setFocus()
    qtbot.keyClicks(phone, "99")
    assert window.editor.rows["phone"].dirty

    menu = window.editor.keys.context_menu("phone")
    [revert] = [a for a in menu.actions() if a.text() == "Revert field"]
    assert revert.isEnabled()
    revert.trigger()
    menu.deleteLater()
    assert phone.text() == original and not window.editor.rows["phone"].dirty


def test_escape_reverts_a_changed_field_then_returns_to_the_list_keeping_the_draft(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_customer(window.customers.customer_at(0))
    first = window.editor.fields["firstName"]
    company = window.editor.fields["company"]
    assert isinstance(first, QLineEdit) and isinstance(company, QLineEdit)
    company.setFocus()
    qtbot.keyClicks(company, "Kept")
    first.setFocus()
    qtbot.keyClicks(first, "x")

    qtbot.keyClick(first, Qt.Key.Key_Escape)  # first Escape: the field goes back
    assert not window.editor.rows["firstName"].dirty
    assert QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Escape)  # second: back to the list
    assert QApplication.focusWidget() is window.list.table
    assert window.editor.rows["company"].dirty, "the draft is kept"
