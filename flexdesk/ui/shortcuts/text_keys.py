"""Keys a focused text field or list box needs for itself, on any platform.

A shortcut on such a key either never fires while the cursor is in a field (the field takes
it) or takes the key away from the field (the user cannot paste, or type ż). The remapping
dialog refuses them, and the keys flexdesk ships with avoid them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

_PORTABLE = QKeySequence.SequenceFormat.PortableText
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_META = Qt.KeyboardModifier.MetaModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier

# Text editing on some platform other than (or besides) this one, from Qt's key bindings per
# platform, with the reason to show. Qt on this machine only knows its own platform's.
_ELSEWHERE: dict[str, str] = {
    **dict.fromkeys(("Shift+Ins", "Ctrl+Shift+Ins", "F18"), "text fields paste with it"),
    **dict.fromkeys(("Ctrl+Ins", "F16"), "text fields copy with it"),
    **dict.fromkeys(("Shift+Del", "Ctrl+Shift+Del", "F20"), "text fields cut with it"),
    **dict.fromkeys(("Ctrl+Backspace", "Ctrl+Del", "Alt+Backspace", "Alt+Del"),
                    "text fields delete a word with it"),
    **dict.fromkeys(("Ctrl+K", "Ctrl+U", "Ctrl+Shift+A", "Meta+K", "Meta+D", "Meta+H"),
                    "text fields on Linux or macOS edit the line with it"),
    **dict.fromkeys(("Ctrl+A", "Ctrl+C", "Ctrl+V", "Ctrl+X"),
                    "text fields select, copy, paste or cut with it"),
    **dict.fromkeys(("Ctrl+Home", "Ctrl+End", "Ctrl+Left", "Ctrl+Right", "Ctrl+Up",
                     "Ctrl+Down", "Alt+Left", "Alt+Right", "Alt+Up", "Alt+Down", "Meta+A",
                     "Meta+E", "Meta+B", "Meta+F", "Meta+N", "Meta+P", "F4"),
                    "text fields or list boxes move the cursor or open with it"),
}
UNDO_KEYS = frozenset({"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"})  # the form's undo takes these


def text_field_use(key: QKeySequence) -> str | None:
    """Why a focused field needs `key` ("text fields paste with it"), or None if it is free."""
    if key.isEmpty():
        return None
    combination = key[0]  # type: ignore[index]  # PySide6 types omit operator[]
    modifiers, code = combination.keyboardModifiers(), combination.key()
    text = QKeySequence(combination).toString(_PORTABLE)
    if text in UNDO_KEYS:
        return "text fields undo and redo with it"
    if text in _ELSEWHERE:
        return _ELSEWHERE[text]
    if modifiers & _CTRL and modifiers & _ALT and Qt.Key.Key_0 <= code <= Qt.Key.Key_Z:
        return "Ctrl+Alt is AltGr on Windows: it types letters such as ż or ł"
    function_key = Qt.Key.Key_F1 <= code <= Qt.Key.Key_F35
    if not modifiers & (_CTRL | _ALT | _META) and not function_key \
            and code != Qt.Key.Key_Escape:
        return "it types or moves the cursor in a field"
    return "text fields use it" if _line_edit_takes(combination) else None


def _line_edit_takes(combination: QKeyCombination) -> bool:
    """Ask a real line edit, as Qt asks the focused widget before any shortcut fires."""
    probe = QLineEdit()
    probe.setText("probe")
    event = QKeyEvent(QEvent.Type.ShortcutOverride, combination.key(),
                      combination.keyboardModifiers())
    event.ignore()
    probe.event(event)
    taken = event.isAccepted()
    probe.deleteLater()
    return taken
