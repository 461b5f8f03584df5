"""Server and user text on screen is always plain text.

Qt draws a label, a tooltip or a message box as rich text whenever the text looks like markup,
and a record is text that anyone with an account can write: a company named
`<img src='/dev/zero' width=300>` once froze the window and ate memory from a tooltip. Labels
are given `Qt.TextFormat.PlainText`; tooltips, which have no format of their own, go through
`tooltip()`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QWidget


def tooltip(text: str) -> str:
    """`text` as a tooltip that shows it exactly, markup and all (escaped, not obeyed)."""
    return GuiQt.convertFromPlainText(text) if text else ""


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that never reads its text as markup."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
