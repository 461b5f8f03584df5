"""What the editor says about a save is what the server received, however saves overlap.

Every save goes through a slow server (each request waits), so a second Ctrl+S, more typing
or an F9 run of other drafts happens while the first save is on its way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.editing import EditSession
from flexdesk.sandbox import SandboxServer
from flexdesk.sandbox.faults import Fault
from flexdesk.store import ConnectionKey, Draft, Store
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.helpers import line, puts

CTRL = Qt.KeyboardModifier.ControlModifier
SLOW = 0.2  # seconds every request waits in the sandbox


class Said:
    """Everything the editor tells the user: status messages and the banner, in order."""

    def __init__(self, window: MainWindow) -> None:
        self.lines: list[str] = []
        window.editor.message.connect(self.lines.append)
        banner = window.editor.form.banner
        original = banner.setText

        def record(text: str) -> None:
            if text:
                self.lines.append(text)
            original(text)

        banner.setText = record  # type: ignore[method-assign]

    def not_sent(self) -> list[str]:
        return [line for line in self.lines if "not sent" in line.lower()
                or "not saved" in line.lower()]


def phone_on_server(sandbox: SandboxServer, customer_id: str) -> str | None:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as api:
        return api.get_customer(customer_id).phone


def test_a_second_save_during_the_first_is_sent_and_reported_as_saved(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(2)
    window.open_customer(customer)
    said = Said(window)
    phone = line(window, "phone")
    phone.setFocus()
    phone.selectAll()
    big_sandbox.faults.latency = SLOW
    qtbot.keyClicks(phone, "+31 6 5555 0001")
    mark = len(big_sandbox.requests)
    qtbot.keyClick(phone, Qt.Key.Key_S, CTRL)
    # The save's own read of the customer (the copy of the tenant may be reading pages too).
    qtbot.waitUntil(lambda: any(r.method == "GET" and r.path.endswith(customer.customer_id)
                                for r in big_sandbox.requests[mark:]), timeout=5000)
    qtbot.keyClicks(phone, "9")  # while the first save is on its way
    qtbot.keyClick(phone, Qt.Key.Key_S, CTRL)
    assert window.editor.form.saving.text() == "Saving…"

    qtbot.waitUntil(lambda: not window.editor.saving, timeout=10000)
    assert said.not_sent() == []
    assert said.lines[-1] == f"Saved {customer.display_name}"
    assert window.editor.form.saving.text() == ""
    assert phone_on_server(big_sandbox, customer.customer_id) == "+31 6 5555 00019"
    assert phone.text() == "+31 6 5555 00019" and not window.editor.rows["phone"].dirty
    assert window.keeper.stored(customer.customer_id) is None


def test_three_quick_saves_end_with_the_last_value_saved(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(3)
    window.open_customer(customer)
    said = Said(window)
    company = line(window, "company")
    company.setFocus()
    company.selectAll()
    big_sandbox.faults.latency = SLOW
    for part in ("Quick", " Three", " B.V."):
        qtbot.keyClicks(company, part)
        qtbot.keyClick(company, Qt.Key.Key_S, CTRL)

    qtbot.waitUntil(lambda: not window.editor.saving, timeout=10000)
    bodies = puts(big_sandbox)
    assert bodies and bodies[-1]["company"] == "Quick Three B.V.", said.lines
    assert said.not_sent() == []
    assert said.lines[-1] == f"Saved {customer.display_name}"
    assert company.text() == "Quick Three B.V." and not window.editor.rows["company"].dirty


def test_a_save_during_a_background_run_of_other_drafts_is_reported_truthfully(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store
) -> None:
    connection = ConnectionKey(big_sandbox.base_url, TENANT)
    others = [window.customers.customer_at(row) for row in (5, 6, 7, 8)]
    for number, other in enumerate(others):
        edits = EditSession(other, {"company": f"Background {number}"}).edits
        store.save_draft(Draft.of(connection, other, edits))
        store.queue(connection, other.customer_id)
    customer = window.customers.customer_at(4)
    window.open_customer(customer)
    said = Said(window)
    big_sandbox.faults.latency = SLOW
    window.action_map["send_pending"].trigger()  # F9: the four others go out, slowly
    qtbot.waitUntil(lambda: window.sync.sending, timeout=2000)

    phone = line(window, "phone")
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "+31 6 7777 0001")
    qtbot.keyClick(phone, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.editor.saving, timeout=15000)

    assert said.not_sent() == []
    assert said.lines[-1] == f"Saved {customer.display_name}"
    assert phone_on_server(big_sandbox, customer.customer_id) == "+31 6 7777 0001"
    assert not window.editor.rows["phone"].dirty
    qtbot.waitUntil(lambda: window.sync.pending() == 0, timeout=15000)
    assert sorted(b["company"] for b in puts(big_sandbox) if "company" in b) == [
        f"Background {n}" for n in range(4)]


def test_the_outcome_of_a_save_left_behind_names_its_customer(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    left, next_one = window.customers.customer_at(9), window.customers.customer_at(10)
    window.open_customer(left)
    phone = line(window, "phone")
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "+31 6 9999 0001")
    big_sandbox.faults.latency = SLOW
    big_sandbox.faults.script(404)  # the read before the PUT: deleted meanwhile
    qtbot.keyClick(phone, Qt.Key.Key_S, CTRL)
    window.open_customer(next_one)  # moving on before the answer comes
    qtbot.waitUntil(lambda: bool(window.status.notice.text()), timeout=5000)
    notice = window.status.notice.text()
    assert notice.startswith(f"{left.display_name}: Not saved: Deleted on the server")
    assert left.customer_id not in notice
    assert window.editor.form.banner.text() == ""  # the customer on screen is not concerned


def test_a_save_the_server_cannot_take_waits_for_its_next_try_and_f9_sends_it(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(11)
    window.open_customer(customer)
    phone = line(window, "phone")
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "+31 6 5030 5030")
    big_sandbox.faults.script(Fault(503, retry_after=600))  # "come back in ten minutes"
    qtbot.keyClick(phone, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.editor.saving, timeout=5000)

    banner = window.editor.form.banner.text()
    assert "Queued: the server could not take it now" in banner and "F9 sends it now" in banner
    assert "tried again at" in banner
    qtbot.waitUntil(lambda: window.status.retry_state.text() != "", timeout=2000)
    assert "next try at" in window.status.retry_state.text()
    assert window.sync.online, "the server answered: this is not offline"
    assert puts(big_sandbox) == []

    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        qtbot.keyClick(phone, Qt.Key.Key_F9)
    assert puts(big_sandbox)[-1]["phone"] == "+31 6 5030 5030"
    qtbot.waitUntil(lambda: window.status.retry_state.text() == "", timeout=2000)


def test_a_refused_key_says_what_to_do_and_f9_sends_once_it_is_fixed(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(12)
    window.open_customer(customer)
    phone = line(window, "phone")
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "+31 6 4014 0301")
    big_sandbox.faults.script(401)  # the key was revoked, for now
    qtbot.keyClick(phone, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.editor.saving, timeout=5000)
    banner = window.editor.form.banner.text()
    assert "the server refused the API key" in banner
    assert "Check the key" in banner and "F9" in banner
    assert not window.sync.probing, "a refused key is not tried again by itself"
    assert puts(big_sandbox) == []

    with qtbot.waitSignal(window.editor.saved, timeout=10000):  # the key is good again
        qtbot.keyClick(phone, Qt.Key.Key_F9)
    assert puts(big_sandbox)[-1]["phone"] == "+31 6 4014 0301"
