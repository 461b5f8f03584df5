"""Which columns the list shows, in which order: from the header's context menu, or by keyboard
in a dialog (View > Columns…): Space shows or hides the column in focus, Alt+U and Alt+D move
it, Return keeps the choice, Escape drops it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flexdesk.listing.columns import HEADERS, Column
from flexdesk.listing.layout import ColumnLayout, ColumnState

_COLUMN = Qt.ItemDataRole.UserRole


def header_menu(header: QHeaderView, at: QPoint) -> QMenu:
    """The header's context menu: every column, checked when shown."""
    menu = QMenu(header)
    for visual in range(header.count()):
        column = Column(header.logicalIndex(visual))
        if column is Column.DRAFT:
            continue  # the draft marker always shows
        action = menu.addAction(HEADERS[column])
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(column))
        action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
    menu.popup(header.mapToGlobal(at))
    return menu


class ColumnChooser(QDialog):
    def __init__(self, layout: ColumnLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnChooser")
        self.setWindowTitle("Columns")
        self._layout = layout
        self.columns = QListWidget(self)
        self.columns.setAccessibleName("Columns: Space shows or hides the one in focus")
        for state in layout.columns:
            if state.column is Column.DRAFT:
                continue
            item = QListWidgetItem(HEADERS[state.column], self.columns)
            item.setData(_COLUMN, int(state.column))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if state.hidden
                               else Qt.CheckState.Checked)
        self.columns.setCurrentRow(0)
        up = QPushButton("Move &up", self)
        down = QPushButton("Move &down", self)
        for button, step in ((up, -1), (down, 1)):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, s=step: self._move(s))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(up)
        side.addWidget(down)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.columns, 1)
        row.addLayout(side)
        column = QVBoxLayout(self)
        column.addLayout(row, 1)
        column.addWidget(buttons)
        self.resize(360, 480)

    def _move(self, step: int) -> None:
        row = self.columns.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.columns.count():
            return
        item = self.columns.takeItem(row)
        self.columns.insertItem(target, item)
        self.columns.setCurrentRow(target)
        self.columns.setFocus()

    def chosen(self) -> ColumnLayout:
        """The layout as chosen: this order and visibility, widths and sort as they were."""
        widths = {state.column: state.width for state in self._layout.columns}
        states = [ColumnState(Column.DRAFT, widths.get(Column.DRAFT))]
        for row in range(self.columns.count()):
            item = self.columns.item(row)
            column = Column(int(item.data(_COLUMN)))
            states.append(ColumnState(column, widths.get(column),
                                      item.checkState() != Qt.CheckState.Checked))
        return ColumnLayout(tuple(states), self._layout.sort, self._layout.descending)
