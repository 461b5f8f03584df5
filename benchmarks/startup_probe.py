"""Started in a fresh process by `benchmarks.startup`; prints the monotonic time it was ready.

    python -m benchmarks.startup_probe bare
    python -m benchmarks.startup_probe stack BASE_URL
    python -m benchmarks.startup_probe flexdesk BASE_URL DATA_DIR

`bare`: a PySide6 QMainWindow shown and painted. `stack`: the same, plus flexdesk's API client
fetching the first page (the least a populated window can cost with httpx and pydantic).
`flexdesk`: the app's main window, set up as
`flexdesk.ui.window.application.run` sets it up, shown, with its first page of customers from the
sandbox at BASE_URL in the model and painted. The parent subtracts the moment it spawned this
process, so interpreter start-up and every import count. Imports stay inside the functions so
that neither mode pays for the other's.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.qt import install_message_handler  # stdlib only until called

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

TENANT = TOKEN = "sandbox"


def _paint_flag(widget: QWidget) -> list[bool]:
    """A list that gets an item once `widget` has been painted."""
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(True)
            return False

    painted: list[bool] = []
    watch = Watch(widget)
    widget.installEventFilter(watch)
    return painted


def _spin(app: QApplication, done: Callable[[], bool]) -> None:
    """Let the event loop work until `done()`; blocks on events, never sleeps."""
    from PySide6.QtCore import QEventLoop

    while not done():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    app.processEvents()  # the "processed events once" after reaching the goal


def bare() -> float:
    from PySide6.QtWidgets import QApplication, QMainWindow

    install_message_handler()
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)  # the size MainWindow gives itself
    painted = _paint_flag(window)
    window.show()
    _spin(app, lambda: bool(painted))
    return time.monotonic()


def stack(base_url: str) -> float:
    """The floor any populated window has with this stack: the bare window, plus the API
    client (httpx, pydantic) fetching and parsing the first page. No flexdesk UI at all."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    from flexdesk.api.client import FlexPortalClient

    install_message_handler()
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    painted = _paint_flag(window)
    window.show()
    with FlexPortalClient(base_url, TENANT, TOKEN) as client:
        page = client.list_customers()
    _spin(app, lambda: bool(painted) and bool(page.customers))
    return time.monotonic()


def flexdesk(base_url: str, data_dir: Path) -> float:
    from PySide6.QtWidgets import QApplication

    from flexdesk import __version__
    from flexdesk.connection import Connection
    from flexdesk.store import Store
    from flexdesk.ui.common.icons import app_icon
    from flexdesk.ui.window.application import DRAFTS_FILE, open_settings
    from flexdesk.ui.window.main_window import MainWindow

    install_message_handler()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("flexdesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    connection = Connection(base_url, TENANT, TOKEN, label="sandbox")
    with connection.open_client() as client, \
            Store.open(data_dir / DRAFTS_FILE) as store:
        window = MainWindow(connection, client, open_settings(data_dir), store)
        painted = _paint_flag(window.list.table.viewport())
        window.show()
        window.start()
        _spin(app, lambda: bool(painted) and window.customers.rowCount() > 0)
        ready = time.monotonic()
        window.shutdown()
    return ready


def main(argv: list[str]) -> int:
    match argv:
        case ["bare"]:
            ready = bare()
        case ["stack", base_url]:
            ready = stack(base_url)
        case ["flexdesk", base_url, data_dir]:
            ready = flexdesk(base_url, Path(data_dir))
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    print(repr(ready))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
