"""Remapping shortcuts: a dialog of key editors, kept in the settings by action name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flexdesk.ui.shortcuts.shortcut_sheet import action_label
from flexdesk.ui.shortcuts.text_keys import UNDO_KEYS, text_field_use

PREFIX = "shortcuts/"
_PORTABLE = QKeySequence.SequenceFormat.PortableText
_NATIVE = QKeySequence.SequenceFormat.NativeText


def apply_saved_shortcuts(actions: Sequence[QAction], settings: QSettings) -> None:
    """Give each action the key the user chose for it, if any (an empty key unbinds)."""
    for action in actions:
        saved = settings.value(PREFIX + action.objectName())
        if saved is not None:
            action.setShortcut(QKeySequence(str(saved)))


def conflicts(keys: dict[str, QKeySequence]) -> list[str]:
    """Key texts bound to more than one action."""
    seen: dict[str, str] = {}
    clashes: list[str] = []
    for name, key in keys.items():
        text = key.toString(_PORTABLE)
        if text and text in seen and text not in clashes:
            clashes.append(text)
        seen.setdefault(text, name)
    return clashes


class ShortcutEditor(QDialog):
    """One row per action: its name and a key editor. Defaults are one click away.

    `defaults` holds each action's shortcuts as built; the first is the one shown and
    remapped, and going back to it brings the others (F1's Ctrl+/) back too.
    """

    def __init__(self, actions: Sequence[QAction], defaults: dict[str, list[QKeySequence]],
                 settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutEditor")
        self.setWindowTitle("Customize shortcuts")
        self._actions = [a for a in actions if a.objectName() in defaults]
        self._defaults = defaults
        self._settings = settings
        self.table = QTableWidget(len(self._actions), 2, self)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.editors: dict[str, QKeySequenceEdit] = {}
        for row, action in enumerate(self._actions):
            label = QTableWidgetItem(action_label(action))
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, label)
            editor = QKeySequenceEdit(action.shortcut(), self.table)
            editor.setClearButtonEnabled(True)
            editor.setMaximumSequenceLength(1)
            editor.setAccessibleName(f"Keys for {action_label(action)}")
            self.table.setCellWidget(row, 1, editor)
            self.editors[action.objectName()] = editor
        self.problem = QLabel(self)
        self.problem.setObjectName("shortcutProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        if restore is not None:
            restore.clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 600)

    def restore_defaults(self) -> None:
        for name, editor in self.editors.items():
            editor.setKeySequence(self._primary(name))

    def accept(self) -> None:
        keys = {name: editor.keySequence() for name, editor in self.editors.items()}
        clashes = conflicts(keys)
        if clashes:
            self.problem.setText("⚠ Used twice: " + ", ".join(clashes))
            return
        taken = self._taken_by_text_fields(keys)
        if taken:
            self.problem.setText("⚠ " + "; ".join(taken))
            return
        for action in self._actions:
            name = action.objectName()
            key = keys[name]
            if key == self._primary(name):
                action.setShortcuts(self._defaults[name])
                self._settings.remove(PREFIX + name)
            else:
                action.setShortcut(key)
                self._settings.setValue(PREFIX + name, key.toString(_PORTABLE))
        self._settings.sync()
        super().accept()

    def _taken_by_text_fields(self, keys: dict[str, QKeySequence]) -> list[str]:
        """'Ctrl+V for Save: text fields paste with it', for each key a field would swallow.
        Undo and redo may keep the keys that the form takes from the field for them."""
        problems = []
        for action in self._actions:
            key = keys[action.objectName()]
            use = text_field_use(key)
            own = action.objectName() in ("undo", "redo") and key.toString(_PORTABLE) in UNDO_KEYS
            if use and not own:
                problems.append(f"{key.toString(_NATIVE)} for {action_label(action)}: {use}")
        return problems

    def _primary(self, name: str) -> QKeySequence:
        keys = self._defaults[name]
        return keys[0] if keys else QKeySequence()
