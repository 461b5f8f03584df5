"""A colleague's change to a field I am saving: shown, chosen by keyboard, and then saved.

Every key here is a real key event sent to the widget that has focus, as a user presses it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.listing.columns import Column
from flexdesk.sandbox import SandboxServer
from flexdesk.store import DraftState
from flexdesk.ui.editor.conflict_dialog import ConflictDialog
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.helpers import line, puts, type_into

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def colleague_changes(sandbox: SandboxServer, customer: Customer,
                      changes: dict[str, Any]) -> Customer:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as colleague:
        return colleague.update_customer(customer.customer_id, changes)


def on_server(sandbox: SandboxServer, customer: Customer) -> Customer:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as api:
        return api.get_customer(customer.customer_id)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    qtbot.keyClick(focused(), key, modifier)


def back_in_the_form(qtbot: QtBot, window: MainWindow, path: str) -> None:
    """The view closed and the cursor is back in the first contested field."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor.fields[path],
                    timeout=2000)


def save_into_conflict(qtbot: QtBot, window: MainWindow) -> ConflictDialog:
    """Ctrl+S with the cursor in a field; the conflict view opens with the focus in it."""
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), ConflictDialog)
                    and focused().window() is QApplication.activeWindow(), timeout=5000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ConflictDialog)
    return dialog


def start_conflict(qtbot: QtBot, window: MainWindow, sandbox: SandboxServer, row: int, *,
                   mine: dict[str, str], theirs: dict[str, Any]) -> Customer:
    customer = window.customers.customer_at(row)
    window.open_customer(customer)
    for path, text in mine.items():
        type_into(qtbot, window, path, text)
    colleague_changes(sandbox, customer, theirs)
    sandbox.clear_requests()
    return customer


def test_keep_mine_then_save_sends_mine(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = start_conflict(qtbot, window, big_sandbox, 8, mine={"phone": "+31 6 1000 0001"},
                              theirs={"phone": "+31 6 2000 0002"})
    dialog = save_into_conflict(qtbot, window)
    assert [(r.was, r.theirs, r.mine) for r in dialog.rows] == [
        (customer.phone, "+31 6 2000 0002", "+31 6 1000 0001")]
    assert puts(big_sandbox) == []

    press(qtbot, Qt.Key.Key_Return)  # Apply is the default: "Mine" is what is shown
    back_in_the_form(qtbot, window, "phone")
    assert "Press Ctrl+S to save your choice" in window.editor.form.banner.text()
    phone = line(window, "phone")
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        press(qtbot, Qt.Key.Key_S, CTRL)
    assert puts(big_sandbox) == [{"customerId": customer.customer_id,
                                  "phone": "+31 6 1000 0001"}]
    assert on_server(big_sandbox, customer).phone == "+31 6 1000 0001"
    assert phone.text() == "+31 6 1000 0001" and not window.editor.rows["phone"].dirty


def test_the_conflict_view_is_finished_by_keyboard(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = start_conflict(
        qtbot, window, big_sandbox, 9,
        mine={"phone": "+31 6 1111 0001", "company": "Mine B.V."},
        theirs={"phone": "+31 6 2222 0002", "company": "Theirs B.V."})
    dialog = save_into_conflict(qtbot, window)
    assert [r.path for r in dialog.rows] == ["phone", "company"]
    first, second = dialog.choices["phone"], dialog.choices["company"]
    assert focused() is first.mine

    # Tab walks the rows (to the chosen button of each), then every button, then round.
    seen = []
    for _ in range(6):
        seen.append(focused())
        press(qtbot, Qt.Key.Key_Tab)
    [cancel] = [b for b in dialog.findChildren(QPushButton) if "Cancel" in b.text()]
    assert seen[:4] == [first.mine, second.mine, dialog.keep_all_mine, dialog.take_all_theirs]
    assert set(seen[4:]) == {dialog.apply_button, cancel}  # in the platform's button order
    assert focused() is first.mine

    # Up/Down (and Left/Right, and Space) flip the focused row's choice, and only its.
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is first.theirs and first.theirs.isChecked()
    press(qtbot, Qt.Key.Key_Up)
    assert focused() is first.mine and first.mine.isChecked()
    press(qtbot, Qt.Key.Key_Space)
    assert first.theirs.isChecked() and second.mine.isChecked()

    # Mnemonics choose for every row (a button pressed by its mnemonic clicks a moment later).
    press(qtbot, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(lambda: all(c.mine.isChecked() for c in dialog.choices.values()),
                    timeout=2000)
    press(qtbot, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: all(c.theirs.isChecked() for c in dialog.choices.values()),
                    timeout=2000)

    # Return applies what is shown, wherever the focus is.
    press(qtbot, Qt.Key.Key_Return)
    back_in_the_form(qtbot, window, "phone")
    assert line(window, "phone").text() == "+31 6 2222 0002"
    assert line(window, "company").text() == "Theirs B.V."
    assert not window.editor.session or not window.editor.session.is_dirty_any
    assert "Ctrl+S" not in window.editor.form.banner.text()
    assert not window.action_map["save"].isEnabled()
    assert puts(big_sandbox) == []
    assert window.keeper.stored(customer.customer_id) is None


def test_escape_cancels_and_the_next_save_asks_again_with_what_it_was(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = start_conflict(
        qtbot, window, big_sandbox, 10, mine={"phone": "+31 6 3333 0001"},
        theirs={"phone": "+31 6 4444 0002", "lastName": "Colleague-Renamed"})
    save_into_conflict(qtbot, window)
    press(qtbot, Qt.Key.Key_Escape)
    back_in_the_form(qtbot, window, "phone")

    # The colleague's other change is shown at once, in the form and in the list; mine stays.
    assert line(window, "lastName").text() == "Colleague-Renamed"
    assert not window.editor.rows["lastName"].dirty
    assert line(window, "phone").text() == "+31 6 3333 0001"
    assert window.editor.rows["phone"].dirty
    row = window.customers.row_of(customer.customer_id)
    assert row is not None
    assert window.customers.index(row, Column.PHONE).data() == "+31 6 4444 0002"
    assert "Colleague-Renamed" in window.customers.index(row, Column.NAME).data()
    banner = window.editor.form.banner.text()
    assert "Ctrl+S shows the choice again" in banner and "save your choice" not in banner
    stored = window.keeper.stored(customer.customer_id)
    assert stored is not None and stored.state is DraftState.CONFLICT

    again = save_into_conflict(qtbot, window)
    assert [(r.was, r.theirs, r.mine) for r in again.rows] == [
        (customer.phone, "+31 6 4444 0002", "+31 6 3333 0001")]
    press(qtbot, Qt.Key.Key_Escape)
    back_in_the_form(qtbot, window, "phone")
    assert puts(big_sandbox) == []
    assert on_server(big_sandbox, customer).phone == "+31 6 4444 0002"
