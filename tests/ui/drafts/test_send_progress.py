"""Many queued saves (as an import queues them): the status line counts them out, Ctrl+.
with the cursor in a text field stops the sending and keeps the rest queued, F9 sends it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Draft, DraftState, Store
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT
from tests.ui.conftest import WindowFactory

SAVES = 40
CTRL = Qt.KeyboardModifier.ControlModifier


def queue_saves(window: MainWindow, store: Store, sandbox: SandboxServer) -> ConnectionKey:
    """What the import side does: drafts and outbox entries through the store."""
    here = ConnectionKey(sandbox.base_url, TENANT)
    for row in range(SAVES):
        customer = window.customers.customer_at(row)
        store.save_draft(Draft.of(here, customer, {"company": f"Imported {row}"}))
        store.queue(here, customer.customer_id)
    return here


def puts(sandbox: SandboxServer) -> int:
    return sum(r.method == "PUT" for r in sandbox.requests)


def test_progress_shows_and_ctrl_period_in_a_text_field_stops_sending(
        qtbot: QtBot, window: MainWindow, store: Store, big_sandbox: SandboxServer) -> None:
    here = queue_saves(window, store, big_sandbox)
    big_sandbox.faults.latency = 0.05
    label = window.status.send_progress
    window.sync.send_now()
    qtbot.waitUntil(lambda: window.sync.progress is not None
                    and window.sync.progress.done >= 5, timeout=10000)
    assert window.action_map["stop_loading"].isEnabled()
    qtbot.waitUntil(lambda: "to go" in label.text(), timeout=5000)
    text = label.text()
    assert text.startswith("⇡ Sending: ") and " sent · " in text and " left" in text
    assert "0 conflicts · 0 failed" in text

    search = window.list.search
    search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=1000)
    qtbot.keyClick(search, Qt.Key.Key_Period, CTRL)
    qtbot.waitUntil(lambda: not window.sync.sending, timeout=10000)
    left = window.sync.pending()
    assert 0 < left < SAVES
    assert puts(big_sandbox) == SAVES - left  # the saves under way finished; no other went
    assert {d.state for d in store.outbox(here)} == {DraftState.QUEUED}
    assert label.text() == f"⏸ Sending stopped: {left:,} saves left in line (F9 sends)"
    assert search.text() == ""  # the key stopped the sending and typed nothing
    assert not window.action_map["stop_loading"].isEnabled()

    # Held: not even the server coming back (which sends the queue otherwise) sends it.
    window.sync.report_unreachable("The list could not reach the server")
    qtbot.waitUntil(lambda: window.sync.online and not window.sync.probing, timeout=5000)
    assert not window.sync.sending and window.sync.pending() == left
    assert puts(big_sandbox) == SAVES - left

    big_sandbox.faults.latency = 0
    qtbot.keyClick(search, Qt.Key.Key_F9)  # asked for: the rest goes
    qtbot.waitUntil(lambda: window.sync.pending() == 0 and not window.sync.sending,
                    timeout=10000)
    assert puts(big_sandbox) == SAVES
    assert label.text() == "" and not label.isVisible()


def test_ctrl_period_stops_the_indexing_and_the_sending_together(
        qtbot: QtBot, make_window: WindowFactory, store: Store,
        big_sandbox: SandboxServer) -> None:
    big_sandbox.faults.latency = 0.2
    window = make_window()
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.start()
    qtbot.waitUntil(lambda: window.customers.rowCount() > 0, timeout=5000)
    queue_saves(window, store, big_sandbox)
    window.sync.send_now()
    qtbot.waitUntil(lambda: window.sync.sending and window.loader.stoppable, timeout=5000)
    search = window.list.search
    search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=1000)
    qtbot.keyClick(search, Qt.Key.Key_Period, CTRL)
    assert window.loader.stopped and window.sync.held
    qtbot.waitUntil(lambda: not window.sync.sending and not window.loader.stepping,
                    timeout=10000)
    assert window.sync.pending() == SAVES - puts(big_sandbox) > 0
    assert "stopped: F5 goes on" in window.status.row_count.text()
    big_sandbox.faults.latency = 0
