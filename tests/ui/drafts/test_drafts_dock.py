"""The drafts panel lists drafts and queued saves with their state, opens and discards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.store import ConnectionKey, Draft, Store
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT
from tests.ui.conftest import WindowFactory
from tests.ui.helpers import type_into

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def rows(window: MainWindow) -> list[tuple[str, ...]]:
    model = window.drafts_dock.model
    return [tuple(model.index(r, c).data() for c in (0, 1, 2))
            for r in range(model.rowCount())]


def test_the_panel_shows_states_opens_and_discards(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = window.customers.customer_at(1), window.customers.customer_at(2)
    window.open_customer(first)
    type_into(qtbot, window, "company", "Draft One")
    big_sandbox.faults.script(*[Faults.DROP] * 500)
    window.open_customer(second)
    type_into(qtbot, window, "phone", "+31 6 5555 0000")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.sync.online, timeout=5000)

    qtbot.keyClick(window, Qt.Key.Key_D, CTRL | SHIFT)
    assert window.drafts_dock.isVisible()
    assert sorted(rows(window)) == sorted([
        (first.display_name, "editing", "1"), (second.display_name, "queued", "1")])

    model = window.drafts_dock.model
    row = next(r for r in range(model.rowCount())
               if model.draft_at(r).customer_id == first.customer_id)
    window.drafts_dock.table.setCurrentIndex(model.index(row, 0))
    window.drafts_dock.table.activated.emit(model.index(row, 0))
    assert window.editor.customer is not None
    assert window.editor.customer.customer_id == first.customer_id
    company = window.editor.fields["company"]
    assert isinstance(company, QLineEdit) and company.text() == "Draft One"

    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr("flexdesk.ui.common.dialogs.confirm", confirm)
    window.drafts_dock.table.setFocus()
    qtbot.keyClick(window.drafts_dock.table, Qt.Key.Key_Delete)
    assert first.display_name in asked[0]
    qtbot.waitUntil(lambda: rows(window) == [(second.display_name, "queued", "1")],
                    timeout=2000)
    assert company.text() == (first.company or "") and not window.isWindowModified()
    big_sandbox.faults.reset()


def test_a_burst_of_refreshes_rereads_the_drafts_at_most_twice(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customers = [window.customers.customer_at(r) for r in range(3)]
    key = ConnectionKey(big_sandbox.base_url, TENANT)
    window.drafts_dock.show()
    qtbot.waitUntil(window.drafts_dock.isVisible, timeout=2000)
    reads: list[int] = []
    read = store.drafts

    def counted(connection: ConnectionKey) -> list[Draft]:
        reads.append(1)
        return read(connection)

    monkeypatch.setattr(store, "drafts", counted)
    for n, customer in enumerate(customers * 100):  # as 300 results of a long outbox run
        store.save_draft(Draft.of(key, customer, {"phone": f"+31 6 0000 {n:04d}"}))
        window.drafts_dock.refresh()
    assert len(reads) <= 1
    qtbot.waitUntil(lambda: sorted(r[0] for r in rows(window))
                    == sorted(c.display_name for c in customers), timeout=2000)
    assert len(reads) <= 2


def test_a_panel_left_open_opens_with_its_drafts_at_the_next_start(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory
) -> None:
    customer = window.customers.customer_at(0)
    window.open_customer(customer)
    type_into(qtbot, window, "company", "Left Open")
    window.drafts_dock.show()
    window.close()  # keeps the draft and the layout

    again = make_window()
    with qtbot.waitExposed(again):
        again.show()
    qtbot.waitUntil(lambda: rows(again) == [(customer.display_name, "editing", "1")],
                    timeout=2000)
    assert again.drafts_dock.isVisible()
