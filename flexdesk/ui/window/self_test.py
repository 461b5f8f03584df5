"""`flexdesk --self-test`: the app end to end on a sandbox of its own, one line per step.

What an installed copy needs to work, checked the way a user would use it: the built-in
sandbox on a temporary data folder, the real main window (offscreen unless a platform is
chosen), its first page, a customer opened, a field typed into, Ctrl+S through the real worker
and outbox, and the sandbox asked over HTTP whether it holds the new value; last, whether
keyring finds this system's backend. A bundle that lacks a module, a plugin or a data file
fails here, on the step that needs it. The user's data folder and keyring are never touched.

`FLEXDESK_SELF_TEST_FAILURE_RATE` (0..1) makes the sandbox answer that share of requests with
500, as `flexdesk-sandbox --failure-rate` does: the failure a test provokes is a real one.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from flexdesk import __version__
from flexdesk.api.errors import FlexPortalError, user_text
from flexdesk.connection import Connection, sandbox_identity

TENANT = TOKEN = "sandbox"  # noqa: S105 - the sandbox's published demo key
CUSTOMERS = 150  # more than the first page of 100, so the list has more to fetch
FIELD = "phone"
# Two values, so that whatever the customer's phone is, the other one is a change.
NEW_VALUES = ("+31 20 555 0142", "+31 20 555 0143")
WAIT_SECONDS = 45.0  # the client's own retries give up after 30 s
FAILURE_RATE = "FLEXDESK_SELF_TEST_FAILURE_RATE"

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLineEdit


class StepFailed(Exception):
    """A step did not get what it needed; the message says what, for people."""


def run_self_test() -> int:
    """Run every step, print one line each, and return 0, or 1 at the first that fails."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a platform the user set wins
    folder = Path(tempfile.mkdtemp(prefix="flexdesk-self-test-"))
    try:
        with ExitStack() as cleanup:
            return SelfTest(folder, cleanup).run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class SelfTest:
    def __init__(self, folder: Path, cleanup: ExitStack) -> None:
        self.folder = folder
        self.cleanup = cleanup
        self.steps: list[tuple[str, Callable[[], str]]] = [
            ("start the sandbox", self.start_sandbox),
            ("open the main window", self.open_window),
            ("load the first page", self.load_first_page),
            ("open a customer", self.open_customer),
            ("change a field", self.change_field),
            ("save through the outbox", self.save),
            ("check the sandbox holds the new value", self.check_sandbox),
            ("find the system keyring", self.find_keyring),
        ]

    def run(self) -> int:
        print(f"flexdesk {__version__} self-test in {self.folder}", flush=True)
        for number, (title, step) in enumerate(self.steps, 1):
            line = f"self-test: {number}/{len(self.steps)} {title} …"
            try:
                detail = step()
            except StepFailed as failure:
                print(f"{line} failed: {failure}", flush=True)
                return 1
            except Exception:  # noqa: BLE001 - a bug or a missing part: its traceback helps
                traceback.print_exc()
                print(f"{line} failed: an unexpected error (details above)", flush=True)
                return 1
            print(f"{line} ok{f' ({detail})' if detail else ''}", flush=True)
        print("self-test: passed", flush=True)
        return 0

    # -- the steps, in order: each uses what the ones before it made ----------------------

    def start_sandbox(self) -> str:
        from flexdesk.sandbox import SandboxServer

        data_file = self.folder / "sandbox.sqlite3"
        self.sandbox = SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=CUSTOMERS,
                                     db=data_file).start()
        self.cleanup.callback(self.sandbox.stop)
        self.sandbox.faults.failure_rate = _failure_rate()
        self.connection = Connection(self.sandbox.base_url, TENANT, TOKEN, label="sandbox",
                                     identity=sandbox_identity(data_file))
        return f"{CUSTOMERS} customers at {self.sandbox.base_url}"

    def open_window(self) -> str:
        from PySide6.QtCore import qVersion

        from flexdesk.store import open_store
        from flexdesk.ui.window.application import DRAFTS_FILE, application, open_settings
        from flexdesk.ui.window.main_window import MainWindow

        self.app = application(sys.argv[:1])
        store = open_store(self.folder / DRAFTS_FILE).store
        self.cleanup.callback(store.close)
        client = self.connection.open_client()
        self.cleanup.callback(client.close)
        self.window = MainWindow(self.connection, client, open_settings(self.folder), store,
                                 log_dir=self.folder / "logs")
        self.cleanup.callback(self._close_window)
        self.window.show()
        self._wait("the window to show", self.window.isVisible)
        if self.window.windowIcon().isNull():
            raise StepFailed("the window has no icon: the app's resources are missing")
        return f"Qt {qVersion()} on the {self.app.platformName()} platform"

    def load_first_page(self) -> str:
        window = self.window
        window.start()
        self._wait("the first page", lambda: not window.loader.loading
                   and (window.customers.rowCount() > 0 or window.loader.error is not None))
        if window.loader.error is not None:
            raise StepFailed(window.loader.error)
        return f"{window.customers.rowCount()} customers in the list"

    def open_customer(self) -> str:
        window = self.window
        self.customer = window.customers.customer_at(0)
        window.open_customer(self.customer)
        session = window.editor.session
        if session is None or session.customer_id != self.customer.customer_id:
            raise StepFailed(f"the editor did not open {self.customer.display_name}")
        return self.customer.display_name

    def change_field(self) -> str:
        from PySide6.QtWidgets import QLineEdit

        editor = self.window.editor
        field = editor.fields[FIELD]
        if not isinstance(field, QLineEdit):
            raise StepFailed(f"the {FIELD} field is not a text field")
        self.value = NEW_VALUES[1] if self.customer.phone == NEW_VALUES[0] else NEW_VALUES[0]
        _type_over(field, self.value)
        session = editor.session
        if session is None or session.value(FIELD) != self.value or not session.is_dirty(FIELD):
            raise StepFailed(f"typing into {FIELD} did not change the customer")
        return f"{FIELD} typed as {self.value}"

    def save(self) -> str:
        from flexdesk.ui.editor.save_flow import SaveOutcome, SaveReport

        window = self.window
        reports: list[SaveReport] = []
        window.editor.flows.finished.connect(reports.append)
        window.action_map["save"].trigger()  # what Ctrl+S does
        self._wait("the save's answer", lambda: bool(reports))
        if reports[0].outcome is not SaveOutcome.DELIVERED:
            raise StepFailed(reports[0].text)
        self._wait("the outbox to empty",
                   lambda: not window.sync.sending and window.sync.pending() == 0)
        return reports[0].text

    def check_sandbox(self) -> str:
        with self.connection.open_client() as client:
            try:
                held = client.get_customer(self.customer.customer_id)
            except FlexPortalError as exc:
                raise StepFailed(user_text(exc)) from exc
        if held.phone != self.value:
            raise StepFailed(f"the sandbox holds {held.phone!r}, not {self.value!r}")
        return f"{FIELD} is {held.phone} on the server"

    def find_keyring(self) -> str:
        from flexdesk.credentials import keyring_in_use, system_backend_found

        if not system_backend_found(sys.platform):
            raise StepFailed("keyring cannot find this system's keyring backend: the "
                             "installation is incomplete")
        in_use = keyring_in_use()
        return in_use or "none running here: API keys are kept for one session only"

    # -- helpers -------------------------------------------------------------------------

    def _wait(self, what: str, done: Callable[[], bool]) -> None:
        """Let Qt work until `done()`; StepFailed after WAIT_SECONDS. The timer wakes the
        loop now and then, so the deadline is seen even when nothing else happens."""
        from PySide6.QtCore import QEventLoop, QTimer

        timer = QTimer()
        timer.start(50)
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while not done():
                if time.monotonic() > deadline:
                    raise StepFailed(f"no {what} within {WAIT_SECONDS:.0f} s")
                self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        finally:
            timer.stop()

    def _close_window(self) -> None:
        self.window.close()
        self.window.shutdown()


def _type_over(field: QLineEdit, text: str) -> None:
    """Select what the field holds and type `text` key by key, as a person would."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    field.setFocus()
    field.selectAll()
    for char in text:
        key = Qt.Key(ord(char.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                    char))


def _failure_rate() -> float:
    text = os.environ.get(FAILURE_RATE, "")
    try:
        rate = float(text) if text else 0.0
    except ValueError:
        raise StepFailed(f"{FAILURE_RATE} must be a number from 0 to 1, not {text!r}") from None
    if not 0 <= rate <= 1:
        raise StepFailed(f"{FAILURE_RATE} must be from 0 to 1, not {text}")
    return rate
