"""A colleague changed what this save would write: per field, was / theirs / mine, and the
user chooses. Nothing is sent until they save again.

Made for the keyboard: each field is a row with a "Mine" / "Theirs" pair of radio buttons, so
Tab goes from row to row (to the chosen button) and on to the buttons below, the arrow keys
or Space change the choice of the row in focus, Return applies what is shown and Escape
cancels. Every value is the server's or the user's text and is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flexdesk.editing import LABELS
from flexdesk.ui.editor.save_flow import ConflictRow

_HEADINGS = ("Field", "Was", "Theirs (on the server)", "Mine", "Keep")


def _plain(text: str, parent: QWidget, *, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


_TOGGLE_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left,
                          Qt.Key.Key_Right})


class _Choice(QWidget):
    """One row's "Mine" / "Theirs": its own button group, so rows do not exclude each other.

    With two choices, every arrow key and Space flip the row to the other one (Qt's own
    arrow handling looks for a button in the key's direction, and Up/Down found none).
    """

    def __init__(self, label: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.mine = QRadioButton("Mine", self)
        self.theirs = QRadioButton("Theirs", self)
        self.mine.setAccessibleName(f"Keep mine for {label}")
        self.theirs.setAccessibleName(f"Take theirs for {label}")
        self.mine.setChecked(True)
        self.group = QButtonGroup(self)
        self.group.addButton(self.mine)
        self.group.addButton(self.theirs)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.mine)
        row.addWidget(self.theirs)
        for button in (self.mine, self.theirs):
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in _TOGGLE_KEYS and not event.modifiers():
            other = self.theirs if watched is self.mine else self.mine
            other.setChecked(True)
            other.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)

    @property
    def keeps_mine(self) -> bool:
        return self.mine.isChecked()


class ConflictDialog(QDialog):
    def __init__(self, name: str, rows: Sequence[ConflictRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictView")
        self.setWindowTitle("Changed by someone else")
        self.rows = tuple(rows)
        intro = _plain(
            f"Since you opened {name}, someone changed the fields below. Your save was not "
            "sent. Choose what to keep for each (arrow keys or Space), then save again.", self)

        table = QWidget(self)
        grid = QGridLayout(table)
        for column, heading in enumerate(_HEADINGS):
            grid.addWidget(_plain(heading, table, bold=True), 0, column)
        self.choices: dict[str, _Choice] = {}
        for number, row in enumerate(self.rows, start=1):
            label = LABELS.get(row.path, row.path)
            for column, text in enumerate((label, row.was, row.theirs, row.mine)):
                grid.addWidget(_plain(text or "(empty)", table), number, column)
            choice = _Choice(label, table)
            grid.addWidget(choice, number, len(_HEADINGS) - 1)
            self.choices[row.path] = choice
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(len(self.rows) + 1, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(table)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.keep_all_mine = QPushButton("Keep all &mine", self)
        self.take_all_theirs = QPushButton("Take all &theirs", self)
        self.keep_all_mine.setAutoDefault(False)
        self.take_all_theirs.setAutoDefault(False)
        self.keep_all_mine.clicked.connect(lambda: self._choose_all(mine=True))
        self.take_all_theirs.clicked.connect(lambda: self._choose_all(mine=False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert self.apply_button is not None
        self.apply_button.setDefault(True)  # Return applies the choices shown
        self.apply_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.keep_all_mine)
        bottom.addWidget(self.take_all_theirs)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.resize(760, 200 + 40 * min(len(self.rows), 8))
        first = next(iter(self.choices.values()), None)
        if first is not None:
            first.mine.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose_all(self, *, mine: bool) -> None:
        for choice in self.choices.values():
            (choice.mine if mine else choice.theirs).setChecked(True)

    def taken_from_them(self) -> list[str]:
        return [path for path, choice in self.choices.items() if not choice.keeps_mine]

    def chosen_values(self) -> dict[str, str]:
        """Each field's value as chosen: mine where kept, theirs where taken."""
        return {row.path: row.mine if self.choices[row.path].keeps_mine else row.theirs
                for row in self.rows}
