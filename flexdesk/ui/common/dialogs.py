"""The few confirmations and notes flexdesk shows, always as plain text.

QMessageBox guesses whether text is HTML; a customer named `<img src=…>` must read as
exactly that, so the text format is fixed here rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QProgressDialog, QWidget


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask Yes/No (No is the default); True for Yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """Tell something, with OK (Return or Escape close it)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def tell(parent: QWidget, title: str, text: str, then: Callable[[], object]) -> QMessageBox:
    """`inform`, without a nested event loop: `then` runs once the note is closed. For
    notes shown from inside another dialog's signal, where a blocking one is a trap."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _result: then())
    box.open()
    return box


def progress_dialog(parent: QWidget, title: str, text: str, name: str) -> QProgressDialog:
    """A window-modal progress dialog with Stop, its text plain (it names the user's files)."""
    progress = QProgressDialog(parent)
    label = QLabel(text, progress)
    label.setTextFormat(Qt.TextFormat.PlainText)
    progress.setLabel(label)
    progress.setCancelButtonText("Stop")
    progress.setObjectName(name)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    return progress


def file_dialog(parent: QWidget, title: str, start: str, formats: str, name: str, *,
                chosen: Callable[[str], object], save: bool) -> QFileDialog:
    """A Qt file dialog, deleted once closed; a full path typed there and Return will do.

    `chosen(path)` runs once the dialog is gone, not inside its accept(): a note or another
    dialog opened from there would otherwise run inside it. Saving suggests `.csv`; opening
    takes an existing file only.
    """
    dialog = QFileDialog(parent, title, start, formats)
    dialog.setObjectName(name)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda path: QTimer.singleShot(0, lambda: chosen(path)))
    dialog.open()
    return dialog
