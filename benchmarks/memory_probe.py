"""Started in a fresh process by `benchmarks.memory`; prints resident memory as JSON.

    python -m benchmarks.memory_probe BASE_URL DATA_DIR PAGES_FILE

First the app as it stands right after start: QApplication, the main window shown and its
first page loaded from the sandbox at BASE_URL. Then every page in PAGES_FILE (one API page
body a line) parsed as the client parses pages and appended to the window's model, with the
events processed after each page, as when loading all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.qt import install_message_handler  # stdlib only until called

TENANT = TOKEN = "sandbox"


def status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # the kernel reports kB
    raise LookupError(field)


def measure(base_url: str, data_dir: Path, pages_file: Path) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from flexdesk.api.models import CustomerPage
    from flexdesk.connection import Connection
    from flexdesk.store import Store
    from flexdesk.ui.window.application import DRAFTS_FILE, open_settings
    from flexdesk.ui.window.main_window import MainWindow

    install_message_handler()
    app = QApplication(sys.argv[:1])
    connection = Connection(base_url, TENANT, TOKEN, label="sandbox")
    with connection.open_client() as client, \
            Store.open(data_dir / DRAFTS_FILE) as store:
        window = MainWindow(connection, client, open_settings(data_dir), store)
        window.show()
        window.start()
        while window.loader.loading or not window.customers.rowCount():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents()
        started = status_mb("VmRSS")
        with pages_file.open("rb") as pages:
            for raw in pages:
                window.customers.append(CustomerPage.model_validate_json(raw).customers)
                app.processEvents()
        loaded = status_mb("VmRSS")
        rows = window.customers.rowCount()
        window.shutdown()
    return {"started_mb": started, "loaded_mb": loaded, "peak_mb": status_mb("VmHWM"),
            "rows": rows}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, data_dir, pages_file = argv
    print(json.dumps(measure(base_url, Path(data_dir), Path(pages_file))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
