"""The one QApplication of the benchmark process, Qt's warnings, and waiting without sleeping.

Qt is imported inside functions: `python -m benchmarks --help` needs no display, and the
platform must be chosen (QT_QPA_PLATFORM) before the first Qt import anyway.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtWidgets import QApplication

# Every Qt warning (or worse) seen in this process: a benchmark that provokes one is wrong.
qt_warnings: list[str] = []
# Held here: a QApplication that Python drops is destroyed, and every widget with it.
_app: list[QApplication] = []
# The offscreen platform plugin lacks this one window-manager call and says so whenever a
# shown window's minimum size changes (a status bar label growing is enough); every desktop
# platform implements it. It says nothing about flexdesk, so it alone is not counted.
OFFSCREEN_ONLY = frozenset({"This plugin does not support propagateSizeHints()"})


def use_offscreen() -> None:
    """Headless unless the caller chose a platform; must run before Qt is imported."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _on_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    from PySide6.QtCore import QtMsgType

    if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
        return
    if message in OFFSCREEN_ONLY and os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return
    qt_warnings.append(message)
    print(f"Qt: {message}", file=sys.stderr)


def install_message_handler() -> None:
    """Route Qt's messages through `_on_message`; before the QApplication is made."""
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_on_message)


def application() -> QApplication:
    """The QApplication, made on first use with a handler that records Qt's warnings."""
    use_offscreen()
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    install_message_handler()
    _app.append(QApplication([sys.argv[0]]))
    return _app[0]


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run the event loop, as `app.exec()` would, until `condition()` holds.

    No sleeping: a 5 ms timer looks at the condition; TimeoutError after `timeout` seconds.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    application()
    if condition():
        return
    loop = QEventLoop()
    expired: list[bool] = []

    def check() -> None:
        if condition():
            loop.quit()

    def expire() -> None:
        expired.append(True)
        loop.quit()

    checker = QTimer()
    checker.timeout.connect(check)
    checker.start(5)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(expire)
    deadline.start(round(timeout * 1000))
    loop.exec()
    checker.stop()
    deadline.stop()
    if expired:
        raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {condition}")


def run_loop_for(seconds: float) -> None:
    """Run the event loop (timers, painting, queued signals) for `seconds`."""
    from PySide6.QtCore import QEventLoop, QTimer

    application()
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()
