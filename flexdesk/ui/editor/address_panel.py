"""One address as a group of fields; the editor shows it twice (billing and shipping)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QWidget

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


MIN_CHARS = 14


def change_count_title(title: str, count: int) -> str:
    if not count:
        return title
    return f"{title} — {counted(count, 'change')}"


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
            # Never narrower than a short city: a narrow pane scrolls instead.
            edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * MIN_CHARS)
            text = ADDRESS_LABELS[name]
            if name in REQUIRED_ADDRESS_FIELDS:
                text += " *"
                edit.setPlaceholderText("required")
            plain = text.replace("&", "").rstrip(" *").lower()
            edit.setAccessibleName(f"{group_label(group)} {plain}")
            row = FieldRow(path, edit, text, self)
            form.addRow(row.label, row)
            self.rows[path] = row

    def show_change_count(self, count: int) -> None:
        self.setTitle(change_count_title(self._title, count))
