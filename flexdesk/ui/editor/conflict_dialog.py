"""A colleague changed what this save would write: per field, base / theirs / mine, and the
user chooses. Nothing is sent until they save again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flexdesk.api.models import Customer
from flexdesk.editing import LABELS, EditSession, values_from_customer

MINE, THEIRS = "Keep mine", "Take theirs"


class ConflictDialog(QDialog):
    def __init__(self, session: EditSession, server_now: Customer, paths: tuple[str, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictView")
        self.setWindowTitle("Changed by someone else")
        self.paths = paths
        theirs = values_from_customer(server_now)
        intro = QLabel(
            f"Since you opened {session.base.display_name}, someone changed the fields below. "
            "Your save was not sent. Choose what to keep for each, then save again.", self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)  # the name is the server's text
        self.table = QTableWidget(len(paths), 5, self)
        self.table.setHorizontalHeaderLabels(["Field", "Was", "Theirs", "Mine", "Keep"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.choices: dict[str, QComboBox] = {}
        for row, path in enumerate(paths):
            cells = (LABELS.get(path, path), session.original(path), theirs[path],
                     session.value(path))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text or "(empty)")
                self.table.setItem(row, column, item)
            choice = QComboBox(self.table)
            choice.addItems([MINE, THEIRS])
            choice.setAccessibleName(f"Keep for {LABELS.get(path, path)}")
            self.table.setCellWidget(row, 4, choice)
            self.choices[path] = choice
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        apply = buttons.button(QDialogButtonBox.StandardButton.Apply)
        if apply is not None:
            apply.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 360)

    def taken_from_them(self) -> list[str]:
        return [path for path, choice in self.choices.items() if choice.currentText() == THEIRS]
