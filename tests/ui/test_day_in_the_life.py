"""A working day in miniature, keys only; the sandbox says what was really sent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from flexdesk.sandbox import SandboxServer
from flexdesk.ui.window.main_window import MainWindow
from tests.ui.helpers import puts

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE,
          times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(focused(), key, modifiers)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def reactivate(qtbot: QtBot, window: MainWindow) -> None:
    """Offscreen there is no window manager to hand activation back from a closed popup."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()




def test_search_edit_copy_save_next_undo_save(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    # A Dutch billing address (moved to Rotterdam, its postal code still fits the country)
    # and none for shipping: the copy is then the billing address, field for field.
    target = next(c for c in (window.customers.customer_at(r) for r in range(5, 60))
                  if c.last_billing_address is not None and c.last_shipping_address is None
                  and c.last_billing_address.country == "Netherlands")
    big_sandbox.clear_requests()

    press(qtbot, Qt.Key.Key_F, CTRL)
    type_text(qtbot, target.email)
    press(qtbot, Qt.Key.Key_Return)
    assert focused().objectName() == "firstName"

    press(qtbot, Qt.Key.Key_Tab, times=3)
    assert focused().objectName() == "phone"
    type_text(qtbot, "+31 10 555 0199")
    press(qtbot, Qt.Key.Key_Tab, times=10)
    assert focused().objectName() == "billingAddress.city"
    type_text(qtbot, "Rotterdam")
    press(qtbot, Qt.Key.Key_Tab, times=2)
    assert focused().objectName() == "billingAddress.country"
    type_text(qtbot, "netherl")
    popup = window.editor.fields["billingAddress.country"].completer().popup()  # type: ignore[union-attr]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    reactivate(qtbot, window)
    assert focused().objectName() == "billingAddress.country"
    press(qtbot, Qt.Key.Key_B, CTRL | SHIFT)
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        press(qtbot, Qt.Key.Key_S, CTRL)

    reactivate(qtbot, window)
    [first_save] = puts(big_sandbox)
    assert first_save["phone"] == "+31 10 555 0199"
    billing = first_save["billingAddress"]
    assert (billing["city"], billing["country"]) == ("Rotterdam", "Netherlands")
    assert first_save["shippingAddress"] == billing
    assert set(first_save) == {"customerId", "phone", "billingAddress", "shippingAddress"}

    # The search still shows only this customer; clear it so "next" has somewhere to go.
    window.list.search.clear()
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    following = window.editor.customer
    assert following is not None and following.customer_id != target.customer_id
    assert focused().objectName() == "firstName"
    type_text(qtbot, "Maria")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Vos")
    press(qtbot, Qt.Key.Key_Z, CTRL)  # the last name goes back; the first name stays
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        press(qtbot, Qt.Key.Key_S, CTRL)

    assert puts(big_sandbox)[1] == {"customerId": following.customer_id, "firstName": "Maria"}
