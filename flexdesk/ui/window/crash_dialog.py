"""Unexpected errors: a dialog with copyable details instead of a silent exit.

Edits are safe in the form (and, with the drafts store, on disk); the app keeps running.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flexdesk import __version__
from flexdesk.logs import redact
from flexdesk.ui.common.plain import plain_label

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


class CrashDialog(QDialog):
    def __init__(self, details: str, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("flexdesk hit an unexpected error")
        intro = QLabel(
            "Something went wrong inside flexdesk. Your edits are still in the form; you can "
            "keep working. Please send these details to your IT contact.", self)
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(details, self)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        where = plain_label(f"The log is at {log_path}", self)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("&Copy details", self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_details(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.details.toPlainText())


def install_crash_dialog(parent: Callable[[], QWidget | None], log_path: Path,
                         secrets: list[str]) -> ExceptHook:
    """Route uncaught exceptions (PySide hands those from slots here too) to the dialog."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, trace)
            return
        text = "".join(traceback.format_exception(kind, error, trace))
        details = redact(f"flexdesk {__version__}\n{text}", secrets)
        log.error("unexpected error\n%s", details)
        dialog = CrashDialog(details, log_path, parent())
        dialog.setModal(True)
        dialog.show()

    sys.excepthook = hook
    return previous
