"""What keys and the context menu do in the form's fields, beyond typing.

- Undo and redo reach the form's undo stack (across fields), not the field's own history.
- Escape reverts the field; on an unchanged field it goes back to the list.
- Return moves to the next field when the user asked for that (off by default), except while
  a completer's list is open, where Return picks from it.
- The context menu is the field's usual one plus "Revert field".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu

from flexdesk.ui.editor.field_row import FieldWidget

_RETURN = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FieldKeys(QObject):
    revert_requested = Signal(str)  # the field's path
    leave_requested = Signal()  # Escape on an unchanged field: back to the list
    next_requested = Signal()  # Return, when it moves to the next field

    def __init__(self, fields: dict[str, FieldWidget], is_dirty: Callable[[str], bool],
                 undo_keys: Callable[[], list[QKeySequence]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fields = fields
        self._is_dirty = is_dirty
        self._undo_keys = undo_keys
        self.enter_moves_next = False  # Return in a form usually means "done", not "next"
        for path, widget in fields.items():
            widget.installEventFilter(self)
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(partial(self._show_menu, path))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        pressed = QKeySequence(event.keyCombination())
        if any(pressed == key for key in self._undo_keys()):
            # Unaccepted, the override goes on to the form's undo action, not the field.
            return kind == QEvent.Type.ShortcutOverride
        if kind != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        if self.enter_moves_next and event.key() in _RETURN and not _completing(watched):
            if isinstance(watched, QLineEdit):
                watched.editingFinished.emit()
            self.next_requested.emit()
            return True
        if event.key() == Qt.Key.Key_Escape:
            path = watched.objectName()
            if path in self._fields and self._is_dirty(path):
                self.revert_requested.emit(path)
            else:
                self.leave_requested.emit()
            return True
        return super().eventFilter(watched, event)

    def context_menu(self, path: str) -> QMenu:
        """The field's usual menu with "Revert field" added."""
        widget = self._fields[path]
        menu = widget.createStandardContextMenu() if isinstance(widget, QLineEdit) \
            else QMenu(widget)
        menu.addSeparator()
        revert = menu.addAction("Revert field", partial(self.revert_requested.emit, path))
        revert.setEnabled(self._is_dirty(path))
        return menu

    def _show_menu(self, path: str, position: QPoint) -> None:
        menu = self.context_menu(path)
        menu.exec(self._fields[path].mapToGlobal(position))
        menu.deleteLater()


def _completing(widget: QObject) -> bool:
    """True while a completer's list is open: Return then picks from it."""
    completer = widget.completer() if isinstance(widget, QLineEdit) else None
    popup = completer.popup() if completer is not None else None
    return popup is not None and popup.isVisible()
