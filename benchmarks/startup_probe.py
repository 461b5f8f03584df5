"""Started in a fresh process by `benchmarks.startup`; prints the monotonic time it was ready.

    python -m benchmarks.startup_probe bare
    python -m benchmarks.startup_probe stack BASE_URL
    python -m benchmarks.startup_probe shown BASE_URL DATA_DIR
    python -m benchmarks.startup_probe cached BASE_URL DATA_DIR
    python -m benchmarks.startup_probe flexdesk BASE_URL DATA_DIR

`bare`: a PySide6 QMainWindow shown and painted. `stack`: the same, plus flexdesk's API client
fetching the first page (the least a populated window can cost with httpx and pydantic).
The other three start flexdesk's main window as `flexdesk.ui.window.application.run` does
(`open_window`: shown, the copy on this computer read, connected to the sandbox at BASE_URL
after the first paint) and stop at: `shown`, the window's first paint; `cached`, the first
paint of the list holding rows of the copy in DATA_DIR (a second start); `flexdesk`, the first
paint of the list holding the sandbox's first page (a first start: DATA_DIR is empty). The
parent subtracts the moment it spawned this process, so interpreter start-up and every import
count. Imports stay inside the functions so that no mode pays for another's.
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


def _paint_flag(widget: QWidget, holding: Callable[[], bool] = lambda: True) -> list[bool]:
    """A list that gets an item once `widget` has been painted while `holding()`."""
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted and holding():
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


def flexdesk(base_url: str, data_dir: Path, until: str) -> float:
    """The app's start until `until`: "shown", "rows" (from the copy or the server)."""
    from contextlib import ExitStack

    from flexdesk.connection import Connection
    from flexdesk.store import Store
    from flexdesk.ui.window.application import DRAFTS_FILE, application, open_settings, open_window

    install_message_handler()
    app = application(sys.argv[:1], icon=False)  # as `run`: the window sets it later
    connection = Connection(base_url, TENANT, TOKEN, label="sandbox")
    with ExitStack() as clients, Store.open(data_dir / DRAFTS_FILE) as store:
        window = open_window(connection, open_settings(data_dir), store, clients)
        if until == "shown":
            painted = _paint_flag(window)
        else:
            painted = _paint_flag(window.list.table.viewport(),
                                  lambda: window.customers.rowCount() > 0)
        _spin(app, lambda: bool(painted))
        ready = time.monotonic()
        window.close()
        window.shutdown()
    return ready


def main(argv: list[str]) -> int:
    match argv:
        case ["bare"]:
            ready = bare()
        case ["stack", base_url]:
            ready = stack(base_url)
        case ["shown", base_url, data_dir]:
            ready = flexdesk(base_url, Path(data_dir), "shown")
        case ["cached" | "flexdesk", base_url, data_dir]:
            ready = flexdesk(base_url, Path(data_dir), "rows")
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    print(repr(ready))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
