"""Undoable field edits. Typing in one field merges into one step, as in a text editor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from flexdesk.editing.fields import LABELS

Apply = Callable[[str, str], None]  # (path, value): store in the session and show it

_SET_FIELD_ID = 1001


class SetFieldCommand(QUndoCommand):
    def __init__(self, apply: Apply, path: str, old: str, new: str, *, typing: bool = True,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(f"change {LABELS.get(path, path)}", parent)
        self._apply = apply
        self.path = path
        self.old = old
        self.new = new
        self._typing = typing

    def id(self) -> int:
        # Only keystrokes merge; a revert or a paste of a whole address stays its own step.
        return _SET_FIELD_ID if self._typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, SetFieldCommand) or other.path != self.path:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self._apply(self.path, self.new)

    def undo(self) -> None:
        self._apply(self.path, self.old)
