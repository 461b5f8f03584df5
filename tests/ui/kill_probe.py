"""Run by test_drafts.py in a child process that the test then kills with SIGKILL.

    python -m tests.ui.kill_probe BASE_URL DATA_DIR CUSTOMER_ID

Opens the real window on the sandbox at BASE_URL, opens the customer, types into two
fields, prints READY once the typing pause has passed, and waits to be killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main(base_url: str, data_dir: Path, customer_id: str) -> None:
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


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3])
