"""The widgets of the customer form, built in code; `CustomerEditor` gives them behaviour."""

from __future__ import annotations

import itertools
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flexdesk.api.models import Customer, CustomerStatus, CustomerType
from flexdesk.editing.fields import BILLING, CONTACT_FIELDS, FIELD_ORDER, SHIPPING
from flexdesk.ui.editor.address_panel import AddressPair, AddressPanel, change_count_title
from flexdesk.ui.editor.field_row import FieldRow, FieldWidget

# Alt+letter per field: unique in the section and clear of the menu bar's F, E, V, C and H.
CONTACT_LABELS = {
    "firstName": "Fi&rst name *",
    "lastName": "&Last name *",
    "email": "E&mail *",
    "phone": "&Phone",
    "company": "Comp&any",
    "customerType": "Customer t&ype",
    "status": "&Status",
}
_CHOICES = {
    "customerType": [(t.value.capitalize(), t.value) for t in CustomerType],
    "status": [(s.value.capitalize(), s.value) for s in CustomerStatus],
}
_FACTS = (("customerId", "Customer ID"), ("createdAt", "Created"), ("updatedAt", "Updated"),
          ("totalOrders", "Orders"), ("totalDevicesRented", "Devices rented"),
          ("totalMonthlyRevenue", "Monthly revenue"))


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # server text is never rich text
    label.setWordWrap(True)
    return label


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


def _figure(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)  # None: absent or unreadable


class ContactSection(QGroupBox):
    TITLE = "Contact"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.TITLE, parent)
        self.setObjectName("contact")
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for path in CONTACT_FIELDS:
            widget: FieldWidget
            if path in _CHOICES:
                # Arrow keys and first letters change these without opening the list.
                widget = QComboBox()
                for text, value in _CHOICES[path]:
                    widget.addItem(text, value)
            else:
                widget = QLineEdit()
            widget.setAccessibleName(CONTACT_LABELS[path].replace("&", "").rstrip(" *"))
            row = FieldRow(path, widget, CONTACT_LABELS[path], self)
            form.addRow(row.label, row)
            self.rows[path] = row

    def show_change_count(self, count: int) -> None:
        self.setTitle(change_count_title(self.TITLE, count))


class CustomerForm(QWidget):
    """Heading, banner, notice, contact section, two address panels, facts and buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = _plain_label(self, "editorHeading")
        self.heading.setText("No customer open")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.banner = _plain_label(self, "editorBanner")
        self.banner.hide()
        self.notice = _plain_label(self, "historyNotice")
        self.notice.setText("Note: existing orders and subscriptions keep the email and addresses "
                            "they were made with; only the customer's profile changes.")
        self.notice.hide()

        body = QWidget(self)
        column = QVBoxLayout(body)
        self.contact = ContactSection(body)
        column.addWidget(self.contact)
        self.billing = AddressPanel(BILLING, body)
        self.shipping = AddressPanel(SHIPPING, body)
        self.addresses = AddressPair(self.billing, self.shipping, body)
        column.addWidget(self.addresses)
        column.addWidget(self._build_facts(body))
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.rows: dict[str, FieldRow] = {
            **self.contact.rows, **self.billing.rows, **self.shipping.rows}
        self.fields: dict[str, FieldWidget] = {p: r.widget for p, r in self.rows.items()}

        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("saveButton")
        self.revert_button = QPushButton("Re&vert all", self)
        self.revert_button.setObjectName("revertButton")
        self.saving = _plain_label(self, "saveProgress")
        buttons = QHBoxLayout()
        buttons.addWidget(self.saving, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        # Each field, then the value offered for it when there is one (hidden ones are skipped).
        chain: list[QWidget] = [w for path in FIELD_ORDER
                                for w in (self.fields[path], self.rows[path].offer)]
        chain += [self.save_button, self.revert_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _build_facts(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Record", parent)
        form = QFormLayout(box)
        self.facts: dict[str, QLabel] = {}
        for key, text in _FACTS:
            label = _plain_label(box, f"fact.{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(text, label)
            self.facts[key] = label
        return box

    def show_facts(self, customer: Customer) -> None:
        self.heading.setText(customer.display_name or customer.customer_id)
        self.facts["customerId"].setText(customer.customer_id)
        self.facts["createdAt"].setText(_when(customer.created_at))
        self.facts["updatedAt"].setText(_when(customer.updated_at))
        self.facts["totalOrders"].setText(_figure(customer.total_orders, "g"))
        self.facts["totalDevicesRented"].setText(_figure(customer.total_devices_rented, "g"))
        self.facts["totalMonthlyRevenue"].setText(_figure(customer.total_monthly_revenue, ",.2f"))
        for key in customer.unreadable_fields:  # the server sent a value that is none
            if key in self.facts:
                self.facts[key].setText("(could not be read)")

    def show_banner(self, text: str, *, error: bool = True) -> None:
        self.banner.setText(("⚠ " if error else "Note: ") + text if text else "")
        self.banner.setStyleSheet("color: #b00020;" if error else "")
        self.banner.setVisible(bool(text))
