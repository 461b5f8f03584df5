"""One address as a group of fields; the editor shows it twice (billing and shipping)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from flexdesk.editing.fields import (
    ADDRESS_FIELDS,
    REQUIRED_ADDRESS_FIELDS,
    address_path,
    group_label,
)

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
MAX_LENGTH = 200  # longer than any real address line; stops a runaway paste


class AddressPanel(QGroupBox):
    """Fields named by their API path (`billingAddress.city`), in the documented order."""

    def __init__(self, group: str, parent: QWidget | None = None) -> None:
        super().__init__(f"{group_label(group)} address", parent)
        self.group = group
        self.setObjectName(group)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in ADDRESS_FIELDS:
            path = address_path(group, name)
            edit = QLineEdit(self)
            edit.setObjectName(path)
            edit.setMaxLength(MAX_LENGTH)
            text = ADDRESS_LABELS[name]
            if name in REQUIRED_ADDRESS_FIELDS:
                text += " *"
                edit.setPlaceholderText("required")
            label = QLabel(text, self)
            label.setBuddy(edit)
            plain = text.replace("&", "")
            edit.setAccessibleName(f"{group_label(group)} {plain.rstrip(' *').lower()}")
            form.addRow(label, edit)
            self.fields[path] = edit

    def set_values(self, values: dict[str, str]) -> None:
        for path, edit in self.fields.items():
            edit.setText(values.get(path, ""))
