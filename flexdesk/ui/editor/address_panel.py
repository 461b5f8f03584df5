"""One address as a group of fields; the editor shows it twice (billing and shipping), side
by side where both fit and one above the other where they do not (`AddressPair`)."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFormLayout, QGroupBox, QLineEdit, QWidget

from flexdesk.editing import CountryTerms
from flexdesk.editing.fields import (
    ADDRESS_FIELDS,
    REQUIRED_ADDRESS_FIELDS,
    address_path,
    group_label,
)
from flexdesk.listing.text import counted
from flexdesk.ui.editor.field_row import FieldRow

# Alt+letter per field: unique inside a panel, and clear of the menu bar's F, E, V, C and H.
ADDRESS_LABELS = {
    "contactName": "Contact &name",
    "company": "Compan&y",
    "streetAddress": "S&treet address",
    "buildingInfo": "&Building, floor, suite",
    "locality": "Neighbourhood, &district",
    "postalCode": "P&ostal code",
    "city": "C&ity",
    "adminArea": "State or p&rovince",
    "country": "Co&untry",
}
_MENU_LETTERS = frozenset("fevch")

MIN_CHARS = 14  # never narrower than a short city: a narrow pane scrolls instead
# Side by side only while each panel's inputs keep this many characters: a street and number
# ("Karl-Liebknecht-Straße 120") or a city ("Frankfurt am Main") reads whole.
SIDE_BY_SIDE_CHARS = 26


def change_count_title(title: str, count: int) -> str:
    if not count:
        return title
    return f"{title} — {counted(count, 'change')}"


def _letter(label: str) -> str:
    return label[label.index("&") + 1].lower()


def with_mnemonic(text: str, letter: str, taken: set[str]) -> str:
    """`text` with an Alt+letter: `letter` where the text has it (so the key stays the same
    from country to country), else its first letter still free, else `letter` in brackets."""
    lowered = text.lower()
    at = lowered.find(letter)
    if at < 0:
        free = [i for i, c in enumerate(lowered) if c.isalpha() and c not in taken]
        if not free:
            return f"{text} (&{letter.upper()})"
        at = free[0]
    return f"{text[:at]}&{text[at:]}"


class AddressPanel(QGroupBox):
    """Fields named by their API path (`billingAddress.city`), in the documented order."""

    def __init__(self, group: str, parent: QWidget | None = None) -> None:
        self._title = f"{group_label(group)} address"
        super().__init__(self._title, parent)
        self.group = group
        self.setObjectName(group)
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Labels above their fields: side by side, two panels left each input ~100 px of a
        # 1280 px window ("Frankfurt am Ma") while "Neighbourhood, district" kept its width.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name in ADDRESS_FIELDS:
            path = address_path(group, name)
            edit = QLineEdit()
            edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * MIN_CHARS)
            row = FieldRow(path, edit, ADDRESS_LABELS[name], self)
            form.addRow(row.label, row)
            self.rows[path] = row
        self.show_terms(None)

    def show_change_count(self, count: int) -> None:
        self.setTitle(change_count_title(self._title, count))

    def show_terms(self, terms: CountryTerms | None) -> None:
        """Labels in the country's words ("ZIP code", "State"), a "*" on what it requires,
        and placeholders that say what goes in; generic ones for no country or an unknown."""
        words = terms.labels if terms else {}
        # Every field's own letter stays reserved, so no word can take another field's key.
        taken = {_letter(label) for label in ADDRESS_LABELS.values()}
        for name in ADDRESS_FIELDS:
            row = self.rows[address_path(self.group, name)]
            generic = ADDRESS_LABELS[name]
            text = generic
            if name in words:
                text = with_mnemonic(words[name], _letter(generic), taken | _MENU_LETTERS)
                taken.add(_letter(text))
            required = name in REQUIRED_ADDRESS_FIELDS or bool(terms and name in terms.required)
            row.set_label_text(text + (" *" if required else ""))
            plain = text.replace("&", "").split(" (")[0]
            hints = ["required"] if required else []
            if terms and name in terms.unused:
                hints = [f"not used in {terms.country}"]
            elif terms and name in terms.examples:
                hints.append(f"e.g. {terms.examples[name]}")
            edit = row.widget
            assert isinstance(edit, QLineEdit)
            edit.setPlaceholderText(", ".join(hints))
            edit.setAccessibleName(f"{group_label(self.group)} {plain.lower()}")


class AddressPair(QWidget):
    """The billing and shipping panels: in a row while each keeps readable inputs, else in a
    column. Only the layout's direction changes, so the Tab order stays the fields' order."""

    def __init__(self, first: AddressPanel, second: AddressPanel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panels = (first, second)
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for panel in self.panels:
            panel.setParent(self)
            self._layout.addWidget(panel)

    @property
    def side_by_side(self) -> bool:
        return self._layout.direction() == QBoxLayout.Direction.LeftToRight

    def _width_for_a_row(self) -> int:
        """The width at which both panels fit in a row with readable inputs."""
        readable = self.fontMetrics().averageCharWidth() * SIDE_BY_SIDE_CHARS
        needed = 0
        for panel in self.panels:
            inner = max(max(row.minimumSizeHint().width(), row.label.minimumSizeHint().width())
                        for row in panel.rows.values())
            needed += panel.minimumSizeHint().width() - inner + max(inner, readable)
        return needed + self._layout.spacing()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        needed = self._width_for_a_row()
        width = event.size().width()
        # A margin against flip-flopping as a scroll bar comes and goes with the direction.
        row = width >= needed if not self.side_by_side else width >= needed - 24
        direction = QBoxLayout.Direction.LeftToRight if row else QBoxLayout.Direction.TopToBottom
        if direction != self._layout.direction():
            self._layout.setDirection(direction)
        super().resizeEvent(event)
