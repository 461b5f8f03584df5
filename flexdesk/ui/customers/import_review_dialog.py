"""The review of an import: every row of the file, what it would change, and what it will not.

Keyboard first: the rows have the focus (arrows walk them, a change's fields are listed under
it), Return is the default button, *Queue N changes*, and Escape cancels with nothing queued.
Rows that cannot be sent can be saved as a file of their own with a reason column, to fix
and import again. Everything shown is plain text: a cell is never read as markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flexdesk.listing.import_review import ImportReview, ReviewedRow, RowState

EMPTY = "(empty)"
# What will not be sent stands out; what will, reads plainly.
_MARKED = {RowState.ERROR: QBrush(QColor("#b00020")), RowState.UNKNOWN: QBrush(QColor("#b00020")),
           RowState.NO_CHANGE: QBrush(QColor("#6b6b6b"))}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def counts_text(review: ImportReview) -> str:
    parts = [_plural(review.count(RowState.CHANGE), "change", "changes"),
             f"{review.count(RowState.NO_CHANGE):,} no change",
             _plural(review.count(RowState.ERROR), "error", "errors"),
             _plural(review.count(RowState.UNKNOWN), "unknown customer", "unknown customers")]
    return " · ".join(parts)


def columns_text(review: ImportReview) -> str:
    """What of the header row is not imported, said once above the rows."""
    notes = []
    if review.columns.unknown:
        names = ", ".join(f"“{name}”" for name in review.columns.unknown)
        notes.append(f"Unknown columns, not imported: {names}.")
    if review.columns.ignored:
        names = ", ".join(f"“{name}”" for name in review.columns.ignored)
        notes.append(f"Read-only columns, left as they are: {names}.")
    return " ".join(notes)


class ImportReviewDialog(QDialog):
    save_rejected = Signal()  # the user wants the rejected rows as a file

    def __init__(self, review: ImportReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReview")
        self.setWindowTitle(f"Import changes from {review.file_name}")
        self.review = review
        layout = QVBoxLayout(self)
        self.counts = self._label(counts_text(review), "importCounts")
        self.counts.setStyleSheet("font-weight: bold")
        layout.addWidget(self.counts)
        notes = columns_text(review)
        if notes:
            layout.addWidget(self._label(notes, "importColumns"))
        self.rows = self._build_rows(review)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self._label(
            "Nothing is sent yet. Each change is saved like a typed one: checked against the "
            "server first, so a colleague's newer change to the same field becomes a conflict "
            "in the drafts panel.", "importHint"))
        self.buttons = self._build_buttons(review)
        layout.addWidget(self.buttons)
        self.resize(900, 560)
        self.rows.setFocus()

    def _label(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def _build_rows(self, review: ImportReview) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("importRows")
        tree.setHeaderLabels(["Row", "Customer", "State", "What"])
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        for row in review.rows:
            tree.addTopLevelItem(self._item(row))
        tree.expandAll()
        for column, width in enumerate((60, 220, 130)):
            tree.setColumnWidth(column, width)
        first = tree.topLevelItem(0)
        if first is not None:
            tree.setCurrentItem(first)
        return tree

    @staticmethod
    def _item(row: ReviewedRow) -> QTreeWidgetItem:
        if row.state is RowState.CHANGE:
            summary = ", ".join(change.label for change in row.changes)
            details = [(change.label, f"{change.old or EMPTY} → {change.new or EMPTY}")
                       for change in row.changes]
        elif row.state is RowState.NO_CHANGE:
            summary, details = "same as now: not sent", []
        else:
            summary = row.reason
            details = [(what, why) for what, why in row.problems if what] \
                if len(row.problems) > 1 else []
        item = QTreeWidgetItem([str(row.line), row.name, str(row.state), summary])
        if row.state in _MARKED:
            item.setForeground(2, _MARKED[row.state])
        for what, text in details:
            item.addChild(QTreeWidgetItem(["", what, "", text]))
        return item

    def _build_buttons(self, review: ImportReview) -> QDialogButtonBox:
        buttons = QDialogButtonBox(self)
        changes = review.count(RowState.CHANGE)
        self.queue_button: QPushButton | None = None
        if changes:
            self.queue_button = buttons.addButton(
                f"&Queue {_plural(changes, 'change', 'changes')}",
                QDialogButtonBox.ButtonRole.AcceptRole)
            self.queue_button.setObjectName("queueChanges")
            self.queue_button.setDefault(True)
        rejected = len(review.rejected())
        self.rejected_button = buttons.addButton(
            f"&Save {_plural(rejected, 'rejected row', 'rejected rows')}…",
            QDialogButtonBox.ButtonRole.ActionRole)
        self.rejected_button.setObjectName("saveRejected")
        self.rejected_button.setEnabled(bool(rejected))
        self.rejected_button.setAutoDefault(False)
        self.rejected_button.clicked.connect(self.save_rejected)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Cancel if changes
                                  else QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        if not changes:
            close.setDefault(True)  # nothing to queue: Return just closes
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons
