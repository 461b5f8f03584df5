"""One form field with its label, its changed-marker and the message under it.

Changed and invalid states are shown by text and font as well as colour: a "●" after the
label, the original value in the tooltip, and "⚠" before an error message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flexdesk.editing import MAX_LENGTH
from flexdesk.ui.common.plain import tooltip

FieldWidget = QLineEdit | QComboBox

DIRTY_MARK = " ●"
LENGTH_WARNING = 20  # characters before the limit from which the count shows
ERROR_MARK = "⚠ "
_DIRTY_STYLE = "background-color: #fff6d6;"


def combo_text(widget: FieldWidget) -> str:
    """The API value a field holds (combo boxes keep it as item data)."""
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return str(data) if data is not None else widget.currentText()
    return widget.text()


class FieldRow(QWidget):
    offer_taken = Signal(str, str)  # (path, value): the user took the value offered

    def __init__(self, path: str, widget: FieldWidget, label_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.widget = widget
        widget.setObjectName(path)
        widget.setParent(self)
        self.label = QLabel(label_text, parent)
        self.label.setBuddy(widget)
        self._label_text = label_text
        self.error = QLabel(self)
        self.error.setObjectName(f"{path}.error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        # How long the value is, once it nears the limit: nothing is ever cut off silently.
        self.length = QLabel(self)
        self.length.setObjectName(f"{path}.length")
        self.length.setTextFormat(Qt.TextFormat.PlainText)
        self.length.setStyleSheet("color: #5f6368;")
        self.length.hide()
        # The value as the country writes it ("1012 JS" for "1012js"): offered, never forced.
        self.offer = QPushButton(self)
        self.offer.setObjectName(f"{path}.offer")
        self.offer.setFlat(True)
        self.offer.hide()
        self.offer.clicked.connect(self._take_offer)
        self._offered = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.error)
        offer_row = QHBoxLayout()
        offer_row.addWidget(self.offer)
        offer_row.addStretch(1)
        layout.addLayout(offer_row)
        layout.addWidget(self.length)
        self.dirty = False
        self._shown_state: tuple[bool, str] | None = None

    def value(self) -> str:
        return combo_text(self.widget)

    def show_value(self, value: str) -> None:
        """Put a value in the widget without it counting as the user's typing."""
        widget = self.widget
        blocked = widget.blockSignals(True)
        try:
            if isinstance(widget, QComboBox):
                index = widget.findData(value)
                widget.setCurrentIndex(index if index >= 0 else widget.findText(value))
            elif widget.text() != value:
                widget.setText(value)
                if not widget.hasFocus():
                    # setText leaves the cursor at the end: a long city in a narrow address
                    # field would show "…ankfurt am Main". Show its beginning instead.
                    widget.setCursorPosition(0)
        finally:
            widget.blockSignals(blocked)

    def set_label_text(self, text: str) -> None:
        """A new label (a country's word for the field: "ZIP code *"), changed-mark kept."""
        if text != self._label_text:
            self._label_text = text
            self.label.setText(text + (DIRTY_MARK if self.dirty else ""))

    def set_dirty(self, dirty: bool, original: str) -> None:
        # Called for every field on every keystroke: restyling a widget is not free, so
        # only a change of state repaints.
        if (dirty, original) == self._shown_state:
            return
        self._shown_state = (dirty, original)
        self.dirty = dirty
        font = self.label.font()
        font.setBold(dirty)
        self.label.setFont(font)
        self.label.setText(self._label_text + (DIRTY_MARK if dirty else ""))
        self.widget.setStyleSheet(_DIRTY_STYLE if dirty else "")
        was = f"was: {original}" if original else "was empty"
        self.widget.setToolTip(tooltip(f"Changed ({was})") if dirty else "")
        self.widget.setAccessibleDescription(f"changed, {was}" if dirty else "")

    def show_length(self, length: int) -> None:
        """'187 of 200 characters' near the limit; past it the field's error says why."""
        near = length >= MAX_LENGTH - LENGTH_WARNING
        if near:
            at = " (the limit)" if length == MAX_LENGTH else ""
            self.length.setText(f"{length:,} of {MAX_LENGTH} characters{at}")
        if near != self.length.isVisible():
            self.length.setVisible(near)

    def set_error(self, message: str | None) -> None:
        self.error.setText(f"{ERROR_MARK}{message}" if message else "")
        self.error.setVisible(bool(message))

    @property
    def offer_value(self) -> str:
        """The value offered now, or ""."""
        return self._offered

    def show_offer(self, value: str | None) -> None:
        """Offer `value` for the field ("Use 1012 JS"); None takes the offer back."""
        self._offered = value or ""
        # "&" would make the next letter a shortcut: doubled, it shows as itself.
        self.offer.setText(f"Use {self._offered.replace('&', '&&')}" if value else "")
        self.offer.setAccessibleName(f"Use {self._offered}, as the country writes it")
        self.offer.setToolTip(tooltip(f"The usual way to write it: {value}")
                              if value else "")
        self.offer.setVisible(bool(value))

    def _take_offer(self) -> None:
        if self._offered:
            self.offer_taken.emit(self.path, self._offered)
