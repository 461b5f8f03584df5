"""Saving through the outbox: offline saves wait and go out later; a colleague's change to
the same field is never overwritten, and one to another field is merged."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.ui.editor.conflict_dialog import ConflictDialog
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.conftest import WindowFactory
from tests.ui.helpers import puts, type_into

CTRL = Qt.KeyboardModifier.ControlModifier


def colleague_changes(sandbox: SandboxServer, customer: Customer,
                      changes: dict[str, Any]) -> Customer:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as colleague:
        return colleague.update_customer(customer.customer_id, changes)


def test_a_save_while_offline_waits_and_goes_out_when_the_server_is_back(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(3)
    window.open_customer(customer)
    big_sandbox.faults.script(*[Faults.DROP] * 500)
    type_into(qtbot, window, "phone", "+31 6 7777 8888")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)

    qtbot.waitUntil(lambda: not window.sync.online, timeout=5000)
    assert window.status.connection_state.text() == "● Offline"
    assert window.status.offline_banner.isVisible()
    assert "1 queued save will go out" in window.status.offline_banner.text()
    banner = window.editor.form.banner.text()
    assert banner.startswith("Note: Offline: queued, will be sent when the server answers")
    assert "Errno" not in banner and "⚠" not in banner, "offline is normal, not an error"
    assert window.sync.pending() == 1
    # Editing goes on; a save still waiting goes out with the latest edits.
    type_into(qtbot, window, "company", "Still Typing Offline")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)  # saved again while still offline
    qtbot.waitUntil(lambda: not window.editor.saving, timeout=5000)
    assert window.editor.form.banner.text() == banner
    assert window.sync.pending() == 1
    assert puts(big_sandbox) == []

    big_sandbox.faults.reset()  # the network is back; the probe notices by itself
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        pass
    assert puts(big_sandbox) == [{"customerId": customer.customer_id,
                                  "phone": "+31 6 7777 8888",
                                  "company": "Still Typing Offline"}]
    qtbot.waitUntil(lambda: window.sync.online, timeout=5000)
    assert not window.isWindowModified()
    assert not window.status.offline_banner.isVisible()


def test_queued_saves_go_out_at_the_next_start(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer,
    make_window: WindowFactory,
) -> None:
    customer = window.customers.customer_at(6)
    window.open_customer(customer)
    big_sandbox.faults.script(*[Faults.DROP] * 500)
    type_into(qtbot, window, "company", "Sent Tomorrow B.V.")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.sync.online, timeout=5000)
    window.close()
    window.shutdown()  # this run is over: no probe of its own will send the save
    big_sandbox.faults.reset()
    assert puts(big_sandbox) == []

    again = make_window()
    again.start()
    qtbot.waitUntil(lambda: bool(puts(big_sandbox)), timeout=10000)
    assert puts(big_sandbox) == [{"customerId": customer.customer_id,
                                  "company": "Sent Tomorrow B.V."}]


def test_a_colleagues_change_to_the_same_field_is_not_overwritten(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(8)
    window.open_customer(customer)
    type_into(qtbot, window, "phone", "+31 6 1000 0001")
    colleague_changes(big_sandbox, customer, {"phone": "+31 6 2000 0002"})
    big_sandbox.clear_requests()

    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: window.editor.findChild(ConflictDialog) is not None, timeout=5000)
    assert puts(big_sandbox) == []
    dialog = window.editor.findChild(ConflictDialog)
    assert dialog is not None
    assert [(r.path, r.was, r.theirs, r.mine) for r in dialog.rows] == [
        ("phone", customer.phone, "+31 6 2000 0002", "+31 6 1000 0001")]

    dialog.choices["phone"].theirs.setChecked(True)
    dialog.accept()
    phone = window.editor.fields["phone"]
    assert isinstance(phone, QLineEdit) and phone.text() == "+31 6 2000 0002"
    assert not window.editor.rows["phone"].dirty


def test_a_colleagues_change_elsewhere_is_merged(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(9)
    window.open_customer(customer)
    type_into(qtbot, window, "phone", "+31 6 3000 0003")
    colleague_changes(big_sandbox, customer, {"company": "Colleague's Company"})
    big_sandbox.clear_requests()

    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert puts(big_sandbox) == [{"customerId": customer.customer_id,
                                  "phone": "+31 6 3000 0003"}]
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        now = api.get_customer(customer.customer_id)
    assert (now.phone, now.company) == ("+31 6 3000 0003", "Colleague's Company")
    company = window.editor.fields["company"]
    assert isinstance(company, QLineEdit) and company.text() == "Colleague's Company"


@pytest.mark.expect_log("loading customers failed")
def test_offline_the_list_and_editor_open_from_the_cache(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer,
    make_window: WindowFactory,
) -> None:
    shown = [window.customers.customer_at(r).customer_id for r in range(10)]
    window.close()
    window.shutdown()
    big_sandbox.faults.script(*[Faults.DROP] * 500)

    offline = make_window()
    with qtbot.waitActive(offline):
        offline.show()
        offline.activateWindow()
    offline.start()
    qtbot.waitUntil(lambda: offline.status.connection_state.text() == "● Offline",
                    timeout=5000)
    counts = offline.status.row_count.text()
    assert "kept on this computer since" in counts and "min old" in counts
    assert set(shown) <= {offline.customers.customer_at(r).customer_id
                          for r in range(offline.customers.rowCount())}

    customer = offline.customers.customer_at(0)
    offline.open_customer(customer)
    type_into(qtbot, offline, "company", "Typed In The Basement")
    qtbot.keyClick(offline, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: offline.sync.pending() == 1 and not offline.sync.sending,
                    timeout=5000)

    big_sandbox.faults.reset()
    qtbot.waitUntil(lambda: bool(puts(big_sandbox)), timeout=10000)
    assert puts(big_sandbox) == [{"customerId": customer.customer_id,
                                  "company": "Typed In The Basement"}]
    qtbot.waitUntil(lambda: offline.loader.cached_since is None, timeout=5000)
