"""Run by test_drafts.py in a child process that the test then kills with SIGKILL.

    python -m tests.ui.kill_probe BASE_URL DATA_DIR CUSTOMER_ID [steady]

Opens the real window on the sandbox at BASE_URL and opens the customer. By default it types
into two fields, prints READY once the typing pause has passed, and waits to be killed.
With `steady` it types one key into the company field every 150 ms without a pause, printing
`TYPED <text so far>` after each key, until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


STEADY_KEY_MS = 150


def main(base_url: str, data_dir: Path, customer_id: str, mode: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from flexdesk.connection import Connection
    from flexdesk.store import Store
    from flexdesk.ui.drafts.draft_keeper import WRITE_DELAY_MS
    from flexdesk.ui.window.application import DRAFTS_FILE, open_settings
    from flexdesk.ui.window.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    connection = Connection(base_url, "sandbox", os.environ["PROBE_TOKEN"])
    client = connection.open_client()
    store = Store.open(data_dir / DRAFTS_FILE)
    window = MainWindow(connection, client, open_settings(data_dir), store)
    window.show()
    window.open_customer(client.get_customer(customer_id))
    if mode == "steady":
        type_steadily(window.editor.fields["company"])
        app.exec()
        return
    for path, text in (("company", "Killed Mid-Edit B.V."), ("billingAddress.city", "Zwolle")):
        field = window.editor.fields[path]
        assert isinstance(field, QLineEdit)
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, text)

    def ready() -> None:
        print("READY", flush=True)

    # No flush and no close: only the typing pause stands between the keys and the disk.
    QTimer.singleShot(WRITE_DELAY_MS + 300, ready)
    app.exec()


def type_steadily(field: object) -> None:
    """A key every 150 ms, never pausing long enough for the typing pause to pass."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    assert isinstance(field, QLineEdit)
    field.setFocus()
    field.selectAll()
    text = "Steady Typist Holding B.V. and Partners"
    timer = QTimer(field)
    typed: list[str] = []

    def key() -> None:
        letter = text[len(typed) % len(text)]
        QTest.keyClicks(field, letter)
        typed.append(letter)
        print("TYPED", field.text(), flush=True)

    timer.timeout.connect(key)
    timer.start(STEADY_KEY_MS)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "")
