"""Make the README's pictures from the real window, driven on the sandbox.

    python scripts/screenshots.py [--out docs/images]

Runs on any Qt platform: under Xvfb (`xvfb-run python scripts/screenshots.py`) or with no
display at all (it falls back to the offscreen platform). Each picture is the window as
rendered, with any dialog drawn where it sits on top. Nothing here sleeps: it waits for the
state it needs while the event loop runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QEventLoop, QPoint
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from flexdesk.api.client import FlexPortalClient
from flexdesk.app import SANDBOX_TENANT, SANDBOX_TOKEN
from flexdesk.connection import Connection
from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.store import Store
from flexdesk.ui.editor.conflict_dialog import ConflictDialog
from flexdesk.ui.window.application import DRAFTS_FILE, open_settings
from flexdesk.ui.window.main_window import MainWindow

TENANT, TOKEN = SANDBOX_TENANT, SANDBOX_TOKEN
WIDTH, HEIGHT = 1280, 800


def wait_until(app: QApplication, done: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the state to picture")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def type_into(window: MainWindow, path: str, text: str) -> None:
    field = window.editor.fields[path]
    assert isinstance(field, QLineEdit)
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)


def save(window: MainWindow, out: Path, name: str, on_top: QWidget | None = None) -> Path:
    picture = window.grab()
    if on_top is not None:
        painter = QPainter(picture)
        where = on_top.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
        painter.drawPixmap(where, on_top.grab())
        painter.end()
    path = out / f"{name}.png"
    picture.save(str(path))  # the format follows the .png suffix
    print(f"{path} ({path.stat().st_size // 1024} KB)")
    return path


def picture_import_review(app: QApplication, window: MainWindow, out: Path,
                          changes: Path) -> None:
    """4. A spreadsheet of changes, reviewed before anything is sent."""
    rows = [window.customers.customer_at(row) for row in range(10, 16)]
    changes.write_text("customerId;Phone;City;Notes\n" + "".join(
        f"{c.customer_id};+31 6 {5000 + n:04d} 0000;"
        f"{c.last_billing_address.city if c.last_billing_address else ''};\n"
        for n, c in enumerate(rows[:4]))
        + f"{rows[4].customer_id};;;\n{rows[5].customer_id};;Zwolle;call\n"
        "cust_unknown;;;\n", encoding="utf-8-sig")
    window.importer.read(str(changes))
    wait_until(app, lambda: window.importer.review_dialog is not None)
    review = window.importer.review_dialog
    assert review is not None
    review.move(window.mapToGlobal(QPoint(190, 120)))
    app.processEvents()
    save(window, out, "import-review", on_top=review)
    review.reject()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=500, seed=1) as sandbox, \
            tempfile.TemporaryDirectory() as data, \
            Store.open(Path(data) / DRAFTS_FILE) as store:
        sandbox.start()
        connection = Connection(sandbox.base_url, TENANT, TOKEN, label="sandbox")
        with connection.open_client() as client, \
                FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as colleague:
            window = MainWindow(connection, client, open_settings(Path(data)), store)
            window.sync.first_probe_ms = 60_000  # stay offline while the picture is taken
            window.resize(WIDTH, HEIGHT)
            window.show()
            window.start()
            wait_until(app, lambda: window.customers.rowCount() > 0 and not window.loader.loading)

            # 1. The list searched, a customer open, two fields changed.
            window.list.search.setText("jansen")
            window.open_customer(window.list.selected_customer() or window.list.step(1)
                                 or window.customers.customer_at(0))
            type_into(window, "phone", "+31 6 2468 1357")
            type_into(window, "billingAddress.city", "Utrecht")
            app.processEvents()
            save(window, out, "editor")

            # 2. Offline: the save waits in the outbox; the banner and drafts panel say so.
            sandbox.faults.script(*[Faults.DROP] * 1000)
            window.editor.save()
            wait_until(app, lambda: not window.sync.online and not window.sync.sending)
            window.drafts_dock.show()
            app.processEvents()
            save(window, out, "offline")

            # 3. A colleague changed the same field: the conflict view.
            sandbox.faults.reset()
            window.sync.send_now()
            wait_until(app, lambda: window.sync.pending() == 0 and not window.sync.sending)
            window.drafts_dock.hide()
            window.list.search.setText("")
            other = window.customers.customer_at(3)
            window.open_customer(other)
            type_into(window, "phone", "+31 6 1111 0000")
            colleague.update_customer(other.customer_id, {"phone": "+31 6 9999 0000"})
            window.editor.save()
            wait_until(app, lambda: window.editor.findChild(ConflictDialog) is not None)
            dialog = window.editor.findChild(ConflictDialog)
            assert dialog is not None
            app.processEvents()
            save(window, out, "conflict", on_top=dialog)
            dialog.reject()

            picture_import_review(app, window, out, Path(data) / "changes.csv")
            window.shutdown()
            window.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    main(parser.parse_args().out)
