"""Drafts: what is typed survives a restart and a kill -9, without a save."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.connection import Connection, sandbox_identity
from flexdesk.listing.columns import DRAFT_MARK, Column
from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.window.application import DRAFTS_FILE
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.conftest import WindowFactory
from tests.ui.helpers import fill_up, line, make_room, puts, type_into

ROOT = Path(__file__).resolve().parents[3]


def has_rows(window: MainWindow) -> bool:
    return window.customers.rowCount() > 0


def key(sandbox: SandboxServer) -> ConnectionKey:
    return ConnectionKey(sandbox.base_url, TENANT)


def test_typing_reaches_the_store_within_a_second(
    qtbot: QtBot, window: MainWindow, store: Store, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(2)
    window.open_customer(customer)
    type_into(qtbot, window, "phone", "+31 6 2222 3333")
    qtbot.waitUntil(lambda: store.get_draft(key(big_sandbox), customer.customer_id) is not None,
                    timeout=1000)
    draft = store.get_draft(key(big_sandbox), customer.customer_id)
    assert draft is not None and draft.edits == {"phone": "+31 6 2222 3333"}
    assert window.status.draft_count.text() == "✎ 1 draft"


def test_edits_survive_a_restart_and_come_back_dirty(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory
) -> None:
    customer = window.customers.customer_at(4)
    window.open_customer(customer)
    type_into(qtbot, window, "company", "Restarted B.V.")
    window.open_customer(window.customers.customer_at(5))  # moving on writes at once
    window.close()

    again = make_window()
    again.start()
    qtbot.waitUntil(lambda: again.customers.rowCount() > 0, timeout=5000)
    row = again.customers.row_of(customer.customer_id)
    assert row is not None
    assert again.customers.index(row, Column.DRAFT).data() == DRAFT_MARK
    assert again.status.draft_count.text() == "✎ 1 draft"
    again.open_customer(again.customers.customer_at(row))
    assert line(again, "company").text() == "Restarted B.V."
    assert again.editor.rows["company"].dirty and again.isWindowModified()


def test_a_save_removes_the_draft(
    qtbot: QtBot, window: MainWindow, store: Store, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(1)
    window.open_customer(customer)
    type_into(qtbot, window, "phone", "+31 6 4444 5555")
    window.keeper.flush()
    assert store.draft_count(key(big_sandbox)) == 1
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        window.editor.save()
    qtbot.waitUntil(lambda: store.draft_count(key(big_sandbox)) == 0, timeout=2000)
    assert window.status.draft_count.text() == ""


def test_a_process_killed_mid_edit_loses_nothing(
    big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        customer = api.list_customers(limit=3).customers[2]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.kill_probe", big_sandbox.base_url, str(tmp_path),
         customer.customer_id],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PROBE_TOKEN": TOKEN},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY", child.stderr
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL

    with Store.open(tmp_path / DRAFTS_FILE) as crashed:
        draft = crashed.get_draft(key(big_sandbox), customer.customer_id)
    assert draft is not None
    assert draft.edits == {"company": "Killed Mid-Edit B.V.", "billingAddress.city": "Zwolle"}


def test_steady_typing_is_on_disk_within_a_second_of_each_key(
    big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """A key every 150 ms never leaves a typing pause; killed after 2.5 s of it, the disk
    still holds what was typed up to a second before the kill."""
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        customer = api.list_customers(limit=4).customers[3]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.kill_probe", big_sandbox.base_url, str(tmp_path),
         customer.customer_id, "steady"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PROBE_TOKEN": TOKEN},
    )
    typed: list[str] = []
    try:
        assert child.stdout is not None
        while len(typed) < 17:  # 2.5 s of keys
            line = child.stdout.readline()
            assert line.startswith("TYPED "), child.stderr
            typed.append(line[len("TYPED "):].rstrip("\n"))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.communicate()

    with Store.open(tmp_path / DRAFTS_FILE) as crashed:
        draft = crashed.get_draft(key(big_sandbox), customer.customer_id)
    assert draft is not None, "nothing of 2.5 s of typing reached the disk"
    kept = draft.edits["company"]
    # Keys are 150 ms apart: those of the last second may be lost, none before them.
    assert kept in typed[-8:], (kept, typed)


def test_the_built_in_sandboxs_drafts_survive_a_restart_on_another_port(
    qtbot: QtBot, tmp_path: Path, settings: QSettings, store: Store
) -> None:
    data = tmp_path / "sandbox.sqlite3"
    typed: dict[str, str] = {}
    for run in ("first", "second"):
        # `flexdesk --sandbox` starts it on a free port each time, on the same data file.
        server = SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=30, db=data).start()
        connection = Connection(server.base_url, TENANT, TOKEN, label="sandbox",
                                identity=sandbox_identity(data))
        client = connection.open_client()
        window = MainWindow(connection, client, settings, store)
        qtbot.addWidget(window)
        try:
            window.start()
            qtbot.waitUntil(partial(has_rows, window), timeout=5000)
            customer = window.customers.customer_at(2)
            if run == "first":
                window.open_customer(customer)
                type_into(qtbot, window, "company", "Kept Across Ports B.V.")
                typed[customer.customer_id] = "Kept Across Ports B.V."
                window.close()
            else:
                assert window.status.draft_count.text() == "✎ 1 draft"
                window.open_customer(customer)
                assert line(window, "company").text() == typed[customer.customer_id]
        finally:
            window.shutdown()
            client.close()
            server.stop()


@pytest.mark.expect_log("drafts cannot be written")
def test_a_full_disk_is_one_banner_loses_nothing_and_recovers(
    qtbot: QtBot, window: MainWindow, store: Store, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(5)
    window.open_customer(customer)
    fill_up(store)
    type_into(qtbot, window, "phone", "+31 6 1212 3434")
    banner = window.status.store_banner
    qtbot.waitUntil(banner.isVisible, timeout=3000)
    assert "disk is full" in banner.text() and "stays in the form" in banner.text()
    qtbot.keyClicks(line(window, "company"), "Still typing")  # no dialog per keystroke
    qtbot.keyClick(line(window, "company"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.form.banner.text().startswith("⚠ Not saved: The disk is full")
    assert puts(big_sandbox) == []
    assert line(window, "phone").text() == "+31 6 1212 3434"

    make_room(store)
    qtbot.keyClicks(line(window, "company"), "!")
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=3000)
    draft = store.get_draft(key(big_sandbox), customer.customer_id)
    assert draft is not None and draft.edits["phone"] == "+31 6 1212 3434"
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        qtbot.keyClick(line(window, "company"), Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier)
    assert puts(big_sandbox)[-1]["phone"] == "+31 6 1212 3434"
