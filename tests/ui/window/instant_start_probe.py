"""Run by test_instant_start.py in a fresh process: the real start-up path, with the network
stack held back until the window has painted its first rows.

    python -m tests.ui.window.instant_start_probe BASE_URL DATA_DIR

`flexdesk.app.main` starts as a user starts it (`--api-url`, the key in FLEXDESK_TOKEN). Until
the main window is shown and its list has been painted holding the customers kept on this
computer (or, with none kept, saying "Loading customers…"), importing httpx, pydantic or the
API models fails: a start that needs them earlier dies of it. The first such import records
what the window showed then and lifts the block; the window closes itself once the server's
first page is in the list. The last line of output is a JSON report.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"

HELD_BACK = ("httpx", "httpcore", "pydantic", "pydantic_core", "flexdesk.api.models",
             "flexdesk.api.client")
report: dict[str, Any] = {"held_back": True}


def _quit() -> None:
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.exit(3)


class HoldBack(MetaPathFinder):
    def __init__(self, ready: Callable[[], dict[str, Any] | None]) -> None:
        self.ready = ready

    def find_spec(self, name: str, path: Any = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if report["held_back"] and name.startswith(HELD_BACK):
            state = self.ready()
            if state is None:
                report.setdefault("too_early", name)
                _quit()  # at once, rather than a crash dialog nobody closes
                raise ImportError(f"{name} imported before the first rows were painted")
            report.update(state, held_back=False, first_import=name)
        return None  # the ordinary finders do the importing


def main(base_url: str, data_dir: Path) -> int:
    finder = HoldBack(lambda: None)  # nothing is ready before the window exists
    sys.meta_path.insert(0, finder)
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QTableView

    from flexdesk.app import main as flexdesk_main
    from flexdesk.ui.window.main_window import MainWindow

    painted: list[int] = []  # the rows the list held at each paint of its table

    def window() -> MainWindow | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        return found[0] if found else None

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            main = window()
            if event.type() == QEvent.Type.Paint and main is not None and \
                    isinstance(watched.parent(), QTableView):
                painted.append(main.customers.rowCount())
            return False

    def ready() -> dict[str, Any] | None:
        main = window()
        if main is None or not main.isVisible() or not painted:
            return None
        return {"shown": True, "rows_painted": painted[-1],
                "rows": main.customers.rowCount(), "placeholder": main.list.no_match.text()
                if main.list.no_match.isVisible() else ""}

    def close_when_connected() -> None:
        main = window()
        if main is not None and main.connected and main.loader.last_loaded is not None:
            report["rows_from_server"] = main.customers.rowCount()
            main.close()

    app = QApplication(sys.argv[:1])  # flexdesk's start takes this one on
    paints = Paints(app)
    app.installEventFilter(paints)
    finder.ready = ready
    poll = QTimer(app)
    poll.timeout.connect(close_when_connected)
    poll.start(20)
    QTimer.singleShot(30_000, app, _quit)  # a start that never gets there fails, not hangs
    code = flexdesk_main(["--api-url", base_url, "--tenant", "sandbox",
                          "--data-dir", str(data_dir)])
    print(json.dumps({**report, "exit": code}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
