"""Review changes: each change as field, old → new, and the exact JSON that Save sends."""

from __future__ import annotations

import json

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flexdesk.api.errors import ValidationFailed
from flexdesk.editing import EditSession
from flexdesk.listing.text import counted
from flexdesk.ui.common.plain import plain_label


class ReviewChangesDialog(QDialog):
    """Informational only: saving never waits for it."""

    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewChanges")
        self.setWindowTitle("Review changes")
        changes = session.describe_changes()
        self.table = QTableWidget(len(changes), 3, self)
        self.table.setHorizontalHeaderLabels(["Field", "Was", "Will be"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, change in enumerate(changes):
            for column, text in enumerate((change.label, change.old or "(empty)",
                                           change.new or "(empty)")):
                self.table.setItem(row, column, QTableWidgetItem(text))

        self.body = QPlainTextEdit(self)
        self.body.setObjectName("reviewBody")
        self.body.setReadOnly(True)
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        try:
            update = session.build_update()
        except ValidationFailed as refused:
            heading = "Not ready to save:"
            self.body.setPlainText("\n".join(f"{path}: {message}" for path, message
                                             in refused.field_errors.items()))
        else:
            heading = f"Save will send PUT /v1/customers/{session.customer_id} with:"
            self.body.setPlainText(json.dumps(update.to_body(), indent=2, ensure_ascii=False))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(counted(len(changes), "change"), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(plain_label(heading, self))  # it names the customer's ID
        layout.addWidget(self.body, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)
